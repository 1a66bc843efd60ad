import type { MilestoneNoticeContext } from '../../families/milestone';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { greeting, staffClosing } from './common';

export const subject = (ctx: MilestoneNoticeContext) => `Withdrawal from the partner network – ${ctx.partnerName}`;

export const text = (ctx: MilestoneNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'The following partner has left the partner network. Open reports are closed, milestones are no longer followed up.',
    facts(['Partner', ctx.partnerName], ['Reason', required(ctx, 'reason', 'partner-withdrawn-ministry')], ['Closed reports', ctx.closedReports]),
    `The status is here:\n${ctx.statusUrl}`,
    staffClosing(ctx),
  );
