import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) =>
  ctx.round === 'revision'
    ? `Deadline passed: revision of your annual report ${ctx.year}`
    : `Deadline passed: annual report ${ctx.year}`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    ctx.round === 'revision'
      ? `The deadline for the revision of your annual report ${ctx.year} on the implementation of the accession modules passed on ${dueDate(ctx)}. Unfortunately, we have not yet received the revised version.`
      : `The deadline for your annual report ${ctx.year} on the implementation of the accession modules passed on ${dueDate(ctx)}. Unfortunately, we have not yet received the report.`,
    facts(['Partner', ctx.partnerName], ['Due date', dueDate(ctx)]),
    `Please submit ${ctx.round === 'revision' ? 'the revised version' : 'the report'} as soon as possible using the following form:\n${ctx.formUrl}`,
    'If there is an important reason why you cannot submit the report, please get in touch with us. We will find a solution together.',
    partnerClosing(ctx),
  );
