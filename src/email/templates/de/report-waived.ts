import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { greeting, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) => `Jahresbericht ${ctx.year}: Keine Abgabe erforderlich`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `für ${ctx.year} verzichten wir auf den Jahresbericht zur Umsetzung der Beitrittsmodule Ihrer Organisation. Sie müssen nichts weiter unternehmen; bereits erhaltene Erinnerungen sind damit gegenstandslos.`,
    facts(['Partner', ctx.partnerName], ['Begründung', ctx.reason]),
    partnerClosing(ctx),
  );
