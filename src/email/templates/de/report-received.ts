import type { ReportNoticeContext } from '../../families/annual-report';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { dateTime, greeting, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) =>
  `Eingangsbestätigung: Jahresbericht ${ctx.year} (Referenznummer ${required(ctx, 'reference', 'report-received')})`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `vielen Dank! Ihr Jahresbericht ${ctx.year} zur Umsetzung der Beitrittsmodule ist bei uns eingegangen.`,
    facts(
      ['Partner', ctx.partnerName],
      ['Referenznummer', required(ctx, 'reference', 'report-received')],
      ['Eingegangen am', dateTime(ctx, required(ctx, 'submittedAt', 'report-received'))],
      ['Fassung', ctx.version],
    ),
    'Bitte geben Sie bei Rückfragen die Referenznummer an. Wir prüfen Ihren Bericht und melden uns bei Ihnen, falls wir Fragen haben oder eine Überarbeitung benötigen.',
    partnerClosing(ctx),
  );
