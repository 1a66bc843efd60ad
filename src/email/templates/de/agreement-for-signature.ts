import type { SignatureNoticeContext } from '../../families/signature';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, networkName, partnerClosing } from './common';

export const actionLabel = 'Zur Vereinbarung';

export const subject = (ctx: SignatureNoticeContext) => `Ihre Partnervereinbarung zur Unterzeichnung – bis ${dueDate(ctx)}`;

export const text = (ctx: SignatureNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `Ihre Absichtserklärung ist angenommen. Daraus ist die Vereinbarung über die Partnerschaft von ${ctx.partnerName} im Netzwerk ${networkName} entstanden; sie liegt dieser Nachricht als PDF bei.`,
    facts(['Organisation', ctx.partnerName], ['Unterzeichnung bis', dueDate(ctx)]),
    `Bitte lassen Sie die Vereinbarung von Ihrer Leitung unterzeichnen. Den Stand und die Vereinbarung finden Sie hier:\n${ctx.formUrl}`,
    partnerClosing(ctx),
  );
