import type { ReportNoticeContext } from '../../families/annual-report';
import { facts, paragraphs } from '../compose';
import { greeting, partnerClosing } from './common';

export const subject = (ctx: ReportNoticeContext) => `Annual report ${ctx.year}: no submission required`;

export const text = (ctx: ReportNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `We are waiving your organisation's annual report on the implementation of the accession modules for ${ctx.year}. You do not need to do anything further; any reminders you have received no longer apply.`,
    facts(['Partner', ctx.partnerName], ['Reason', ctx.reason]),
    partnerClosing(ctx),
  );
