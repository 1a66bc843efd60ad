import type { SignatureNoticeContext } from '../../families/signature';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, networkName, partnerClosing } from './common';

export const actionLabel = 'Open the agreement';

export const subject = (ctx: SignatureNoticeContext) => `Your partner agreement for signature – by ${dueDate(ctx)}`;

export const text = (ctx: SignatureNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `Your declaration has been accepted. It is now part of the agreement on the partnership of ${ctx.partnerName} in the network ${networkName}; the agreement is attached as a PDF (in German).`,
    facts(['Organisation', ctx.partnerName], ['Sign by', dueDate(ctx)]),
    `Please have the agreement signed by your leadership. Its status and the agreement are here:\n${ctx.formUrl}`,
    partnerClosing(ctx),
  );
