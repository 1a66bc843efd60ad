import type { SignatureNoticeContext } from '../../families/signature';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, staffClosing } from './common';

export const subject = (ctx: SignatureNoticeContext) => `Accession: partner agreement not signed – ${ctx.partnerName}`;

export const text = (ctx: SignatureNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'The partner agreement of the following organisation is still not signed despite a reminder:',
    facts(['Organisation', ctx.partnerName], ['Sign by', dueDate(ctx)], ['Escalation level', ctx.escalationLevel || undefined]),
    `The accession's status is here:\n${ctx.statusUrl}`,
    staffClosing(ctx),
  );
