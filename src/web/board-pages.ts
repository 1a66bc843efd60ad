/**
 * The staff board of a year and each report's page. The board is the year at a glance (one row a
 * partner, however many partners there are); a report's page shows what the partner submitted,
 * each version and its review, and the decisions and links staff act with, beside what they read.
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { DateTime } from 'luxon';
import { recordAudit } from '../db/queries/audit';
import { listBoard, type BoardRow } from '../db/queries/email-deliveries';
import { listPartnerLinks, revokePartnerLink } from '../db/queries/partner-links';
import { findPartnerByNumber } from '../db/queries/partners';
import { listSubmittedVersions } from '../db/queries/reporting';
import { decisionPhases } from '../domain/report-phase';
import { issuePartnerLink, linkState } from '../email/partner-links';
import { actorOf } from '../http/api';
import { accountWith, permissions } from '../http/auth';
import { nowOf, type AppEnv } from '../http/context';
import { formRequestInput } from '../http/form-requests';
import { decide, decisions, type Decision } from '../http/reporting-service';
import { lastEmailCell } from './delivery-view';
import { formField } from './fields';
import { t, textsOf, type Lang } from './i18n';
import { dateTime, dayLabel, phaseLabel } from './labels';
import { alert, errorSummary, heading, page, type Html } from './layout';
import { storedCopy } from './report-copy';
import { classifyVersion } from '../http/classification-service';
import { openClassifications, type ClassificationKind, type OpenClassification } from '../domain/report-classification';
import { parseReportSubmission } from '../domain/report';
import { categoryLabels, fieldOfActionLabels, statusLabels, translateReason, type FieldError, type FieldSpec, type Pair } from './report-form';
import { forbidden, staffPaths } from './staff-pages';

export const boardPaths = {
  report: (year: number, partner: number) => `/staff/reports/${year}/${partner}`,
  version: (year: number, partner: number, reference: string) => `/staff/reports/${year}/${partner}?version=${encodeURIComponent(reference)}#copy`,
  classifications: (year: number, partner: number, reference: string) => `/staff/reports/${year}/${partner}/versions/${encodeURIComponent(reference)}/classifications`,
};

const words = {
  reportTitle: ['Bericht {year}: {partner}', 'Report {year}: {partner}'],
  backToBoard: ['Zurück zu den Berichten {year}', 'Back to the reports of {year}'],
  decide: ['Entscheiden', 'Decide'],
  nothingToDecide: ['Im Stand „{phase}“ ist nichts zu entscheiden.', 'Nothing to decide while the report is “{phase}”.'],
  links: ['Persönlicher Link', 'Personal link'],
  submittedVersions: ['Eingereichte Fassungen', 'Submitted versions'],
  noVersion: ['Noch keine Fassung eingereicht.', 'No version submitted yet.'],
  review: ['Prüfung', 'Review'],
  version: ['Fassung {reference}', 'Version {reference}'],
  shown: ['angezeigt', 'shown'],
  history: ['Verlauf des Arbeitsablaufs', 'Workflow history'],
  notStarted: ['Für diesen Partner läuft im Jahr {year} kein Bericht.', 'This partner has no report running in {year}.'],
  classify: ['Zuordnung durch das Ministerium', 'Classification by the ministry'],
  classifyHint: [
    'Was die Partnerorganisation offengelassen hat, ordnen Sie hier zu; es erscheint im Bericht als „vom Ministerium zugeordnet“. „nicht zugeordnet“ nimmt eine Zuordnung zurück. Was sie angegeben hat, bleibt ihre Angabe.',
    'What the partner left open is classified here; the report shows it as “assigned by the ministry”. “not assigned” withdraws a classification. What the partner stated stays the partner’s.',
  ],
  saveClassifications: ['Zuordnungen speichern', 'Save classifications'],
  classified: ['{count} Zuordnung(en) gespeichert.', '{count} classification(s) saved.'],
  notAssigned: ['– nicht zugeordnet –', '– not assigned –'],
  assignedBy: ['zugeordnet von {by} am {at}', 'assigned by {by} on {at}'],
  section: ['Abschnitt „{heading}“', 'Section “{heading}”'],
  beforeHeadings: ['vor der ersten Überschrift', 'before the first heading'],
  measure: ['Maßnahme „{title}“', 'Measure “{title}”'],
  untitledMeasure: ['Maßnahme ohne Titel', 'Untitled measure'],
  figure: ['Kennzahl „{label}“', 'Figure “{label}”'],
  within: ['{what} in {where}', '{what} in {where}'],
} as const satisfies Record<string, readonly [string, string]>;

const say = textsOf(words);

const reviews = {
  pending: ['offen', 'pending'],
  accepted: ['angenommen', 'accepted'],
  revision_requested: ['Überarbeitung angefordert', 'revision requested'],
} as const satisfies Record<string, readonly [string, string]>;

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

/** A decision form sent back with errors: its values are shown again. */
type Retry = { decision: Decision; form: Record<string, unknown> };

