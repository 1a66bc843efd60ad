/**
 * The reporting cycle for staff: where it stands (counts per phase and escalation level), a dry run
 * of the plan before opening, opening it, compiling the report and every compiled version's files.
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { accountWith } from '../http/auth';
import { cyclePermissions } from '../http/api-cycles';
import { nowOf, type AppEnv } from '../http/context';
import { formRequestInput } from '../http/form-requests';
import { compileRequest, compiledFile, compiledVersions, requestArchiveRetry, type CompiledFile, cycleOpeningSchema, cycleProgressView, cycleStatus, openCycle, previewCycle, requestCycleCompile, type CyclePreview } from '../http/cycle-operations';
import { formatIssues } from '../domain/issues';
import { archiveState, type FormatStates } from '../documents/format-states';
import { formField } from './fields';
import { t, textsOf, type Lang } from './i18n';
import { alert, errorSummary, heading, page, type Html } from './layout';
import { dateTime, dayLabel, phaseLabel } from './labels';
import { translateReason, type FieldError, type FieldSpec } from './report-form';
import { forbidden } from './staff-pages';

export const cyclePaths = {
  cycles: '/staff/cycles',
  cycle: (year: number) => `/staff/cycles/${year}`,
  file: (year: number, version: number, file: string) => `/staff/cycles/${year}/versions/${version}/${encodeURIComponent(file)}`,
  typesetting: (year: number, version: number) => `/staff/cycles/${year}/versions/${version}/typesetting`,
};

const words = {
  title: ['Berichtszyklus {year}', 'Reporting cycle {year}'],
  none: ['Für dieses Jahr ist noch kein Zyklus angelegt.', 'No cycle has been created for this year yet.'],
  dueDate: ['Fällig am (JJJJ-MM-TT)', 'Due on (YYYY-MM-DD)'],
  asOf: ['Stand (JJJJ-MM-TT, leer: heute)', 'As of (YYYY-MM-DD, empty: today)'],
  preview: ['Probelauf anzeigen', 'Show dry run'],
  open: ['Zyklus eröffnen', 'Open the cycle'],
  openHint: ['Startet den Bericht jeder aktiven Partnerorganisation einmal; erneutes Eröffnen startet nichts doppelt.', 'Starts every active partner’s report once; opening again starts nothing twice.'],
  compile: ['Bericht zusammenstellen', 'Compile the report'],
  compileHint: ['Jede Zusammenstellung wird als neue Fassung gespeichert; frühere bleiben erhalten.', 'Each compilation is stored as a new version; earlier ones are kept.'],
  phases: ['Stand der Berichte', 'Where the reports stand'],
  levels: ['Eskalationsstufen', 'Escalation levels'],
  count: ['Anzahl', 'Count'],
  versions: ['Zusammengestellte Fassungen', 'Compiled versions'],
  version: ['Fassung', 'Version'],
  created: ['Erstellt am', 'Created'],
  included: ['Berichte enthalten', 'Reports included'],
  files: ['Dateien', 'Files'],
  noVersions: ['Noch keine Fassung zusammengestellt.', 'No version compiled yet.'],
  planned: ['Geplante Nachrichten (Probelauf, nichts wird gespeichert oder gestartet)', 'Planned messages (dry run: nothing is stored or started)'],
  partnersDue: ['{count} Partner mit Frist {dueDate}', '{count} partner(s) due {dueDate}'],
  sendAt: ['Versand', 'Send at'],
  step: ['Schritt', 'Step'],
  template: ['Vorlage', 'Template'],
  recipients: ['An', 'To'],
  opening: ['Der Zyklus wird eröffnet: {opened} von {total} Partnern', 'Opening the cycle: {opened} of {total} partners'],
  opened: ['Zyklus eröffnet: {total} Partner; {started} Berichte gestartet, {already} liefen bereits, {deferred} berichten ab dem nächsten Jahr.', 'Cycle opened: {total} partners; {started} reports started, {already} were running already, {deferred} report from next year on.'],
  compiling: ['Der Bericht wird erstellt …', 'The report is being compiled …'],
  compilingHint: ['Diese Seite zeigt die neue Fassung, sobald sie fertig ist.', 'This page shows the new version as soon as it is ready.'],
  compileFailed: ['Der Bericht konnte nicht erstellt werden.', 'The report could not be compiled.'],
  refresh: ['Stand aktualisieren', 'Refresh'],
  compileOn: ['Automatische Zusammenstellung am {date}', 'Compiled automatically on {date}'],
  compiled: ['Fassung {version} zusammengestellt.', 'Version {version} compiled.'],
  textReady: [
    'Fassung {version}: Textformate und Zahlen bereit (HTML, Markdown, CSV, XLSX, JSON); PDF und DOCX werden noch gesetzt …',
    'Version {version}: text formats and figures ready (HTML, Markdown, CSV, XLSX, JSON); PDF and DOCX are still being typeset …',
  ],
  archiveColumn: ['PDF/DOCX', 'PDF/DOCX'],
  archiveReady: ['bereit', 'ready'],
  archivePending: ['wird noch gesetzt', 'still being typeset'],
  archiveFailed: ['fehlgeschlagen: {reason}', 'failed: {reason}'],
  archiveFailedTitle: ['PDF und DOCX der Fassung {version} konnten nicht gesetzt werden.', 'The PDF and DOCX of version {version} could not be typeset.'],
  retry: ['PDF und DOCX erneut setzen', 'Typeset PDF and DOCX again'],
  retryQueued: ['PDF und DOCX der Fassung {version} werden erneut gesetzt; danach erhalten die Mitarbeitenden sie per E-Mail.', 'The PDF and DOCX of version {version} are being typeset again; staff are emailed them afterwards.'],
  notReadyPending: ['Die {format}-Fassung wird noch gesetzt. Bitte versuchen Sie es in einigen Minuten erneut.', 'The {format} is still being typeset. Please try again in a few minutes.'],
  notReadyFailed: ['Die {format}-Fassung konnte nicht gesetzt werden: {reason}', 'The {format} could not be typeset: {reason}'],
  back: ['Zurück zum Berichtszyklus', 'Back to the reporting cycle'],
} as const satisfies Record<string, readonly [string, string]>;

const say = textsOf(words);

const cycleStates = { draft: ['Entwurf', 'draft'], open: ['eröffnet', 'open'], closed: ['abgeschlossen', 'closed'] } as const;

const dueSpec: FieldSpec = { name: 'dueDate', kind: 'text', label: words.dueDate, required: true };
const asOfSpec: FieldSpec = { name: 'asOf', kind: 'text', label: words.asOf, required: false };

type PageState = { errors?: FieldError[]; values?: Record<string, string>; preview?: CyclePreview; notice?: Html; status?: 200 | 202 | 404 | 409 | 422; opening?: string; compiling?: string };

/**
 * Follows a pending opening or compile: loads the page's GET address every few seconds while it is
 * pending (no script: the link). Once on that address, it reloads: replacing a location with
 * itself plus a fragment (`#versions`) only scrolls, and the page would wait for ever.
 */
