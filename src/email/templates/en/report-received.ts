import type { ReportNoticeContext } from '../../families/annual-report';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { dateTime, greeting, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) =>
  `Confirmation of receipt: annual report ${ctx.year} (reference ${required(ctx, 'reference', 'report-received')})`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `Thank you! We have received your annual report ${ctx.year} on the implementation of the accession modules.`,
    facts(
      ['Partner', ctx.partnerName],
      ['Reference number', required(ctx, 'reference', 'report-received')],
      ['Received', dateTime(ctx, required(ctx, 'submittedAt', 'report-received'))],
      ['Version', ctx.version],
    ),
    'Please quote the reference number in any enquiries. We will review your report and get back to you if we have questions or need a revision.',
    partnerClosing(ctx),
  );
