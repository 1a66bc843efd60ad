import type { SignatureNoticeContext } from '../../families/signature';
import { formatDay } from '../../format';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { greeting, networkName, partnerClosing } from './common';

export const subject = (ctx: SignatureNoticeContext) => `Welcome to the partner network ${networkName}`;

export const text = (ctx: SignatureNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `The partner agreement is signed by both sides: ${ctx.partnerName} is now a partner in the network ${networkName}. Welcome!`,
    facts(['Organisation', ctx.partnerName], ['Joined on', formatDay(required(ctx, 'accessionDate', 'accession-welcome'), 'en')]),
    'Once a year you report how you carry out the agreed measures; we invite you in good time for each year. Before each milestone of your declaration we ask whether it was reached.',
    partnerClosing(ctx),
  );
