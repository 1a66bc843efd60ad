import type { DeclarationNoticeContext } from '../../families/declaration';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, staffClosing } from './common';

export const subject = (ctx: DeclarationNoticeContext) => `Accession: declaration outstanding – ${ctx.partnerName}`;

export const text = (ctx: DeclarationNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'Despite a reminder, the declaration of the following organisation for joining the partner network has not arrived:',
    facts(['Organisation', ctx.partnerName], ['Submit by', dueDate(ctx)], ['Escalation level', ctx.escalationLevel || undefined]),
    `The state of the accession is shown here:\n${ctx.statusUrl}`,
    'Please consider contacting the organisation.',
    staffClosing(ctx),
  );
