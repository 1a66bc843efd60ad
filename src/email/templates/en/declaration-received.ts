import type { DeclarationNoticeContext } from '../../families/declaration';
import { facts, paragraphs } from '../compose';
import { greeting, partnerClosing } from './common';

export const subject = (ctx: DeclarationNoticeContext) => `Receipt: your declaration (version ${ctx.version ?? 1})`;

export const text = (ctx: DeclarationNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'Thank you: we have received your declaration for joining the partner network. We will review it and get back to you.',
    facts(['Organisation', ctx.partnerName], ['Version', ctx.version]),
    partnerClosing(ctx),
  );
