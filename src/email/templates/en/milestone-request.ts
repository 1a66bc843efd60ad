import type { MilestoneNoticeContext } from '../../families/milestone';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const actionLabel = 'Give your update';

export const subject = (ctx: MilestoneNoticeContext) => `Milestone "${required(ctx, 'milestoneText', 'milestone-request')}": reached? – please answer by ${dueDate(ctx)}`;

export const text = (ctx: MilestoneNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'In your declaration you set yourselves the following milestone. Please tell us whether it was reached or is delayed; if delayed, please give us the new date.',
    facts(['Organisation', ctx.partnerName], ['Measure', ctx.measureTitle], ['Milestone', required(ctx, 'milestoneText', 'milestone-request')], ['Planned', ctx.dueText], ['Answer by', dueDate(ctx)]),
    `You can answer here:\n${ctx.formUrl}`,
    'We carry your answer over into your next annual report.',
    partnerClosing(ctx),
  );
