import { formatDate, formatDateTime } from '../../format';
import type { DeadlineContext, PersonalContext } from '../../notice-context';

/** The fields every family's notice has. */
type NoticeContext = PersonalContext & DeadlineContext;

// The network's name is a proper name and stays German in English mail.
export const networkName = '"Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!"';

export const greeting = (ctx: NoticeContext) => `Dear ${ctx.recipientName},`;

export const dueDate = (ctx: NoticeContext) => formatDate(ctx.dueAt, ctx.timezone, 'en');

export const dateTime = (ctx: NoticeContext, iso: string) => formatDateTime(iso, ctx.timezone, 'en');

/**
 * The ministry that publishes the mail: the imprint under every notice. One place, so it can change;
 * like the network's name it is a proper name and stays German.
 */
export const imprint = 'Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen';

/** Words the HTML part adds around what the text says (button, due date box, contact person). */
export const htmlLabels = {
  formAction: 'Open the form',
  statusAction: 'View the case',
  due: 'Due by',
  partnerContact: 'Your contact at the ministry',
  staffContact: 'Caseworker in charge',
};

/** The caseworker line, left out when the organisation has no caseworker assigned. */
export const contactLine = (ctx: NoticeContext, audience: 'partner' | 'staff') =>
  ctx.contactPersonName && ctx.contactPersonEmail
    ? `${audience === 'partner' ? htmlLabels.partnerContact : htmlLabels.staffContact}: ${ctx.contactPersonName}, ${ctx.contactPersonEmail}`
    : undefined;

/** Signature of mails to partners: who to ask, then the imprint. */
export const partnerClosing = (ctx: NoticeContext) =>
  [`Kind regards\n\nThe office of the partner network\n${networkName}`, contactLine(ctx, 'partner'), imprint].filter(Boolean).join('\n\n');

/** Signature of mails to ministry staff, which come from the system rather than a colleague. */
export const staffClosing = (ctx: NoticeContext) =>
  ['This message was generated automatically by Partnerflow.', contactLine(ctx, 'staff'), imprint].filter(Boolean).join('\n\n');
