import type { SignatureNoticeContext } from '../../families/signature';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const actionLabel = 'Zur Vereinbarung';

export const subject = (ctx: SignatureNoticeContext) => `Erinnerung: Partnervereinbarung unterzeichnen – bis ${dueDate(ctx)}`;

export const text = (ctx: SignatureNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'die Partnervereinbarung Ihrer Organisation liegt uns noch nicht unterzeichnet vor.',
    facts(['Organisation', ctx.partnerName], ['Unterzeichnung bis', dueDate(ctx)]),
    `Die Vereinbarung finden Sie hier:\n${ctx.formUrl}`,
    'Sollten Sie in den letzten Tagen bereits unterzeichnet haben, betrachten Sie diese Nachricht bitte als gegenstandslos.',
    partnerClosing(ctx),
  );