/** "2-extension-dueDate" as "Partner 2, Frist verlängern, Neues Fälligkeitsdatum". */
function decisionFieldLabel(lang: Lang, field: string): string {
  const [partner, decision, name] = field.split('-') as [string, Decision, string];
  if ((decision as string) === 'links') return `${t(lang, 'partner')} ${partner}, ${t(lang, 'issueLink')}`;
  const spec = decisionFields[decision]?.find((s) => s.name === name);
  const action = decisionLabels[decision] ? t(lang, decisionLabels[decision]) : decision;
  return `${t(lang, 'partner')} ${partner}, ${action}${spec ? `: ${spec.label[lang === 'de' ? 0 : 1]}` : ''}`;
}

export function mountBoardPages(app: Hono<AppEnv>): void {
  app.get('/staff', (c) => c.redirect(staffPaths.board(), 303));

  app.get('/staff/reports', (c) => {
    if (!accountWith(c.get('principal'), permissions.viewBoard)) return forbidden(c);
    const year = Number(c.req.query('year')) || nowOf(c.get('deps')).getUTCFullYear();
    return c.redirect(staffPaths.board(year), 303);
  });

  app.get('/staff/reports/:year{[0-9]{4}}', async (c) => board(c, Number(c.req.param('year'))));

  app.get('/staff/reports/:year{[0-9]{4}}/:partner{[0-9]+}', async (c) =>
    reportPage(c, Number(c.req.param('year')), Number(c.req.param('partner')), { errors: [] }),
  );

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
      return reportPage(c, year, partnerNumber, { errors: [{ field, message }], status: 422 });
    }
    const link = await issuePartnerLink(deps.db, deps.config, {
      organisationId: partner.id,
      purpose: 'annual-report',
      subject: String(year),
      expiresAt: expiresAt.toJSDate(),
      issuedBy: actorOf(principal),
    });
    // Shown once, on this page only: the link is not kept anywhere it could be read again.
    const notice = alert('success', t(lang, 'linkIssued', { partner: partnerNumber }), html`<p class="kern-body"><code>${link.url}</code></p>`);
    return reportPage(c, year, partnerNumber, { errors: [], notice });
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
    return reportPage(c, year, partner.number, { errors: [], notice: alert('success', t(c.get('lang'), 'linksRevoked', { count: revoked })) });
  });

  app.post('/staff/reports/:year{[0-9]{4}}/:partner{[0-9]+}/versions/:reference/classifications', async (c) => {
    const principal = accountWith(c.get('principal'), permissions.decide);
    if (!principal) return forbidden(c);
    const deps = c.get('deps');
    const lang = c.get('lang');
    const year = Number(c.req.param('year'));
    const partner = Number(c.req.param('partner'));
    const reference = c.req.param('reference');
    const form = await c.req.parseBody();
    const errors: FieldError[] = [];
    let saved = 0;
    // One select a classification (classify-<i>, with its path and the value it showed); only changes
    // are stored, and "nicht zugeordnet" chosen where a value showed withdraws the ministry's value.
    for (let index = 0; typeof form[`classify-${index}-path`] === 'string'; index += 1) {
      const value = form[`classify-${index}`];
      if (typeof value !== 'string' || value === (form[`classify-${index}-was`] ?? '')) continue;
      const result = await classifyVersion(
        { db: deps.db, timezone: deps.config.timezone, now: nowOf(deps) },
        { partnerNumber: partner, year, reference },
        { path: form[`classify-${index}-path`] as string, value: value === '' ? null : value, by: principal.account.name },
      );
      if (result.ok) saved += 1;
      else if (result.status === 404) return c.notFound();
      else errors.push({ field: `classify-${index}`, message: translateReason(result.errors.map((e) => e.replace(/^\w+: /, '')).join(' '), lang) });
    }
    if (errors.length > 0) return reportPage(c, year, partner, { errors, status: 422, version: reference });
    return c.redirect(`/staff/reports/${year}/${partner}?version=${encodeURIComponent(reference)}&classified=${saved}#classify`, 303);
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
    // Field names carry partner and decision, so every form on the page has its own ids.
    for (const key of ['comment', 'comments', 'dueDate', 'reason']) {
      const value = form[`${partner}-${decision}-${key}`];
      if (typeof value === 'string' && value.trim() !== '') args[key] = value;
    }
    const result = await decide(c.get('deps').temporal, { partnerNumber: partner, year }, decision, args);
    const lang = c.get('lang');
    if (!result.ok) {
      // "dueDate: must be …" belongs beside a field of the form; "state: cannot …" refuses the decision
      // as a whole (the phase moved on since the page was loaded), so it is said above the page.
      const errors: FieldError[] = [];
      const refusals: string[] = [];
      for (const line of result.errors) {
        const [field = '', ...reason] = line.split(': ');
        if (decisionFields[decision].some((spec) => spec.name === field)) errors.push({ field: `${partner}-${decision}-${field}`, message: translateReason(reason.join(': '), lang) });
        else refusals.push(translateReason(/^[\w.[\]]+$/.test(field) && reason.length > 0 ? reason.join(': ') : line, lang));
      }
      const refused = refusals.length > 0 ? alert('danger', `${t(lang, 'partner')} ${partner}, ${t(lang, decisionLabels[decision])}: ${refusals.join(' ')}`) : undefined;
      return reportPage(c, year, partner, { errors, retry: { decision, form }, status: result.status, notice: refused });
    }
    return c.redirect(`${staffPaths.board(year)}?done=${partner}`, 303);
  });
}

