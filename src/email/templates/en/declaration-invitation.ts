import type { DeclarationNoticeContext } from '../../families/declaration';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, networkName, partnerClosing } from './common';

export const subject = (ctx: DeclarationNoticeContext) =>
  `Joining the partner network: your declaration – please submit by ${dueDate(ctx)}`;

export const text = (ctx: DeclarationNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `We are delighted that ${ctx.partnerName} wishes to join the partner network ${networkName}. The first step is your declaration: in your own words, describe the concrete measures with which you will advance the intercultural opening of your organisation, and which milestones you intend to reach by when.`,
    facts(['Organisation', ctx.partnerName], ['Submit by', dueDate(ctx)]),
    `Please use the following form for your declaration; you can save drafts there:\n${ctx.formUrl}`,
    'The accepted declaration becomes part of the partner agreement, signed by your leadership and the State Secretary for Integration. If you have any questions, we are happy to help.',
    partnerClosing(ctx),
  );
