import type { MilestoneNoticeContext } from '../../families/milestone';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, staffClosing } from './common';

export const subject = (ctx: MilestoneNoticeContext) => `Meilenstein ohne Rückmeldung – ${ctx.partnerName}`;

export const text = (ctx: MilestoneNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'zu folgendem Meilenstein liegt trotz Anfrage keine Rückmeldung des Partners vor:',
    facts(['Partner', ctx.partnerName], ['Maßnahme', ctx.measureTitle], ['Meilenstein', required(ctx, 'milestoneText', 'milestone-overdue-ministry')], ['Fällig', dueDate(ctx)], ['Eskalationsstufe', ctx.escalationLevel || undefined]),
    `Den Stand finden Sie hier:\n${ctx.statusUrl}`,
    staffClosing(ctx),
  );
