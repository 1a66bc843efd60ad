import { formatDate, formatDateTime } from '../../format';
import type { DeadlineContext, PersonalContext } from '../../notice-context';

/** The fields every family's notice has. */
type NoticeContext = PersonalContext & DeadlineContext;

export const networkName = '„Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“';

export const greeting = (ctx: NoticeContext) => `Guten Tag ${ctx.recipientName},`;

export const dueDate = (ctx: NoticeContext) => formatDate(ctx.dueAt, ctx.timezone, 'de');

export const dateTime = (ctx: NoticeContext, iso: string) => formatDateTime(iso, ctx.timezone, 'de');

/** Signature of mails to partners. */
export const partnerClosing = `Mit freundlichen Grüßen\n\nIhre Geschäftsstelle des Partnernetzwerks\n${networkName}`;

/** Signature of mails to ministry staff, which come from the system rather than a colleague. */
export const staffClosing = `Diese Nachricht wurde von Partnerflow automatisch erstellt.`;
