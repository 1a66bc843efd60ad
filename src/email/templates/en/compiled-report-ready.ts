import type { CompiledReportMailContext } from '../../compiled-report-context';
import { formatDay } from '../../format';
import { facts, paragraphs } from '../compose';
import { imprint } from './common';

export const subject = (ctx: CompiledReportMailContext) =>
  `Annual report ${ctx.year} compiled (version ${ctx.version}): ${ctx.chapters} of ${ctx.partners} reports included`;

export const text = (ctx: CompiledReportMailContext) =>
  paragraphs(
    `Dear ${ctx.recipientName},`,
    `the compiled annual report ${ctx.year} has been made as version ${ctx.version}. Earlier versions are kept.`,
    facts(
      ['Version', ctx.version],
      ['As of', formatDay(ctx.asOf, 'en')],
      ['Partners in the report', ctx.partners],
      ['Reports included', ctx.chapters],
      ['Not included', ctx.missing.length],
    ),
    ctx.missing.length > 0 &&
      `The reports of these partners are not included:\n${ctx.missing.map((m) => `- ${m.number} ${m.organisation}: ${reasonOf(m)}`).join('\n')}`,
    ctx.attached.length > 0 && `Attached: ${ctx.attached.join(', ')}.`,
    ctx.onServer.length > 0 &&
      `Too large to send by email, stored on the server:\n${ctx.onServer.map((f) => `- ${f.path} (${megabytes(f.bytes)} MB)`).join('\n')}`,
    ['This message was generated automatically by Partnerflow.', imprint].join('\n\n'),
  );

const megabytes = (bytes: number) => (bytes / 1_000_000).toLocaleString('en-GB', { maximumFractionDigits: 1 });

const standingLabels: Record<CompiledReportMailContext['missing'][number]['standing'], string> = {
  accepted: 'accepted',
  submitted: 'submitted, not yet accepted',
  revision_requested: 'revision requested',
  awaiting_submission: 'not yet submitted',
  overdue: 'overdue',
  waived: 'waived',
  closed: 'closed without a report',
  not_started: 'not requested',
};

const reasonOf = (m: CompiledReportMailContext['missing'][number]) => (m.unreadable ? 'accepted, but unreadable' : standingLabels[m.standing]);
