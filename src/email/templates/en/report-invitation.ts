import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, networkName, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) =>
  `Annual report ${ctx.year} on the implementation of the accession modules – please submit by ${dueDate(ctx)}`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `As a partner in the network ${networkName}, you report once a year on how you are implementing the modules you committed to when you joined. We cordially invite you to submit the annual report on the implementation of the accession modules ("Jahresbericht zur Umsetzung der Beitrittsmodule") for ${ctx.year}.`,
    facts(['Partner', ctx.partnerName], ['Reporting year', ctx.year], ['Due date', dueDate(ctx)]),
    `Please use the following form for your report:\n${ctx.formUrl}`,
    'This link belongs to your organisation; please share it only within your organisation. If you have any questions about the report, we are happy to help.',
    partnerClosing(ctx),
  );