const followScript = `for (const el of document.querySelectorAll('[data-follow]')) setTimeout(() => {
  const to = new URL(el.getAttribute('data-follow'), location.href);
  if (to.pathname === location.pathname && to.search === location.search) location.reload();
  else location.replace(to.href);
}, 2000);`;
const followScriptPath = '/assets/cycle-follow.js';

function pending(lang: Lang, title: string, follow: string, body?: Html) {
  return html`<div data-follow="${follow}">${alert('info', title, html`${body ?? ''}<p class="kern-body"><a class="kern-link" href="${follow}">${say(lang, 'refresh')}</a></p>`)}</div><script src="${followScriptPath}" defer></script>`;
}

/** Where an opening or a compile the page was asked about stands (from the cycle workflow). */
async function workflowNotices(c: Context<AppEnv>, year: number, state: PageState): Promise<Html[]> {
  const lang = c.get('lang');
  const deps = c.get('deps');
  const notices: Html[] = [];
  const progress = await cycleProgressView(deps, year);
  const openingId = state.opening ?? c.req.query('opening');
  if (progress && openingId) {
    const sweep = progress.sweep;
    if (progress.doneRequests.includes(openingId) && sweep) {
      const { startedDirectly, announced, alreadyStarted, deferred } = sweep.starts;
      notices.push(alert('success', say(lang, 'opened', { total: sweep.total, started: startedDirectly + announced, already: alreadyStarted, deferred })));
    } else {
      const opened = sweep?.requestIds.includes(openingId) ? sweep.opened : 0;
      const total = sweep?.requestIds.includes(openingId) ? sweep.total : 0;
      notices.push(
        pending(lang, say(lang, 'opening', { opened, total }), `${cyclePaths.cycle(year)}?opening=${encodeURIComponent(openingId)}`, html`<progress max="${Math.max(total, 1)}" value="${opened}" aria-label="${say(lang, 'opening', { opened, total })}"></progress>`),
      );
    }
  }
  const compilingId = state.compiling ?? c.req.query('compiling');
  if (compilingId) {
    const request = await compileRequest(deps, year, compilingId);
    const archive = request?.version && archiveState(request.version.formats);
    const follow = `${cyclePaths.cycle(year)}?compiling=${encodeURIComponent(compilingId)}#versions`;
    if (request?.status === 'compiled' && request.version && archive?.state === 'pending') notices.push(pending(lang, say(lang, 'textReady', { version: request.version.version }), follow));
    else if (request?.status === 'compiled' && request.version && archive?.state === 'failed') notices.push(alert('danger', say(lang, 'archiveFailedTitle', { version: request.version.version }), html`<p class="kern-body">${archive.reason}</p>`));
    else if (request?.status === 'compiled' && request.version) notices.push(alert('success', say(lang, 'compiled', { version: request.version.version })));
    else if (request?.status === 'failed') notices.push(alert('danger', say(lang, 'compileFailed'), html`<ul class="kern-list">${(request.errors ?? []).map((e) => html`<li>${e}</li>`)}</ul>`));
    else notices.push(pending(lang, say(lang, 'compiling'), follow, html`<p class="kern-body">${say(lang, 'compilingHint')}</p>`));
  }
  if (progress?.compileOn) notices.push(html`<p class="kern-body">${say(lang, 'compileOn', { date: progress.compileOn })}</p>`);
  return notices;
}

