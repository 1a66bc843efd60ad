/**
 * Pages for ministry people: login (with TOTP for admins), the board of a year with decisions,
 * and the admin's workflow list and history.
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { DateTime } from 'luxon';
import { recordAudit } from '../db/queries/audit';
import { listPartnerLinks, revokePartnerLink } from '../db/queries/partner-links';
import { findPartnerByNumber } from '../db/queries/partners';
import { listBoard } from '../db/queries/email-deliveries';
import { issuePartnerLink, linkState } from '../email/partner-links';
import { endSession } from '../db/queries/sessions';
import { accountWith, clearSessionCookie, clientOf, login, permissions, setSessionCookie, verifySecondFactor } from '../http/auth';
import { actorOf } from '../http/api';
import { nowOf, type AppEnv } from '../http/context';
import { formRequestInput } from '../http/form-requests';
import { decide, decisions, type Decision } from '../http/reporting-service';
import { decisionPhases } from '../domain/report-phase';
import { listWorkflows, runWorkflowAction, workflowActions, workflowHistory } from '../http/workflow-admin';
import { actionLabel, actionsFor, payloadDetails, workflowEmailsSection, workflowFieldLabel } from './ops-pages';
import type { WorkflowFilters } from '../temporal/visibility-query';
import { lastEmailCell } from './delivery-view';
import { formField } from './fields';
import { t, type Lang } from './i18n';
import { alert, errorSummary, heading, page, type Html } from './layout';
import { dateTime, phaseLabel } from './labels';
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

  app.get('/staff', (c) => c.redirect(staffPaths.board(), 303));

  app.get('/staff/reports', (c) => {
    if (!accountWith(c.get('principal'), permissions.viewBoard)) return forbidden(c);
    const year = Number(c.req.query('year')) || nowOf(c.get('deps')).getUTCFullYear();
    return c.redirect(staffPaths.board(year), 303);
  });

  app.get('/staff/reports/:year{[0-9]{4}}', async (c) => board(c, Number(c.req.param('year')), []));

  app.post('/staff/reports/:year{[0-9]{4}}/:partner{[0-9]+}/links', async (c) => {
    const principal = accountWith(c.get('principal'), permissions.manageLinks);
    if (!principal) return forbidden(c);
    const deps = c.get('deps');
    const lang = c.get('lang');
    const year = Number(c.req.param('year'));
    const partnerNumber = Number(c.req.param('partner'));
    const form = await c.req.parseBody();
    const field = `${partnerNumber}-links-expiresOn`;
    const expiresOn = typeof form[field] === 'string' ? form[field].trim() : '';
    const expiresAt = DateTime.fromISO(expiresOn, { zone: deps.config.timezone }).endOf('day');
    const partner = await findPartnerByNumber(deps.db, partnerNumber);
    if (!partner) return c.notFound();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(expiresOn) || !expiresAt.isValid || expiresAt.toMillis() <= nowOf(deps).getTime()) {
      const message = lang === 'de' ? 'Bitte ein Datum in der Zukunft als JJJJ-MM-TT eingeben.' : 'Please enter a future date as YYYY-MM-DD.';
      return board(c, year, [{ field, message }], undefined, 422);
    }
    const link = await issuePartnerLink(deps.db, deps.config, {
      organisationId: partner.id,
      purpose: 'annual-report',
      subject: String(year),
      expiresAt: expiresAt.toJSDate(),
      issuedBy: actorOf(principal),
    });
    // Shown once, on this page only: the link is not kept anywhere it could be read again.
    return board(c, year, [], undefined, 200, alert('success', t(lang, 'linkIssued', { partner: partnerNumber }), html`<p class="kern-body"><code>${link.url}</code></p>`));
  });

  app.post('/staff/reports/:year{[0-9]{4}}/:partner{[0-9]+}/links/revoke', async (c) => {
    const principal = accountWith(c.get('principal'), permissions.manageLinks);
    if (!principal) return forbidden(c);
    const deps = c.get('deps');
    const year = Number(c.req.param('year'));
    const partner = await findPartnerByNumber(deps.db, Number(c.req.param('partner')));
    if (!partner) return c.notFound();
    const links = await listPartnerLinks(deps.db, { organisationId: partner.id, purpose: 'annual-report', subject: String(year) });
    let revoked = 0;
    for (const link of links.filter((l) => linkState(l, nowOf(deps)) === 'valid')) {
      if (!(await revokePartnerLink(deps.db, link.id, actorOf(principal)))) continue;
      await recordAudit(deps.db, { occurredAt: nowOf(deps), actor: actorOf(principal), entityType: 'partner_link', entityId: String(link.id), action: 'revoked' });
      revoked += 1;
    }
    return board(c, year, [], undefined, 200, alert('success', t(c.get('lang'), 'linksRevoked', { count: revoked })));
  });

  app.post('/staff/reports/:year{[0-9]{4}}/:partner{[0-9]+}/:decision', async (c) => {
    const principal = accountWith(c.get('principal'), permissions.decide);
    if (!principal) return forbidden(c);
    const year = Number(c.req.param('year'));
    const partner = Number(c.req.param('partner'));
    const decision = decisions.find((d) => d === c.req.param('decision'));
    if (!decision) return c.notFound();
    const form = await c.req.parseBody();
    const args: Record<string, string> = { by: principal.account.name };
    // Field names carry partner and decision, so every form on the board has its own ids.
    for (const key of ['comment', 'comments', 'dueDate', 'reason']) {
      const value = form[`${partner}-${decision}-${key}`];
      if (typeof value === 'string' && value.trim() !== '') args[key] = value;
    }
    const result = await decide(c.get('deps').temporal, { partnerNumber: partner, year }, decision, args);
    const lang = c.get('lang');
    if (!result.ok) {
      // "dueDate: must be …" belongs beside a field of the form; "state: cannot …" refuses the decision
      // as a whole (the phase moved on since the page was loaded), so it is said above the board.
      const errors: FieldError[] = [];
      const refusals: string[] = [];
      for (const line of result.errors) {
        const [field = '', ...reason] = line.split(': ');
        if (decisionFields[decision].some((spec) => spec.name === field)) errors.push({ field: `${partner}-${decision}-${field}`, message: translateReason(reason.join(': '), lang) });
        else refusals.push(translateReason(/^[\w.[\]]+$/.test(field) && reason.length > 0 ? reason.join(': ') : line, lang));
      }
      const refused = refusals.length > 0 ? alert('danger', `${t(lang, 'partner')} ${partner}, ${t(lang, decisionLabels[decision])}: ${refusals.join(' ')}`) : undefined;
      return board(c, year, errors, { partner, decision, form }, result.status, refused);
    }
    return c.redirect(`${staffPaths.board(year)}?done=${partner}`, 303);
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

type Retry = { partner: number; decision: Decision; form: Record<string, unknown> };

const decisionFields: Record<Decision, FieldSpec[]> = {
  accept: [{ name: 'comment', kind: 'textarea', label: ['Kommentar', 'Comment'], required: false }],
  revision: [{ name: 'comments', kind: 'textarea', label: ['Was überarbeitet werden soll', 'What to revise'], required: true }],
  extension: [
    { name: 'dueDate', kind: 'text', label: ['Neues Fälligkeitsdatum (JJJJ-MM-TT)', 'New due date (YYYY-MM-DD)'], required: true },
    { name: 'reason', kind: 'text', label: ['Begründung', 'Reason'], required: true },
  ],
  waiver: [{ name: 'reason', kind: 'text', label: ['Begründung', 'Reason'], required: true }],
};
const decisionLabels: Record<Decision, 'accept' | 'requestRevision' | 'extend' | 'waive'> = {
  accept: 'accept',
  revision: 'requestRevision',
  extension: 'extend',
  waiver: 'waive',
};

/** "2-extension-dueDate" as "Partner 2, Frist verlängern, Neues Fälligkeitsdatum". */
function decisionFieldLabel(lang: Lang, field: string): string {
  const [partner, decision, name] = field.split('-') as [string, Decision, string];
  if ((decision as string) === 'links') return `${t(lang, 'partner')} ${partner}, ${t(lang, 'issueLink')}`;
  const spec = decisionFields[decision]?.find((s) => s.name === name);
  const action = decisionLabels[decision] ? t(lang, decisionLabels[decision]) : decision;
  return `${t(lang, 'partner')} ${partner}, ${action}${spec ? `: ${spec.label[lang === 'de' ? 0 : 1]}` : ''}`;
}

