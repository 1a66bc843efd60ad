import type { SignatureNoticeContext } from '../../families/signature';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { greeting, partnerClosing } from './common';

export const subject = (ctx: SignatureNoticeContext) =>
  ctx.outcome === 'rejected' ? `Your accession to the partner network: decision` : `Your accession to the partner network has ended`;

export const text = (ctx: SignatureNoticeContext) =>
  paragraphs(
    greeting(ctx),
    ctx.outcome === 'rejected'
      ? `Having reviewed it, we are unfortunately unable to continue the accession of ${ctx.partnerName} to the partner network at present.`
      : `As you told us, ${ctx.partnerName} withdraws from joining the partner network. The accession has ended.`,
    facts(['Organisation', ctx.partnerName], ['Reason', required(ctx, 'reason', 'accession-closed')]),
    'You are welcome to try again at any time; please get in touch.',
    partnerClosing(ctx),
  );
