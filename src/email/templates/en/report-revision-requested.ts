import type { ReportNoticeContext } from '../../families/annual-report';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) =>
  `Revision requested: annual report ${ctx.year} – new deadline ${dueDate(ctx)}`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `Thank you for your annual report ${ctx.year} on the implementation of the accession modules. Our review raised a few points, and we kindly ask you to revise the report accordingly:`,
    required(ctx, 'comments', 'report-revision-requested'),
    facts(['Partner', ctx.partnerName], ['Reference number', ctx.reference], ['New due date', dueDate(ctx)]),
    `Please submit the revised version by ${dueDate(ctx)} using the following form:\n${ctx.formUrl}`,
    'If you have any questions, please do not hesitate to contact us.',
    partnerClosing(ctx),
  );
