import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) =>
  `Extension granted: annual report ${ctx.year} – new deadline ${dueDate(ctx)}`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `The deadline for your annual report ${ctx.year} on the implementation of the accession modules has been extended. You can now submit the report until ${dueDate(ctx)}.`,
    facts(['Partner', ctx.partnerName], ['New due date', dueDate(ctx)], ['Reason', ctx.reason]),
    `The form for your report is still available at this link:\n${ctx.formUrl}`,
    partnerClosing(ctx),
  );
