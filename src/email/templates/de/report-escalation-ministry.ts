import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, staffClosing } from './common';

export const subject = (ctx: ReportNoticeContext) =>
  `Eskalation${ctx.escalationLevel ? ` (Stufe ${ctx.escalationLevel})` : ''}: Jahresbericht ${ctx.year} ausstehend – ${ctx.partnerName}`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `der Jahresbericht ${ctx.year} zur Umsetzung der Beitrittsmodule des folgenden Partners liegt trotz Erinnerungen noch nicht vor:`,
    facts(['Partner', ctx.partnerName], ['Abgabefrist', dueDate(ctx)], ['Eskalationsstufe', ctx.escalationLevel || undefined]),
    `Den Stand des Vorgangs und alle bisher versandten Nachrichten finden Sie hier:\n${ctx.statusUrl}`,
    'Bitte prüfen Sie, ob eine Kontaktaufnahme mit dem Partner, eine Fristverlängerung oder ein Verzicht auf den Bericht angezeigt ist.',
    staffClosing(ctx),
  );
