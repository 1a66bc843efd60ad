import type { DeclarationNoticeContext } from '../../families/declaration';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const subject = (ctx: DeclarationNoticeContext) => `Your declaration: please revise by ${dueDate(ctx)}`;

export const text = (ctx: DeclarationNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'Thank you for your declaration. Before it can become the partner agreement, we ask you for the following changes:',
    required(ctx, 'comments', 'declaration-revision-requested'),
    facts(['Organisation', ctx.partnerName], ['Revise by', dueDate(ctx)]),
    `Your previous version is in the form, where you can submit the revised declaration:\n${ctx.formUrl}`,
    partnerClosing(ctx),
  );
