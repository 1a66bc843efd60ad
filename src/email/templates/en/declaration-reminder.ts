import type { DeclarationNoticeContext } from '../../families/declaration';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const subject = (ctx: DeclarationNoticeContext) => `Reminder: your declaration for joining – by ${dueDate(ctx)}`;

export const text = (ctx: DeclarationNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'We would like to remind you that we have not yet received your declaration for joining the partner network.',
    facts(['Organisation', ctx.partnerName], ['Submit by', dueDate(ctx)]),
    `Please submit the declaration using the following form:\n${ctx.formUrl}`,
    'If you have submitted the declaration in the last few days, please disregard this message.',
    partnerClosing(ctx),
  );
