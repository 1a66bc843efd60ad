/**
 * Pages for ministry people: login (with TOTP for admins), logout, and the admin's workflow list and
 * history. The board of a year and each report's page are in board-pages.ts.
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { endSession } from '../db/queries/sessions';
import { accountWith, clearSessionCookie, clientOf, login, permissions, setSessionCookie, verifySecondFactor } from '../http/auth';
import { actorOf } from '../http/api';
import type { AppEnv } from '../http/context';
import { listWorkflows, runWorkflowAction, workflowActions, workflowHistory } from '../http/workflow-admin';
import { actionLabel, actionsFor, payloadDetails, workflowEmailsSection, workflowFieldLabel } from './ops-pages';
import type { WorkflowFilters } from '../temporal/visibility-query';
import { formField } from './fields';
import { t } from './i18n';
import { alert, errorSummary, heading, page } from './layout';
import { dateTime } from './labels';
import { translateReason, type FieldError, type FieldSpec } from './report-form';

export const staffPaths = {
  login: '/staff/login',
  secondFactor: '/staff/login/second-factor',
  board: (year?: number) => (year === undefined ? '/staff/reports' : `/staff/reports/${year}`),
  workflows: '/admin/workflows',
  workflow: (id: string) => `/admin/workflow?id=${encodeURIComponent(id)}`,
};

const emailSpec: FieldSpec = { name: 'email', kind: 'text', input: { type: 'email', autocomplete: 'username' }, label: ['E-Mail-Adresse', 'Email address'], required: true };
const passwordSpec: FieldSpec = { name: 'password', kind: 'text', input: { type: 'password', autocomplete: 'current-password' }, label: ['Passwort', 'Password'], required: true };
const codeSpec: FieldSpec = {
  name: 'code',
  kind: 'text',
  input: { type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric' },
  label: ['Sechsstelliger Code aus Ihrer Authenticator-App', 'Six-digit code from your authenticator app'],
  required: true,
};

function loginPage(c: Context<AppEnv>, errors: FieldError[], email = '', status: 200 | 401 | 429 = 200) {
  const lang = c.get('lang');
  return page(
    c,
    t(lang, 'staffLogin'),
    html`${heading(t(lang, 'staffLogin'))}
${errorSummary(lang, errors, (f) => (f === 'email' ? t(lang, 'email') : t(lang, 'password')))}
<form method="post" action="${staffPaths.login}" class="form-stack" novalidate>
${formField(lang, 'email', emailSpec, email, errors)}
${formField(lang, 'password', passwordSpec, '', [])}
<button class="kern-btn kern-btn--primary" type="submit"><span class="kern-label">${t(lang, 'login')}</span></button>
</form>`,
    status,
  );
}

export function forbidden(c: Context<AppEnv>) {
  const lang = c.get('lang');
  if (!c.get('principal')) return c.redirect(staffPaths.login, 303);
  return page(c, t(lang, 'forbidden'), html`${heading(t(lang, 'forbidden'))}<p class="kern-body">${t(lang, 'forbiddenText')}</p>`, 403);
}

export function mountStaffPages(app: Hono<AppEnv>): void {
  app.get(staffPaths.login, (c) => loginPage(c, []));

  app.post(staffPaths.login, async (c) => {
    const deps = c.get('deps');
    const lang = c.get('lang');
    const form = await c.req.parseBody();
    const email = typeof form['email'] === 'string' ? form['email'] : '';
    const password = typeof form['password'] === 'string' ? form['password'] : '';
    const result = await login(deps, email, password, clientOf(c));
    if (!result.ok) return loginPage(c, [{ field: 'email', message: t(lang, 'loginFailed') }], email, 401);
    setSessionCookie(c, result.token, result.hours, deps.config.publicBaseUrl.startsWith('https:'));
    return c.redirect(result.secondFactorPending ? staffPaths.secondFactor : staffPaths.board(), 303);
  });

  app.get(staffPaths.secondFactor, (c) => secondFactorPage(c, []));

  app.post(staffPaths.secondFactor, async (c) => {
    const principal = c.get('principal');
    if (principal?.kind !== 'account') return c.redirect(staffPaths.login, 303);
    const form = await c.req.parseBody();
    const code = typeof form['code'] === 'string' ? form['code'] : '';
    if (!(await verifySecondFactor(c.get('deps'), principal, code))) {
      return secondFactorPage(c, [{ field: 'code', message: t(c.get('lang'), 'totpFailed') }], 401);
    }
    return c.redirect(staffPaths.workflows, 303);
  });

  app.post('/logout', async (c) => {
    const principal = c.get('principal');
    if (principal) await endSession(c.get('deps').db, principal.sessionId);
    clearSessionCookie(c);
    return c.redirect('/', 303);
  });

  app.get(staffPaths.workflows, async (c) => {
    if (!accountWith(c.get('principal'), permissions.admin)) return forbidden(c);
    const lang = c.get('lang');
    const filters: WorkflowFilters = {};
    const q = c.req.query();
    if (q['year'] && /^\d{4}$/.test(q['year'])) filters.year = Number(q['year']);
    if (q['partner'] && /^\d+$/.test(q['partner'])) filters.partner = Number(q['partner']);
    if (q['phase'] && /^[a-z_]{1,40}$/.test(q['phase'])) filters.phase = q['phase'];
    const rows = await listWorkflows(c.get('deps'), filters);
    return page(
      c,
      t(lang, 'workflows'),
      html`${heading(t(lang, 'workflows'))}
<form method="get" action="${staffPaths.workflows}" class="decision-forms">
${formField(lang, 'year', { name: 'year', kind: 'year', label: ['Jahr', 'Year'], required: false }, q['year'] ?? '', [])}
${formField(lang, 'partner', { name: 'partner', kind: 'year', label: ['Partnernummer', 'Partner number'], required: false }, q['partner'] ?? '', [])}
${formField(lang, 'phase', { name: 'phase', kind: 'text', label: ['Phase (z. B. overdue)', 'Phase (e.g. overdue)'], required: false }, q['phase'] ?? '', [])}
<div><button class="kern-btn kern-btn--secondary" type="submit"><span class="kern-label">${t(lang, 'filter')}</span></button></div>
</form>
<div class="kern-table-responsive"><table class="kern-table kern-table--striped">
<caption class="kern-sr-only">${t(lang, 'workflows')}</caption>
<thead class="kern-table__header"><tr><th scope="col">${t(lang, 'workflowId')}</th><th scope="col">${t(lang, 'type')}</th><th scope="col">${t(lang, 'status')}</th><th scope="col">${t(lang, 'started')}</th></tr></thead>
<tbody class="kern-table__body">${rows.map(
        (r) => html`<tr><td class="kern-table__cell"><a class="kern-link" href="${staffPaths.workflow(r.workflowId)}">${r.workflowId}</a></td><td class="kern-table__cell">${r.type}</td><td class="kern-table__cell">${r.status}</td><td class="kern-table__cell">${dateTime(lang, r.startTime)}</td></tr>`,
      )}</tbody></table></div>`,
    );
  });

  app.get('/admin/workflow', async (c) => workflowPage(c, []));

  app.post('/admin/workflow/:action', async (c) => {
    const principal = accountWith(c.get('principal'), permissions.admin);
    if (!principal) return forbidden(c);
    const action = workflowActions.find((a) => a === c.req.param('action'));
    const form = await c.req.parseBody();
    const id = typeof form['id'] === 'string' ? form['id'] : '';
    if (!action) return c.notFound();
    // The page's forms name the field after the action (ids stay unique); a plain `reason` is accepted as well.
    const typed = form[`${action}-reason`] ?? form['reason'];
    const reason = typeof typed === 'string' ? typed.trim() : '';
    const lang = c.get('lang');
    if (reason === '') return workflowPage(c, [{ field: `${action}-reason`, message: translateReason('must not be empty', lang) }], id, 422);
    const result = await runWorkflowAction(c.get('deps'), id, action, reason, actorOf(principal));
    if (!result.ok) return workflowPage(c, [{ field: `${action}-reason`, message: result.errors.join(' ') }], id, result.status);
    return c.redirect(`${staffPaths.workflow(id)}&done=${action}`, 303);
  });
}

function secondFactorPage(c: Context<AppEnv>, errors: FieldError[], status: 200 | 401 = 200) {
  const lang = c.get('lang');
  return page(
    c,
    t(lang, 'totpTitle'),
    html`${heading(t(lang, 'totpTitle'))}
${errorSummary(lang, errors, () => t(lang, 'totpCode'))}
<form method="post" action="${staffPaths.secondFactor}" class="form-stack" novalidate>
${formField(lang, 'code', codeSpec, '', errors)}
<button class="kern-btn kern-btn--primary" type="submit"><span class="kern-label">${t(lang, 'confirm')}</span></button>
</form>`,
    status,
  );
}

export async function workflowPage(c: Context<AppEnv>, errors: FieldError[], idFromForm?: string, status: 200 | 404 | 409 | 422 = 200) {
  const admin = accountWith(c.get('principal'), permissions.admin);
  if (!admin) return forbidden(c);
  const lang = c.get('lang');
  const id = idFromForm ?? c.req.query('id') ?? '';
  const history = id === '' ? undefined : await workflowHistory(c.get('deps'), id, actorOf(admin));
  if (!history) return page(c, t(lang, 'notFound'), heading(t(lang, 'notFound')), 404);
  const done = c.req.query('done');
  const reasonSpec: FieldSpec = { name: 'reason', kind: 'text', label: ['Begründung', 'Reason'], required: true };
  return page(
    c,
    history.workflowId,
    html`${heading(history.workflowId)}
${done ? alert('success', t(lang, 'actionDone')) : ''}
${errorSummary(lang, errors, (f) => workflowFieldLabel(lang, f))}
<p class="kern-body">${t(lang, 'status')}: ${history.status}</p>
<p><a class="kern-link" href="${history.temporalUiUrl}" rel="noopener noreferrer" target="_blank">${t(lang, 'openInTemporal')} <span class="kern-sr-only">(${lang === 'de' ? 'öffnet in neuem Fenster' : 'opens in a new window'})</span></a></p>
${actionsFor(history.status).length > 0 ? html`<div class="decision-forms">${actionsFor(history.status).map(
      (action) => html`<form method="post" action="/admin/workflow/${action}" novalidate><input type="hidden" name="id" value="${history.workflowId}">
${formField(lang, `${action}-reason`, reasonSpec, '', errors)}
<button class="kern-btn kern-btn--secondary" type="submit"><span class="kern-label">${actionLabel(lang, action)}</span></button></form>`,
    )}</div>` : ''}
<h2 class="kern-heading-medium">${t(lang, 'history')}</h2>
<div class="kern-table-responsive"><table class="kern-table kern-table--small">
<caption class="kern-sr-only">${t(lang, 'history')}</caption>
<thead class="kern-table__header"><tr><th scope="col">#</th><th scope="col">${t(lang, 'time')}</th><th scope="col">${t(lang, 'event')}</th><th scope="col">${t(lang, 'details')}</th></tr></thead>
<tbody class="kern-table__body">${history.events.map(
      (e) => html`<tr><td class="kern-table__cell kern-table__cell--numeric">${e.eventId}</td><td class="kern-table__cell">${e.time ? dateTime(lang, e.time) : ''}</td><td class="kern-table__cell">${e.event}</td><td class="kern-table__cell">${e.details}${payloadDetails(lang, e.payloads)}</td></tr>`,
    )}</tbody></table></div>
${await workflowEmailsSection(c, history.workflowId, errors)}`,
    status,
  );
}

