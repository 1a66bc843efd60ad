import type { ReportNoticeContext } from '../../families/annual-report';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) =>
  `Bitte um Überarbeitung: Jahresbericht ${ctx.year} – neue Frist ${dueDate(ctx)}`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `vielen Dank für Ihren Jahresbericht ${ctx.year} zur Umsetzung der Beitrittsmodule. Bei der Prüfung haben sich noch einige Punkte ergeben. Wir bitten Sie, den Bericht entsprechend zu überarbeiten:`,
    required(ctx, 'comments', 'report-revision-requested'),
    facts(['Partner', ctx.partnerName], ['Referenznummer', ctx.reference], ['Neue Abgabefrist', dueDate(ctx)]),
    `Bitte reichen Sie die überarbeitete Fassung bis zum ${dueDate(ctx)} über das folgende Formular ein:\n${ctx.formUrl}`,
    'Für Rückfragen stehen wir Ihnen gern zur Verfügung.',
    partnerClosing(ctx),
  );
