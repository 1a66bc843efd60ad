import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) =>
  ctx.round === 'revision'
    ? `Reminder: revision of your annual report ${ctx.year} – due ${dueDate(ctx)}`
    : `Reminder: annual report ${ctx.year} – due ${dueDate(ctx)}`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    ctx.round === 'revision'
      ? `This is a friendly reminder that we have not yet received the requested revision of your annual report ${ctx.year} on the implementation of the accession modules.`
      : `This is a friendly reminder that we have not yet received your annual report ${ctx.year} on the implementation of the accession modules.`,
    facts(['Partner', ctx.partnerName], ['Due date', dueDate(ctx)]),
    ctx.round === 'revision'
      ? `Please submit the revised version using the following form:\n${ctx.formUrl}`
      : `Please submit the report using the following form:\n${ctx.formUrl}`,
    'If you have submitted the report in the last few days, please disregard this message.',
    partnerClosing(ctx),
  );
