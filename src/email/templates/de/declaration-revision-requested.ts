import type { DeclarationNoticeContext } from '../../families/declaration';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const subject = (ctx: DeclarationNoticeContext) => `Ihre Absichtserklärung: bitte überarbeiten bis ${dueDate(ctx)}`;

export const text = (ctx: DeclarationNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'vielen Dank für Ihre Absichtserklärung. Bevor daraus die Partnervereinbarung entstehen kann, bitten wir Sie um folgende Änderungen:',
    required(ctx, 'comments', 'declaration-revision-requested'),
    facts(['Organisation', ctx.partnerName], ['Überarbeitung bis', dueDate(ctx)]),
    `Ihre bisherige Fassung finden Sie im Formular; dort können Sie die überarbeitete Erklärung einreichen:\n${ctx.formUrl}`,
    partnerClosing(ctx),
  );