async function board(c: Context<AppEnv>, year: number) {
  if (!accountWith(c.get('principal'), permissions.viewBoard)) return forbidden(c);
  const lang = c.get('lang');
  const rows = await listBoard(c.get('deps').db, year);
  const done = c.req.query('done');
  const title = t(lang, 'board', { year });
  return page(
    c,
    title,
    html`${heading(title)}
${done ? alert('success', `${t(lang, 'decisionDone')} (${t(lang, 'partner')} ${done})`) : ''}
<div class="kern-table-responsive"><table class="kern-table kern-table--striped">
<caption class="kern-sr-only">${title}</caption>
<thead class="kern-table__header"><tr><th scope="col">${t(lang, 'partner')}</th><th scope="col">${t(lang, 'phase')}</th><th scope="col">${t(lang, 'dueOn')}</th><th scope="col">${t(lang, 'escalation')}</th><th scope="col">${t(lang, 'versions')}</th><th scope="col">${lang === 'de' ? 'Letzte E-Mail' : 'Last email'}</th></tr></thead>
<tbody class="kern-table__body">${rows.map(
      (r) => html`<tr><th scope="row" class="kern-table__cell">${r.workflowId === undefined ? `${r.partner} – ${r.name}` : html`<a class="kern-link" href="${boardPaths.report(year, r.partner)}">${r.partner} – ${r.name}</a>`}</th><td class="kern-table__cell">${phaseLabel(lang, r.phase)}</td><td class="kern-table__cell">${r.dueAt ? dateTime(lang, r.dueAt) : '–'}</td><td class="kern-table__cell kern-table__cell--numeric">${r.escalation}</td><td class="kern-table__cell kern-table__cell--numeric">${r.versions}</td>${lastEmailCell(lang, r.lastEmail)}</tr>`,
    )}</tbody></table></div>`,
  );
}

