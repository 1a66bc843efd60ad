import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) =>
  ctx.round === 'revision'
    ? `Erinnerung: Überarbeitung Ihres Jahresberichts ${ctx.year} – Abgabe bis ${dueDate(ctx)}`
    : `Erinnerung: Jahresbericht ${ctx.year} – Abgabe bis ${dueDate(ctx)}`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    ctx.round === 'revision'
      ? `wir möchten Sie freundlich daran erinnern, dass die erbetene Überarbeitung Ihres Jahresberichts ${ctx.year} zur Umsetzung der Beitrittsmodule noch nicht bei uns eingegangen ist.`
      : `wir möchten Sie freundlich daran erinnern, dass Ihr Jahresbericht ${ctx.year} zur Umsetzung der Beitrittsmodule noch nicht bei uns eingegangen ist.`,
    facts(['Partner', ctx.partnerName], ['Abgabefrist', dueDate(ctx)]),
    ctx.round === 'revision'
      ? `Bitte reichen Sie die überarbeitete Fassung über das folgende Formular ein:\n${ctx.formUrl}`
      : `Bitte reichen Sie den Bericht über das folgende Formular ein:\n${ctx.formUrl}`,
    'Sollten Sie den Bericht in den letzten Tagen bereits eingereicht haben, betrachten Sie diese Nachricht bitte als gegenstandslos.',
    partnerClosing(ctx),
  );
