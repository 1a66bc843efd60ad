import { formatDate, formatDateTime } from '../../format';
import type { DeadlineContext, PersonalContext } from '../../notice-context';

/** The fields every family's notice has. */
type NoticeContext = PersonalContext & DeadlineContext;

// The network's name is a proper name and stays German in English mail.
export const networkName = '"Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"';

export const greeting = (ctx: NoticeContext) => `Dear ${ctx.recipientName},`;

export const dueDate = (ctx: NoticeContext) => formatDate(ctx.dueAt, ctx.timezone, 'en');

export const dateTime = (ctx: NoticeContext, iso: string) => formatDateTime(iso, ctx.timezone, 'en');

/** Signature of mails to partners. */
export const partnerClosing = `Kind regards\n\nThe office of the partner network\n${networkName}`;

/** Signature of mails to ministry staff, which come from the system rather than a colleague. */
export const staffClosing = `This message was generated automatically by Partnerflow.`;
