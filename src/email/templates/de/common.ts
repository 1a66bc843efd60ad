import { formatDate, formatDateTime } from '../../format';
import type { DeadlineContext, PersonalContext } from '../../notice-context';

/** The fields every family's notice has. */
type NoticeContext = PersonalContext & DeadlineContext;

export const networkName = '„Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“';

export const greeting = (ctx: NoticeContext) => `Guten Tag ${ctx.recipientName},`;

export const dueDate = (ctx: NoticeContext) => formatDate(ctx.dueAt, ctx.timezone, 'de');

export const dateTime = (ctx: NoticeContext, iso: string) => formatDateTime(iso, ctx.timezone, 'de');

/** The ministry that publishes the mail: the imprint under every notice. One place, so it can change. */
export const imprint = 'Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen';

/** Words the HTML part adds around what the text says (button, due date box, contact person). */
export const htmlLabels = {
  formAction: 'Zum Formular',
  statusAction: 'Vorgang ansehen',
  due: 'Frist',
  partnerContact: 'Ihre Ansprechperson im Ministerium',
  staffContact: 'Zuständige Sachbearbeitung',
};

/** The caseworker line, left out when the organisation has no caseworker assigned. */
export const contactLine = (ctx: NoticeContext, audience: 'partner' | 'staff') =>
  ctx.contactPersonName && ctx.contactPersonEmail
    ? `${audience === 'partner' ? htmlLabels.partnerContact : htmlLabels.staffContact}: ${ctx.contactPersonName}, ${ctx.contactPersonEmail}`
    : undefined;

/** Signature of mails to partners: who to ask, then the imprint. */
export const partnerClosing = (ctx: NoticeContext) =>
  [`Mit freundlichen Grüßen\n\nIhre Geschäftsstelle des Partnernetzwerks\n${networkName}`, contactLine(ctx, 'partner'), imprint]
    .filter(Boolean)
    .join('\n\n');

/** Signature of mails to ministry staff, which come from the system rather than a colleague. */
export const staffClosing = (ctx: NoticeContext) =>
  ['Diese Nachricht wurde von Partnerflow automatisch erstellt.', contactLine(ctx, 'staff'), imprint].filter(Boolean).join('\n\n');
