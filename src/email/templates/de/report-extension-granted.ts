import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) =>
  `Fristverlängerung: Jahresbericht ${ctx.year} – neue Frist ${dueDate(ctx)}`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `die Frist für Ihren Jahresbericht ${ctx.year} zur Umsetzung der Beitrittsmodule wurde verlängert. Sie können den Bericht nun bis zum ${dueDate(ctx)} einreichen.`,
    facts(['Partner', ctx.partnerName], ['Neue Abgabefrist', dueDate(ctx)], ['Begründung', ctx.reason]),
    `Das Formular für Ihren Bericht erreichen Sie weiterhin über diesen Link:\n${ctx.formUrl}`,
    partnerClosing(ctx),
  );
