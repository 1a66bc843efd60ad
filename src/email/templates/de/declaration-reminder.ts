import type { DeclarationNoticeContext } from '../../families/declaration';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const subject = (ctx: DeclarationNoticeContext) => `Erinnerung: Ihre Absichtserklärung zum Beitritt – bis ${dueDate(ctx)}`;

export const text = (ctx: DeclarationNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'wir möchten Sie freundlich daran erinnern, dass Ihre Absichtserklärung zum Beitritt in das Partnernetzwerk noch nicht bei uns eingegangen ist.',
    facts(['Organisation', ctx.partnerName], ['Einreichung bis', dueDate(ctx)]),
    `Bitte reichen Sie die Erklärung über das folgende Formular ein:\n${ctx.formUrl}`,
    'Sollten Sie die Erklärung in den letzten Tagen bereits eingereicht haben, betrachten Sie diese Nachricht bitte als gegenstandslos.',
    partnerClosing(ctx),
  );
