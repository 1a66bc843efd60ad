import type { SignatureNoticeContext } from '../../families/signature';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { greeting, partnerClosing } from './common';

export const subject = (ctx: SignatureNoticeContext) =>
  ctx.outcome === 'rejected' ? `Ihr Beitritt zum Partnernetzwerk: Entscheidung` : `Ihr Beitritt zum Partnernetzwerk ist beendet`;

export const text = (ctx: SignatureNoticeContext) =>
  paragraphs(
    greeting(ctx),
    ctx.outcome === 'rejected'
      ? `nach Prüfung können wir den Beitritt von ${ctx.partnerName} in das Partnernetzwerk derzeit leider nicht fortführen.`
      : `wie mitgeteilt, zieht ${ctx.partnerName} den Beitritt in das Partnernetzwerk zurück. Das Verfahren ist damit beendet.`,
    facts(['Organisation', ctx.partnerName], ['Begründung', required(ctx, 'reason', 'accession-closed')]),
    'Ein neuer Anlauf ist jederzeit möglich; sprechen Sie uns gern an.',
    partnerClosing(ctx),
  );
