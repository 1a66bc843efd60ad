import type { NoticeContext } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, networkName, partnerClosing } from './common';

export const subject = (ctx: NoticeContext) =>
  `Dringend: Ausstehender Jahresbericht ${ctx.year} – ${ctx.partnerName}`;

export const text = (ctx: NoticeContext) =>
  paragraphs(
    greeting(ctx),
    `wir wenden uns heute an Sie, weil uns der angeforderte Jahresbericht ${ctx.year} zur Umsetzung der Beitrittsmodule Ihrer Organisation trotz Erinnerung noch nicht vorliegt. Die Abgabefrist ist am ${dueDate(ctx)} abgelaufen.`,
    facts(['Partner', ctx.partnerName], ['Abgabefrist', dueDate(ctx)]),
    `Mit dem Beitritt zum Partnernetzwerk ${networkName} hat sich Ihre Organisation verpflichtet, jährlich über die Umsetzung der Beitrittsmodule zu berichten. Wir bitten Sie daher, die Einreichung zu veranlassen. Der Bericht kann über das folgende Formular eingereicht werden:\n${ctx.formUrl}`,
    'Sollte eine Abgabe aus wichtigem Grund nicht möglich sein, bitten wir um eine kurze Rückmeldung.',
    partnerClosing,
  );
