import type { MilestoneNoticeContext } from '../../families/milestone';
import { required } from '../../notice-context';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, partnerClosing } from './common';

export const actionLabel = 'Rückmeldung geben';

export const subject = (ctx: MilestoneNoticeContext) => `Meilenstein „${required(ctx, 'milestoneText', 'milestone-request')}“: erreicht? – Rückmeldung bis ${dueDate(ctx)}`;

export const text = (ctx: MilestoneNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'in Ihrer Absichtserklärung haben Sie sich den folgenden Meilenstein vorgenommen. Bitte teilen Sie uns mit, ob er erreicht ist oder sich verschiebt; im zweiten Fall nennen Sie uns bitte den neuen Termin.',
    facts(['Organisation', ctx.partnerName], ['Maßnahme', ctx.measureTitle], ['Meilenstein', required(ctx, 'milestoneText', 'milestone-request')], ['Vorgesehen', ctx.dueText], ['Rückmeldung bis', dueDate(ctx)]),
    `Ihre Rückmeldung geben Sie hier:\n${ctx.formUrl}`,
    'Ihre Angaben übernehmen wir in den nächsten Jahresbericht.',
    partnerClosing(ctx),
  );
