import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { greeting, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) => `Your annual report ${ctx.year} has been accepted`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `We have reviewed and accepted your annual report ${ctx.year} on the implementation of the accession modules. Nothing further is required for this reporting year.`,
    facts(['Partner', ctx.partnerName], ['Reference number', ctx.reference]),
    'Thank you for your cooperation and your commitment to intercultural opening in North Rhine-Westphalia.',
    partnerClosing(ctx),
  );
