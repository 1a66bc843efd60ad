import type { DeclarationNoticeContext } from '../../families/declaration';
import { facts, paragraphs } from '../compose';
import { greeting, partnerClosing } from './common';

export const subject = (ctx: DeclarationNoticeContext) => `Eingangsbestätigung: Ihre Absichtserklärung (Fassung ${ctx.version ?? 1})`;

export const text = (ctx: DeclarationNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'vielen Dank: Ihre Absichtserklärung zum Beitritt in das Partnernetzwerk ist bei uns eingegangen. Wir prüfen sie und melden uns bei Ihnen.',
    facts(['Organisation', ctx.partnerName], ['Fassung', ctx.version]),
    partnerClosing(ctx),
  );
