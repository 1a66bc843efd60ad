import type { DeclarationNoticeContext } from '../../families/declaration';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, networkName, partnerClosing } from './common';

export const subject = (ctx: DeclarationNoticeContext) =>
  `Beitritt zum Partnernetzwerk: Ihre Absichtserklärung – bitte bis ${dueDate(ctx)} einreichen`;

export const text = (ctx: DeclarationNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `wir freuen uns, dass ${ctx.partnerName} dem Partnernetzwerk ${networkName} beitreten möchte. Der erste Schritt ist Ihre Absichtserklärung: Sie beschreiben formlos, mit welchen konkreten Maßnahmen Sie die interkulturelle Öffnung Ihrer Organisation voranbringen und welche Meilensteine Sie bis wann erreichen wollen.`,
    facts(['Organisation', ctx.partnerName], ['Einreichung bis', dueDate(ctx)]),
    `Bitte nutzen Sie für Ihre Absichtserklärung das folgende Formular; Entwürfe können Sie dort zwischenspeichern:\n${ctx.formUrl}`,
    'Aus der angenommenen Erklärung entsteht die Partnervereinbarung, die Ihre Leitung und die Staatssekretärin für Integration unterzeichnen. Bei Fragen sind wir gern für Sie da.',
    partnerClosing(ctx),
  );