async function board(c: Context<AppEnv>, year: number, errors: FieldError[], retry?: Retry, status: 200 | 404 | 409 | 422 = 200, notice?: Html) {
  if (!accountWith(c.get('principal'), permissions.viewBoard)) return forbidden(c);
  const lang = c.get('lang');
  const rows = await listBoard(c.get('deps').db, year);
  const canDecide = accountWith(c.get('principal'), permissions.decide) !== undefined;
  const canManageLinks = accountWith(c.get('principal'), permissions.manageLinks) !== undefined;
  const expiresSpec: FieldSpec = { name: 'expiresOn', kind: 'text', label: ['Neuer Link gültig bis (JJJJ-MM-TT)', 'New link valid until (YYYY-MM-DD)'], required: true };
  const linkForms = (partner: number) =>
    canManageLinks
      ? html`<form method="post" action="/staff/reports/${year}/${partner}/links" novalidate>${formField(lang, `${partner}-links-expiresOn`, expiresSpec, '', errors)}
<button class="kern-btn kern-btn--secondary" type="submit"><span class="kern-label">${t(lang, 'issueLink')}</span></button></form>
<form method="post" action="/staff/reports/${year}/${partner}/links/revoke"><p class="kern-body">${t(lang, 'revokeLinksHint')}</p>
<button class="kern-btn kern-btn--secondary" type="submit"><span class="kern-label">${t(lang, 'revokeLinks')}</span></button></form>`
      : '';
  const done = c.req.query('done');
  const title = t(lang, 'board', { year });
  // Only the decisions the report's phase allows (the workflow refuses the others).
  const decisionForms = (partner: number, phase: string) =>
    decisions.filter((decision) => (decisionPhases[decision] as readonly string[]).includes(phase)).map((decision) => {
      const mine = retry?.partner === partner && retry.decision === decision;
      return html`<form method="post" action="/staff/reports/${year}/${partner}/${decision}" novalidate>${formRequestInput()}
${decisionFields[decision].map((spec) => {
  const name = `${partner}-${decision}-${spec.name}`;
  const value = mine && typeof retry.form[name] === 'string' ? (retry.form[name] as string) : '';
  return formField(lang, name, spec, value, errors);
})}
${mine ? errors.filter((e) => !decisionFields[decision].some((s) => e.field === `${partner}-${decision}-${s.name}`)).map((e) => alert('danger', e.message)) : ''}
<button class="kern-btn kern-btn--secondary" type="submit"><span class="kern-label">${t(lang, decisionLabels[decision])}</span></button>
</form>`;
    });
  return page(
    c,
    title,
    html`${heading(title)}
${done ? alert('success', `${t(lang, 'decisionDone')} (${t(lang, 'partner')} ${done})`) : ''}
${notice ?? ''}
${errorSummary(lang, errors, (f) => decisionFieldLabel(lang, f))}
<div class="kern-table-responsive"><table class="kern-table kern-table--striped">
<caption class="kern-sr-only">${title}</caption>
<thead class="kern-table__header"><tr><th scope="col">${t(lang, 'partner')}</th><th scope="col">${t(lang, 'phase')}</th><th scope="col">${t(lang, 'dueOn')}</th><th scope="col">${t(lang, 'escalation')}</th><th scope="col">${t(lang, 'versions')}</th><th scope="col">${lang === 'de' ? 'Letzte E-Mail' : 'Last email'}</th></tr></thead>
<tbody class="kern-table__body">${rows.map(
      (r) => html`<tr><th scope="row" class="kern-table__cell">${r.partner} – ${r.name}</th><td class="kern-table__cell">${phaseLabel(lang, r.phase)}</td><td class="kern-table__cell">${r.dueAt ? dateTime(lang, r.dueAt) : '–'}</td><td class="kern-table__cell kern-table__cell--numeric">${r.escalation}</td><td class="kern-table__cell kern-table__cell--numeric">${r.versions}</td>${lastEmailCell(lang, r.lastEmail)}</tr>`,
    )}</tbody></table></div>
${canDecide ? rows.filter((r) => r.workflowId !== undefined && !['accepted', 'waived', 'closed'].includes(r.phase)).map(
      (r) => html`<section aria-labelledby="p-${r.partner}"><h2 class="kern-heading-medium" id="p-${r.partner}">${r.partner} – ${r.name}: ${phaseLabel(lang, r.phase)}</h2><div class="decision-forms">${decisionForms(r.partner, r.phase)}${linkForms(r.partner)}</div></section>`,
    ) : ''}`,
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

