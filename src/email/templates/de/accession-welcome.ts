import type { SignatureNoticeContext } from '../../families/signature';
import { formatDay } from '../../format';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { greeting, networkName, partnerClosing } from './common';

export const subject = (ctx: SignatureNoticeContext) => `Willkommen im Partnernetzwerk ${networkName}`;

export const text = (ctx: SignatureNoticeContext) =>
  paragraphs(
    greeting(ctx),
    `die Partnervereinbarung ist von beiden Seiten unterzeichnet: ${ctx.partnerName} ist nun Partner im Netzwerk ${networkName}. Herzlich willkommen!`,
    facts(['Organisation', ctx.partnerName], ['Beitritt am', formatDay(required(ctx, 'accessionDate', 'accession-welcome'), 'de')]),
    'Einmal im Jahr berichten Sie, wie Sie die vereinbarten Maßnahmen umsetzen; zu jedem Berichtsjahr laden wir Sie rechtzeitig ein. Vor den Meilensteinen Ihrer Erklärung fragen wir nach, ob sie erreicht sind.',
    partnerClosing(ctx),
  );