async function cyclePage(c: Context<AppEnv>, year: number, state: PageState = {}) {
  const principal = accountWith(c.get('principal'), cyclePermissions.view);
  if (!principal) return forbidden(c);
  const lang = c.get('lang');
  const deps = c.get('deps');
  const canManage = accountWith(principal, cyclePermissions.manage) !== undefined;
  // The notices before the versions, not beside them: once a version's PDF and DOCX are ready they
  // stay ready, so a table read after a notice that says "compiled" says so too. Read at once, a
  // typesetting that finished in between showed "compiled" above a table still typesetting.
  const notices = await workflowNotices(c, year, state);
  const [status, versions] = await Promise.all([cycleStatus(deps, year), compiledVersions(deps, year)]);
  const errors = state.errors ?? [];
  const title = say(lang, 'title', { year });
  const labelOf = (field: string) => (field === 'asOf' ? say(lang, 'asOf') : field === 'dueDate' ? say(lang, 'dueDate') : field);
  const done = c.req.query('compiled');
  return page(
    c,
    title,
    html`${heading(title)}
${done ? alert('success', say(lang, 'compiled', { version: done })) : ''}
${state.notice ?? ''}
${notices}
${errorSummary(lang, errors, labelOf)}
${status
  ? html`<dl class="kern-description-list">
<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t(lang, 'dueOn')}</dt><dd class="kern-description-list-item__value">${dayLabel(lang, status.dueDate)}</dd></div>
<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t(lang, 'status')}</dt><dd class="kern-description-list-item__value">${cycleStates[status.status][lang === 'de' ? 0 : 1]}</dd></div>
<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t(lang, 'partner')}</dt><dd class="kern-description-list-item__value">${status.partners}</dd></div>
</dl>
<p><a class="kern-link" href="/staff/reports/${year}">${t(lang, 'board', { year })}</a></p>
<div class="decision-forms">
<div class="kern-table-responsive"><table class="kern-table kern-table--small"><caption class="kern-title">${say(lang, 'phases')}</caption>
<thead class="kern-table__header"><tr><th scope="col">${t(lang, 'phase')}</th><th scope="col">${say(lang, 'count')}</th></tr></thead>
<tbody class="kern-table__body">${Object.entries(status.phases)
      .filter(([, count]) => count > 0)
      .map(([phase, count]) => html`<tr><th scope="row" class="kern-table__cell">${phaseLabel(lang, phase)}</th><td class="kern-table__cell kern-table__cell--numeric">${count}</td></tr>`)}</tbody></table></div>
