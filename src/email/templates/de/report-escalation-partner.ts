import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, networkName, partnerClosing } from './common';

// Each level reads differently in the inbox, so a second escalation is not mistaken for the first.
export const subject = (ctx: ReportNoticeContext) =>
  (ctx.escalationLevel ?? 1) > 1
    ? `Erneut dringend (Eskalationsstufe ${ctx.escalationLevel}): Ausstehender Jahresbericht ${ctx.year} – ${ctx.partnerName}`
    : `Dringend: Ausstehender Jahresbericht ${ctx.year} – ${ctx.partnerName}`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `wir wenden uns heute an Sie, weil uns der angeforderte Jahresbericht ${ctx.year} zur Umsetzung der Beitrittsmodule Ihrer Organisation trotz Erinnerung noch nicht vorliegt. Die Abgabefrist ist am ${dueDate(ctx)} abgelaufen.`,
    facts(['Partner', ctx.partnerName], ['Abgabefrist', dueDate(ctx)]),
    `Mit dem Beitritt zum Partnernetzwerk ${networkName} hat sich Ihre Organisation verpflichtet, jährlich über die Umsetzung der Beitrittsmodule zu berichten. Wir bitten Sie daher, die Einreichung zu veranlassen. Der Bericht kann über das folgende Formular eingereicht werden:\n${ctx.formUrl}`,
    'Sollte eine Abgabe aus wichtigem Grund nicht möglich sein, bitten wir um eine kurze Rückmeldung.',
    partnerClosing(ctx),
  );
