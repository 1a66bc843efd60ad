import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, networkName, partnerClosing } from './common';

// Each level reads differently in the inbox, so a second escalation is not mistaken for the first.
export const subject = (ctx: ReportNoticeContext) =>
  (ctx.escalationLevel ?? 1) > 1
    ? `Urgent again (escalation level ${ctx.escalationLevel}): outstanding annual report ${ctx.year} – ${ctx.partnerName}`
    : `Urgent: outstanding annual report ${ctx.year} – ${ctx.partnerName}`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `We are contacting you because, despite a reminder, we have not yet received your organisation's requested annual report ${ctx.year} on the implementation of the accession modules. The deadline passed on ${dueDate(ctx)}.`,
    facts(['Partner', ctx.partnerName], ['Due date', dueDate(ctx)]),
    `By joining the partner network ${networkName}, your organisation committed to reporting annually on the implementation of the accession modules. We therefore ask you to arrange for the report to be submitted. It can be submitted using the following form:\n${ctx.formUrl}`,
    'If there is an important reason why the report cannot be submitted, please let us know.',
    partnerClosing(ctx),
  );
