import type { MilestoneNoticeContext } from '../../families/milestone';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { greeting, staffClosing } from './common';

export const subject = (ctx: MilestoneNoticeContext) => `Austritt aus dem Partnernetzwerk – ${ctx.partnerName}`;

export const text = (ctx: MilestoneNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'der folgende Partner ist aus dem Partnernetzwerk ausgetreten. Offene Berichte sind geschlossen, Meilensteine werden nicht mehr nachgefragt.',
    facts(['Partner', ctx.partnerName], ['Begründung', required(ctx, 'reason', 'partner-withdrawn-ministry')], ['Geschlossene Berichte', ctx.closedReports]),
    `Den Stand finden Sie hier:\n${ctx.statusUrl}`,
    staffClosing(ctx),
  );