type ReportPageState = { errors: FieldError[]; retry?: Retry; status?: 200 | 404 | 409 | 422; notice?: Html | undefined; version?: string };

/** One partner's report of `year`: where it stands, what was submitted, and what staff may do now. */
async function reportPage(c: Context<AppEnv>, year: number, partner: number, state: ReportPageState) {
  const principal = c.get('principal');
  if (!accountWith(principal, permissions.viewBoard)) return forbidden(c);
  const lang = c.get('lang');
  const deps = c.get('deps');
  const organisation = await findPartnerByNumber(deps.db, partner);
  const [row] = organisation ? await listBoard(deps.db, year, partner) : [];
  if (!organisation || !row) return page(c, t(lang, 'notFound'), heading(t(lang, 'notFound')), 404);
  const title = say(lang, 'reportTitle', { year, partner: `${partner} – ${row.name}` });
  const back = html`<p><a class="kern-link" href="${staffPaths.board(year)}">${say(lang, 'backToBoard', { year })}</a></p>`;
  if (row.workflowId === undefined) {
    // A link issued meanwhile is still shown, once.
    return page(c, title, html`${heading(title)}${back}${state.notice ?? ''}${errorSummary(lang, state.errors, (f) => decisionFieldLabel(lang, f))}<p class="kern-body">${say(lang, 'notStarted', { year })}</p>`, state.status ?? 200);
  }

  const versions = await listSubmittedVersions(deps.db, organisation.id, year);
  const wanted = state.version ?? c.req.query('version');
  const classified = c.req.query('classified');
  const shown = versions.find((v) => v.reference === wanted) ?? versions.at(-1);
  const canDecide = accountWith(principal, permissions.decide) !== undefined;
  const canManageLinks = accountWith(principal, permissions.manageLinks) !== undefined;
  const { errors, retry } = state;
  return page(
    c,
    title,
    html`${heading(title)}
${back}
${state.notice ?? ''}
${classified !== undefined ? alert('success', say(lang, 'classified', { count: Number(classified) || 0 })) : ''}
${errorSummary(lang, errors, (f) => (f.startsWith('classify-') ? say(lang, 'classify') : decisionFieldLabel(lang, f)))}
${standing(lang, row)}
${accountWith(principal, permissions.admin) ? html`<p><a class="kern-link" href="${staffPaths.workflow(row.workflowId)}">${say(lang, 'history')}</a></p>` : ''}
${canDecide ? html`<section aria-labelledby="decide"><h2 class="kern-heading-medium" id="decide">${say(lang, 'decide')}</h2>${decisionForms(lang, year, partner, row.phase, errors, retry)}</section>` : ''}
${canManageLinks ? html`<section aria-labelledby="links"><h2 class="kern-heading-medium" id="links">${say(lang, 'links')}</h2>${linkForms(lang, year, partner, errors)}</section>` : ''}
<section aria-labelledby="versions"><h2 class="kern-heading-medium" id="versions">${say(lang, 'submittedVersions')}</h2>
${versions.length === 0 ? html`<p class="kern-body">${say(lang, 'noVersion')}</p>` : versionTable(lang, year, partner, versions, shown?.reference)}
</section>
${shown ? html`<section aria-labelledby="copy"><h2 class="kern-heading-medium" id="copy">${say(lang, 'version', { reference: shown.reference })}</h2>${storedCopy(lang, shown.content)}</section>` : ''}
${shown && canDecide ? classificationForm(lang, year, partner, shown, errors) : ''}`,
    state.status ?? 200,
  );
}

