import type { DeclarationNoticeContext } from '../../families/declaration';
import { facts, paragraphs } from '../compose';
import { dueDate, greeting, staffClosing } from './common';

export const subject = (ctx: DeclarationNoticeContext) => `Beitritt: Absichtserklärung ausstehend – ${ctx.partnerName}`;

export const text = (ctx: DeclarationNoticeContext) =>
  paragraphs(
    greeting(ctx),
    'die Absichtserklärung der folgenden Organisation zu ihrem Beitritt in das Partnernetzwerk liegt trotz Erinnerung noch nicht vor:',
    facts(['Organisation', ctx.partnerName], ['Einreichung bis', dueDate(ctx)], ['Eskalationsstufe', ctx.escalationLevel || undefined]),
    `Den Stand des Beitritts finden Sie hier:\n${ctx.statusUrl}`,
    'Bitte prüfen Sie, ob eine Kontaktaufnahme mit der Organisation angezeigt ist.',
    staffClosing(ctx),
  );
