import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { greeting, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) => `Ihr Jahresbericht ${ctx.year} wurde angenommen`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `wir haben Ihren Jahresbericht ${ctx.year} zur Umsetzung der Beitrittsmodule geprüft und angenommen. Für dieses Berichtsjahr ist damit nichts weiter zu tun.`,
    facts(['Partner', ctx.partnerName], ['Referenznummer', ctx.reference]),
    'Vielen Dank für Ihre Mitwirkung und Ihr Engagement für die interkulturelle Öffnung in Nordrhein-Westfalen.',
    partnerClosing(ctx),
  );