function standing(lang: Lang, row: BoardRow) {
  const item = (key: string, value: unknown) => html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${key}</dt><dd class="kern-description-list-item__value">${value}</dd></div>`;
  const last = lastEmailCell(lang, row.lastEmail);
  return html`<dl class="kern-description-list">
${item(t(lang, 'phase'), phaseLabel(lang, row.phase))}
${item(t(lang, 'dueOn'), row.dueAt ? dateTime(lang, row.dueAt) : '–')}
${item(t(lang, 'escalation'), row.escalation)}
</dl>
<div class="kern-table-responsive"><table class="kern-table kern-table--small"><thead class="kern-table__header"><tr><th scope="col">${lang === 'de' ? 'Letzte E-Mail' : 'Last email'}</th></tr></thead><tbody class="kern-table__body"><tr>${last}</tr></tbody></table></div>`;
}

/** The decisions the report's phase allows (the workflow refuses the others). */
function decisionForms(lang: Lang, year: number, partner: number, phase: string, errors: FieldError[], retry: Retry | undefined) {
  const allowed = decisions.filter((decision) => (decisionPhases[decision] as readonly string[]).includes(phase));
  if (allowed.length === 0) return html`<p class="kern-body">${say(lang, 'nothingToDecide', { phase: phaseLabel(lang, phase) })}</p>`;
  return html`<div class="decision-forms">${allowed.map((decision) => {
    const mine = retry?.decision === decision;
    return html`<form method="post" action="/staff/reports/${year}/${partner}/${decision}" novalidate>${formRequestInput()}
${decisionFields[decision].map((spec) => {
  const name = `${partner}-${decision}-${spec.name}`;
  const value = mine && typeof retry.form[name] === 'string' ? (retry.form[name] as string) : '';
  return formField(lang, name, spec, value, errors);
})}
<button class="kern-btn kern-btn--secondary" type="submit"><span class="kern-label">${t(lang, decisionLabels[decision])}</span></button>
</form>`;
  })}</div>`;
}

function linkForms(lang: Lang, year: number, partner: number, errors: FieldError[]) {
  const expiresSpec: FieldSpec = { name: 'expiresOn', kind: 'text', label: ['Neuer Link gültig bis (JJJJ-MM-TT)', 'New link valid until (YYYY-MM-DD)'], required: true };
  return html`<div class="decision-forms"><form method="post" action="/staff/reports/${year}/${partner}/links" novalidate>${formField(lang, `${partner}-links-expiresOn`, expiresSpec, '', errors)}
<button class="kern-btn kern-btn--secondary" type="submit"><span class="kern-label">${t(lang, 'issueLink')}</span></button></form>
<form method="post" action="/staff/reports/${year}/${partner}/links/revoke"><p class="kern-body">${t(lang, 'revokeLinksHint')}</p>
<button class="kern-btn kern-btn--secondary" type="submit"><span class="kern-label">${t(lang, 'revokeLinks')}</span></button></form></div>`;
}

type StoredVersion = Awaited<ReturnType<typeof listSubmittedVersions>>[number];

function versionTable(lang: Lang, year: number, partner: number, versions: StoredVersion[], shown: string | undefined) {
  const i = lang === 'de' ? 0 : 1;
  return html`<div class="kern-table-responsive"><table class="kern-table kern-table--striped">
<thead class="kern-table__header"><tr><th scope="col">${t(lang, 'reference')}</th><th scope="col">${t(lang, 'submittedAt')}</th><th scope="col">${say(lang, 'review')}</th></tr></thead>
<tbody class="kern-table__body">${versions.map(
    (v) => html`<tr><th scope="row" class="kern-table__cell">${v.reference === shown ? html`${v.reference} (${say(lang, 'shown')})` : html`<a class="kern-link" href="${boardPaths.version(year, partner, v.reference)}">${v.reference}</a>`}</th><td class="kern-table__cell">${dateTime(lang, v.submittedAt.toISOString())}</td><td class="kern-table__cell">${reviews[v.review][i]}${v.reviewComment ? html`: ${v.reviewComment}` : ''}${v.reviewedAt ? html` <span class="kern-body kern-body--small">(${dateTime(lang, v.reviewedAt.toISOString())})</span>` : ''}</td></tr>`,
  )}</tbody></table></div>`;
}

const classificationKindLabels: Record<ClassificationKind, { labels: Record<string, Pair>; what: Pair }> = {
  fieldOfAction: { labels: fieldOfActionLabels, what: ['Handlungsfeld', 'Field of action'] },
  status: { labels: statusLabels, what: ['Stand der Umsetzung', 'Status'] },
  category: { labels: categoryLabels, what: ['Thema der Kennzahl', 'Topic of the figure'] },
};

/** "Handlungsfeld – Maßnahme „Sprachkurse“ in Abschnitt „2. Personal“": what a select classifies, and where. */
function classificationLabel(lang: Lang, open: OpenClassification): string {
  const where = open.section === undefined ? say(lang, 'beforeHeadings') : say(lang, 'section', { heading: open.section });
  const isSection = /^sections\[\d+\](\.subsections\[\d+\])*\.fieldOfAction$/.test(open.path);
  const what =
    open.kind === 'category'
      ? say(lang, 'figure', { label: open.item ?? '' })
      : isSection
        ? where
        : open.item === undefined
          ? say(lang, 'untitledMeasure')
          : say(lang, 'measure', { title: open.item });
  const place = isSection ? what : say(lang, 'within', { what, where });
  return `${classificationKindLabels[open.kind].what[lang === 'de' ? 0 : 1]} – ${place}`;
}

/** The selects for what the partner left open in the shown version; nothing when it left nothing open. */
function classificationForm(lang: Lang, year: number, partner: number, version: StoredVersion, errors: FieldError[]) {
  const parsed = parseReportSubmission(version.content);
  if (!parsed.ok) return '';
  const open = openClassifications(parsed.report);
  if (open.length === 0) return '';
  return html`<section aria-labelledby="classify"><h2 class="kern-heading-medium" id="classify">${say(lang, 'classify')}</h2>
<p class="kern-body">${say(lang, 'classifyHint')}</p>
<form method="post" action="${boardPaths.classifications(year, partner, version.reference)}" class="form-stack" novalidate>
${open.map((item, index) => {
  const labels = classificationKindLabels[item.kind].labels;
  const spec: FieldSpec = {
    name: `classify-${index}`,
    kind: 'select',
    label: [classificationLabel('de', item), classificationLabel('en', item)],
    options: Object.keys(labels).map((value) => ({ value, label: labels[value] as Pair })),
    emptyOption: words.notAssigned,
    required: false,
    ...(item.assigned ? { hint: [say('de', 'assignedBy', { by: item.assigned.by, at: dayLabel('de', item.assigned.at) }), say('en', 'assignedBy', { by: item.assigned.by, at: item.assigned.at })] as const } : {}),
  };
  const was = item.assigned?.value ?? '';
  return html`<input type="hidden" name="classify-${index}-path" value="${item.path}"><input type="hidden" name="classify-${index}-was" value="${was}">
${formField(lang, `classify-${index}`, spec, was, errors)}`;
})}
<div><button class="kern-btn kern-btn--primary" type="submit"><span class="kern-label">${say(lang, 'saveClassifications')}</span></button></div>
</form></section>`;
}
