import type { SignatureNoticeContext } from '../../families/signature';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const actionLabel = 'Open the agreement';

export const subject = (ctx: SignatureNoticeContext) => `Reminder: please sign the partner agreement – by ${dueDate(ctx)}`;

export const text = (ctx: SignatureNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'We have not yet received the signed partner agreement of your organisation.',
    facts(['Organisation', ctx.partnerName], ['Sign by', dueDate(ctx)]),
    `The agreement is here:\n${ctx.formUrl}`,
    'If you have signed in the last few days, please disregard this message.',
    partnerClosing(ctx),
  );