<div class="kern-table-responsive"><table class="kern-table kern-table--small"><caption class="kern-title">${say(lang, 'levels')}</caption>
<thead class="kern-table__header"><tr><th scope="col">${t(lang, 'escalation')}</th><th scope="col">${say(lang, 'count')}</th></tr></thead>
<tbody class="kern-table__body">${status.escalationLevels.map((l) => html`<tr><th scope="row" class="kern-table__cell">${l.level}</th><td class="kern-table__cell kern-table__cell--numeric">${l.partners}</td></tr>`)}</tbody></table></div>
</div>`
  : html`<p class="kern-body">${say(lang, 'none')}</p>`}
${canManage
  ? html`<div class="decision-forms">
<form method="post" action="${cyclePaths.cycle(year)}/opening" novalidate class="form-stack">
${formField(lang, 'dueDate', dueSpec, state.values?.['dueDate'] ?? status?.dueDate ?? '', errors)}
<p class="kern-body kern-body--small">${say(lang, 'openHint')}</p>
<div class="button-row"><button class="kern-btn kern-btn--secondary" type="submit" name="action" value="preview"><span class="kern-label">${say(lang, 'preview')}</span></button>
<button class="kern-btn kern-btn--primary" type="submit" name="action" value="open"><span class="kern-label">${say(lang, 'open')}</span></button></div>
</form>
${status
  ? html`<form method="post" action="${cyclePaths.cycle(year)}/compilations" novalidate class="form-stack">${formRequestInput()}
${formField(lang, 'asOf', asOfSpec, state.values?.['asOf'] ?? '', errors)}
<p class="kern-body kern-body--small">${say(lang, 'compileHint')}</p>
<button class="kern-btn kern-btn--primary" type="submit"><span class="kern-label">${say(lang, 'compile')}</span></button>
</form>`
  : ''}
</div>`
  : ''}
${state.preview ? previewSection(lang, state.preview) : ''}
${status ? versionsSection(lang, year, versions ?? [], canManage) : ''}`,
    state.status ?? 200,
  );
}

