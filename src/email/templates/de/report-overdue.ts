import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) =>
  ctx.round === 'revision'
    ? `Frist abgelaufen: Überarbeitung Ihres Jahresberichts ${ctx.year}`
    : `Frist abgelaufen: Jahresbericht ${ctx.year}`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    ctx.round === 'revision'
      ? `die Frist für die Überarbeitung Ihres Jahresberichts ${ctx.year} zur Umsetzung der Beitrittsmodule ist am ${dueDate(ctx)} abgelaufen. Die überarbeitete Fassung liegt uns bislang leider nicht vor.`
      : `die Frist für Ihren Jahresbericht ${ctx.year} zur Umsetzung der Beitrittsmodule ist am ${dueDate(ctx)} abgelaufen. Der Bericht liegt uns bislang leider nicht vor.`,
    facts(['Partner', ctx.partnerName], ['Abgabefrist', dueDate(ctx)]),
    `Bitte reichen Sie ${ctx.round === 'revision' ? 'die überarbeitete Fassung' : 'den Bericht'} so bald wie möglich über das folgende Formular nach:\n${ctx.formUrl}`,
    'Falls Sie den Bericht aus wichtigem Grund nicht einreichen können, setzen Sie sich bitte mit uns in Verbindung. Gemeinsam finden wir eine Lösung.',
    partnerClosing(ctx),
  );
