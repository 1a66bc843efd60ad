import type { MilestoneNoticeContext } from '../../families/milestone';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, staffClosing } from './common';

export const subject = (ctx: MilestoneNoticeContext) => `Milestone without an answer – ${ctx.partnerName}`;

export const text = (ctx: MilestoneNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'The partner has not answered our request about the following milestone:',
    facts(['Partner', ctx.partnerName], ['Measure', ctx.measureTitle], ['Milestone', required(ctx, 'milestoneText', 'milestone-overdue-ministry')], ['Due', dueDate(ctx)], ['Escalation level', ctx.escalationLevel || undefined]),
    `The status is here:\n${ctx.statusUrl}`,
    staffClosing(ctx),
  );