function previewSection(lang: Lang, preview: CyclePreview) {
  return html`<section aria-labelledby="plan"><h2 class="kern-heading-medium" id="plan">${say(lang, 'planned')}</h2>
${preview.warnings.map((w) => alert('warning', w))}
${preview.groups.map(
    (group, index) => html`<div class="kern-table-responsive"><table class="kern-table kern-table--small"><caption class="kern-title" id="plan-${index}">${say(lang, 'partnersDue', { count: group.partners.length, dueDate: dayLabel(lang, group.dueDate) })}</caption>
<thead class="kern-table__header"><tr><th scope="col">${say(lang, 'sendAt')}</th><th scope="col">${say(lang, 'step')}</th><th scope="col">${say(lang, 'template')}</th><th scope="col">${say(lang, 'recipients')}</th></tr></thead>
<tbody class="kern-table__body">${group.sends.map((s) => html`<tr><td class="kern-table__cell">${s.sendAt}</td><td class="kern-table__cell">${s.step}${s.occurrence > 0 ? ` #${s.occurrence + 1}` : ''}</td><td class="kern-table__cell">${s.template}</td><td class="kern-table__cell">${s.recipients.join(', ')}</td></tr>`)}</tbody></table></div>`,
  )}</section>`;
}

/** A version's PDF and DOCX: ready, still being typeset, or failed with the reason (and a retry for those who may). */
function archiveCell(lang: Lang, year: number, version: number, formats: FormatStates, canManage: boolean) {
  const archive = archiveState(formats);
  if (archive.state === 'ready') return say(lang, 'archiveReady');
  if (archive.state === 'pending') return html`<span class="kern-badge kern-badge--info"><span class="kern-label kern-label--small">${say(lang, 'archivePending')}</span></span>`;
  return html`<span class="kern-badge kern-badge--danger"><span class="kern-label kern-label--small">${say(lang, 'archiveFailed', { reason: archive.reason })}</span></span>
${canManage ? html`<form method="post" action="${cyclePaths.typesetting(year, version)}">${formRequestInput()}<button class="kern-btn kern-btn--secondary" type="submit"><span class="kern-label">${say(lang, 'retry')}</span></button></form>` : ''}`;
}

function versionsSection(lang: Lang, year: number, versions: NonNullable<Awaited<ReturnType<typeof compiledVersions>>>, canManage: boolean) {
  return html`<section aria-labelledby="versions"><h2 class="kern-heading-medium" id="versions">${say(lang, 'versions')}</h2>
${versions.length === 0
  ? html`<p class="kern-body">${say(lang, 'noVersions')}</p>`
  : html`<div class="kern-table-responsive"><table class="kern-table kern-table--small"><caption class="kern-sr-only">${say(lang, 'versions')}</caption>
<thead class="kern-table__header"><tr><th scope="col">${say(lang, 'version')}</th><th scope="col">Stand</th><th scope="col">${say(lang, 'created')}</th><th scope="col">${say(lang, 'included')}</th><th scope="col">${say(lang, 'archiveColumn')}</th><th scope="col">${say(lang, 'files')}</th></tr></thead>
<tbody class="kern-table__body">${versions.map(
      (v) => html`<tr><th scope="row" class="kern-table__cell">${v.version}</th><td class="kern-table__cell">${dayLabel(lang, v.asOf)}</td><td class="kern-table__cell">${dateTime(lang, v.createdAt)}</td><td class="kern-table__cell">${v.chapters} / ${v.partners}</td>
<td class="kern-table__cell">${archiveCell(lang, year, v.version, v.formats, canManage)}</td>
<td class="kern-table__cell"><ul class="kern-list">${v.artefacts.map((a) => html`<li><a class="kern-link" href="${cyclePaths.file(year, v.version, a.fileName)}" download>${a.fileName} <span class="kern-sr-only">(${say(lang, 'version')} ${v.version})</span></a> (${Math.ceil(a.bytes / 1024)} KB)</li>`)}</ul></td></tr>`,
    )}</tbody></table></div>`}</section>`;
}

/** Form errors as the fields' messages, in the page's language. */
function fieldErrors(lines: string[], lang: Lang): FieldError[] {
  return lines.map((line) => {
    const [field, ...reason] = line.split(': ');
    return { field: field ?? '', message: translateReason(reason.join(': ') || line, lang) };
  });
}

export function mountCyclePages(app: Hono<AppEnv>): void {
  app.get(followScriptPath, (c) => c.body(followScript, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' }));

  app.get(cyclePaths.cycles, (c) => {
    if (!accountWith(c.get('principal'), cyclePermissions.view)) return forbidden(c);
    return c.redirect(cyclePaths.cycle(nowOf(c.get('deps')).getUTCFullYear()), 303);
  });

  app.get('/staff/cycles/:year{[0-9]{4}}', (c) => cyclePage(c, Number(c.req.param('year'))));

  app.post('/staff/cycles/:year{[0-9]{4}}/opening', async (c) => {
    const principal = accountWith(c.get('principal'), cyclePermissions.manage);
    if (!principal) return forbidden(c);
    const year = Number(c.req.param('year'));
    const lang = c.get('lang');
    const form = await c.req.parseBody();
    const dueDate = typeof form['dueDate'] === 'string' ? form['dueDate'].trim() : '';
    const parsed = cycleOpeningSchema.safeParse({ dueDate });
    if (!parsed.success) {
      const errors = dueDate === '' ? [{ field: 'dueDate', message: translateReason('must not be empty', lang) }] : fieldErrors(formatIssues(parsed.error), lang);
      return cyclePage(c, year, { errors, values: { dueDate }, status: 422 });
    }
    const opening = { ...parsed.data, year };
    if (form['action'] === 'open') {
      // The cycle workflow starts the reports; the page follows its progress.
      const opened = await openCycle(c.get('deps'), opening);
      return cyclePage(c, year, { opening: opened.requestId, status: 202 });
    }
    return cyclePage(c, year, { values: { dueDate }, preview: await previewCycle(c.get('deps'), opening) });
  });

  app.post('/staff/cycles/:year{[0-9]{4}}/compilations', async (c) => {
    const principal = accountWith(c.get('principal'), cyclePermissions.manage);
    if (!principal) return forbidden(c);
    const year = Number(c.req.param('year'));
    const lang = c.get('lang');
    const form = await c.req.parseBody();
    const asOf = typeof form['asOf'] === 'string' && form['asOf'].trim() !== '' ? form['asOf'].trim() : undefined;
    if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
      return cyclePage(c, year, { errors: [{ field: 'asOf', message: translateReason('must be a real date as YYYY-MM-DD', lang) }], values: { asOf }, status: 422 });
    }
    // Queued in the cycle workflow: the page says so at once and shows the version when it is there.
    const result = await requestCycleCompile(c.get('deps'), { year, asOf });
    if (!result.ok) return cyclePage(c, year, { errors: fieldErrors(result.errors, lang), values: { asOf: asOf ?? '' }, status: result.status === 404 ? 404 : 422 });
    return cyclePage(c, year, { compiling: result.value.requestId, status: 202 });
  });

  app.post('/staff/cycles/:year{[0-9]{4}}/versions/:version{[0-9]+}/typesetting', async (c) => {
    if (!accountWith(c.get('principal'), cyclePermissions.manage)) return forbidden(c);
    const year = Number(c.req.param('year'));
    const version = Number(c.req.param('version'));
    const lang = c.get('lang');
    const result = await requestArchiveRetry(c.get('deps'), { year, version });
    if (!result.ok) return cyclePage(c, year, { notice: alert('danger', result.errors.join(' ')), status: result.status === 404 ? 404 : 409 });
    return cyclePage(c, year, { notice: alert('info', say(lang, 'retryQueued', { version })), status: 202 });
  });

  app.get('/staff/cycles/:year{[0-9]{4}}/versions/:version{[0-9]+}/:file', async (c) => {
    if (!accountWith(c.get('principal'), cyclePermissions.view)) return forbidden(c);
    const found = await compiledFile(c.get('deps'), Number(c.req.param('year')), Number(c.req.param('version')), c.req.param('file'));
    if (!found) return c.notFound();
    if (found.kind === 'archive-not-ready') return archiveNotReadyPage(c, Number(c.req.param('year')), found);
    return c.body(found.body, 200, { 'content-type': found.contentType, 'content-length': String(found.bytes), 'content-disposition': `attachment; filename="${found.fileName}"` });
  });
}

/** A PDF or DOCX asked for before it is typeset (or after it failed): a page that says so, never a broken file. */
function archiveNotReadyPage(c: Context<AppEnv>, year: number, file: Extract<CompiledFile, { kind: 'archive-not-ready' }>) {
  const lang = c.get('lang');
  const format = file.format === 'pdf' ? 'PDF' : 'DOCX';
  const text = file.state.state === 'failed' ? say(lang, 'notReadyFailed', { format, reason: file.state.reason }) : say(lang, 'notReadyPending', { format });
  if (file.state.state === 'pending') c.header('retry-after', '60');
  return page(c, say(lang, 'title', { year }), html`${heading(say(lang, 'title', { year }))}
${alert(file.state.state === 'failed' ? 'danger' : 'info', text)}
<p class="kern-body"><a class="kern-link" href="${cyclePaths.cycle(year)}#versions">${say(lang, 'back')}</a></p>`, 409);
}
