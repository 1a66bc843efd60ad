import type { SignatureNoticeContext } from '../../families/signature';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, staffClosing } from './common';

export const subject = (ctx: SignatureNoticeContext) => `Beitritt: Partnervereinbarung nicht unterzeichnet – ${ctx.partnerName}`;

export const text = (ctx: SignatureNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'die Partnervereinbarung der folgenden Organisation ist trotz Erinnerung noch nicht unterzeichnet:',
    facts(['Organisation', ctx.partnerName], ['Unterzeichnung bis', dueDate(ctx)], ['Eskalationsstufe', ctx.escalationLevel || undefined]),
    `Den Stand des Beitritts finden Sie hier:\n${ctx.statusUrl}`,
    staffClosing(ctx),
  );
