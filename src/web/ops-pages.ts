/**
 * The admin's operations on one workflow beyond cancel and terminate: the emails it sent with their
 * delivery outcome, resend one with a reason, and retry a failed run (labels for the workflow page).
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { emailsOfWorkflow, findLedgerEntry } from '../db/queries/email-deliveries';
import { actorOf } from '../http/api';
import { accountWith, permissions } from '../http/auth';
import type { AppEnv } from '../http/context';
import { canResend, resendEmail } from '../http/email-resend';
import { actionableStatuses, workflowActions, type WorkflowAction } from '../http/workflow-admin';
import { outcomeBadge } from './delivery-view';
import { formField } from './fields';
import { t, type Lang } from './i18n';
import { dateTime } from './labels';
import type { FieldError, FieldSpec } from './report-form';
import { translateReason } from './report-form';
import { forbidden, staffPaths, workflowPage } from './staff-pages';

export function actionsFor(status: string): WorkflowAction[] {
  return workflowActions.filter((action) => actionableStatuses[action].includes(status));
}

/** A field of the workflow page's forms as the error summary names it: "E-Mail 3: Begründung", "Abbrechen (cancel)". */
export function workflowFieldLabel(lang: Lang, field: string): string {
  const resend = /^resend-(\d+)-reason$/.exec(field);
  if (resend) return `${lang === 'de' ? 'E-Mail' : 'Email'} ${resend[1]}: ${resendReason.label[lang === 'de' ? 0 : 1]}`;
  const action = workflowActions.find((a) => field === `${a}-reason`);
  return action ? `${actionLabel(lang, action)}: ${t(lang, 'reason')}` : field;
}

export function actionLabel(lang: Lang, action: WorkflowAction): string {
  if (action === 'retry') return lang === 'de' ? 'Erneut versuchen (Reset)' : 'Retry (reset)';
  return t(lang, action);
}

/**
 * An event's decoded payloads, folded away under its summary line: JSON indented; an erased
 * partner's data says so rather than showing a blank.
 */
export function payloadDetails(lang: Lang, payloads: unknown[]) {
  if (payloads.length === 0) return '';
  const erased = payloads.some((value) => typeof value === 'object' && value !== null && 'erased' in value);
  const label = lang === 'de' ? 'Daten' : 'Data';
  return html`<details class="payloads"><summary>${label}${erased ? (lang === 'de' ? ' (gelöscht)' : ' (erased)') : ''}</summary>${payloads.map(
    (value) => html`<pre class="kern-body kern-body--small">${typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? '–')}</pre>`,
  )}</details>`;
}

const resendReason: FieldSpec = { name: 'reason', kind: 'text', label: ['Begründung für das erneute Senden', 'Reason for sending again'], required: true };

/** The workflow's emails from the ledger; a resend form on each one that reached an outcome. */
export async function workflowEmailsSection(c: Context<AppEnv>, workflowId: string, errors: FieldError[]) {
  const lang = c.get('lang');
  const emails = await emailsOfWorkflow(c.get('deps').db, workflowId);
  if (emails.length === 0) return '';
  const title = lang === 'de' ? 'E-Mails' : 'Emails';
  const resendable = (status: string) => canResend({ workflowId, status });
  return html`<h2 class="kern-heading-medium" id="emails">${title}</h2>
<div class="kern-table-responsive"><table class="kern-table kern-table--small">
<caption class="kern-sr-only">${title}</caption>
<thead class="kern-table__header"><tr><th scope="col">${lang === 'de' ? 'Vorlage' : 'Template'}</th><th scope="col">${lang === 'de' ? 'An (Rolle)' : 'To (role)'}</th><th scope="col">${t(lang, 'time')}</th><th scope="col">${t(lang, 'status')}</th><th scope="col">${lang === 'de' ? 'Versuche' : 'Attempts'}</th><th scope="col">${t(lang, 'actions')}</th></tr></thead>
<tbody class="kern-table__body">${emails.map(
    (e) => html`<tr><td class="kern-table__cell">${e.template}</td><td class="kern-table__cell">${e.recipientRole ?? '–'}</td><td class="kern-table__cell">${dateTime(lang, e.sentAt ?? e.createdAt)}</td><td class="kern-table__cell">${outcomeBadge(lang, e.outcome)}${e.error ? html`<br><span class="kern-body kern-body--small">${e.error}</span>` : ''}</td><td class="kern-table__cell kern-table__cell--numeric">${e.attempts}</td>
<td class="kern-table__cell">${resendable(e.status) ? html`<form method="post" action="/admin/emails/${e.ledgerId}/resend" novalidate class="form-stack">
${formField(lang, `resend-${e.ledgerId}-reason`, resendReason, '', errors)}
<button class="kern-btn kern-btn--secondary kern-btn--small" type="submit"><span class="kern-label">${lang === 'de' ? 'Erneut senden' : 'Resend'}</span></button></form>` : ''}</td></tr>`,
  )}</tbody></table></div>`;
}

export function mountOpsPages(app: Hono<AppEnv>): void {
  app.post('/admin/emails/:id{[0-9]+}/resend', async (c) => {
    const principal = accountWith(c.get('principal'), permissions.admin);
    if (!principal) return forbidden(c);
    const ledgerId = Number(c.req.param('id'));
    const row = await findLedgerEntry(c.get('deps').db, ledgerId);
    if (!row?.workflowId) return c.notFound();
    const form = await c.req.parseBody();
    const field = `resend-${ledgerId}-reason`;
    // The page's form names the field after its email; a plain `reason` is accepted as well.
    const typed = form[field] ?? form['reason'];
    const reason = typeof typed === 'string' ? typed.trim() : '';
    const lang = c.get('lang');
    if (reason === '') return workflowPage(c, [{ field, message: translateReason('must not be empty', lang) }], row.workflowId, 422);
    const result = await resendEmail(c.get('deps'), ledgerId, reason, actorOf(principal));
    if (!result.ok) return workflowPage(c, [{ field, message: result.errors.map((line) => translateReason(line.replace(/^[\w.]+: /, ''), lang)).join(' ') }], row.workflowId, result.status);
    return c.redirect(`${staffPaths.workflow(row.workflowId)}&done=resend#emails`, 303);
  });
}
