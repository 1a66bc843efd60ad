import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, staffClosing } from './common';

export const subject = (ctx: ReportNoticeContext) =>
  `Escalation${ctx.escalationLevel ? ` (level ${ctx.escalationLevel})` : ''}: annual report ${ctx.year} outstanding – ${ctx.partnerName}`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `Despite reminders, the annual report ${ctx.year} on the implementation of the accession modules of the following partner is still outstanding:`,
    facts(['Partner', ctx.partnerName], ['Due date', dueDate(ctx)], ['Escalation level', ctx.escalationLevel || undefined]),
    `The status of the case and all messages sent so far are available here:\n${ctx.statusUrl}`,
    'Please consider whether to contact the partner, grant an extension or waive the report.',
    staffClosing(ctx),
  );
