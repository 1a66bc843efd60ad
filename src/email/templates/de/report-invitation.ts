import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, networkName, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) =>
  `Jahresbericht ${ctx.year} zur Umsetzung der Beitrittsmodule – bitte bis ${dueDate(ctx)} einreichen`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `als Partner im Netzwerk ${networkName} berichten Sie einmal im Jahr, wie Sie die Module umsetzen, zu denen Sie sich mit Ihrem Beitritt verpflichtet haben. Hiermit laden wir Sie herzlich ein, den „Jahresbericht zur Umsetzung der Beitrittsmodule“ für ${ctx.year} einzureichen.`,
    facts(['Partner', ctx.partnerName], ['Berichtsjahr', ctx.year], ['Abgabefrist', dueDate(ctx)]),
    `Bitte nutzen Sie für Ihren Bericht das folgende Formular:\n${ctx.formUrl}`,
    'Der Link ist Ihrer Organisation persönlich zugeordnet; bitte geben Sie ihn nur innerhalb Ihrer Organisation weiter. Bei Fragen zum Bericht sind wir gern für Sie da.',
    partnerClosing(ctx),
  );
