/**
 * The partner portal: reached only through the personal link in an email. A GET of the link
 * shows a button and changes nothing (mail scanners open links); the person's POST exchanges the
 * token for a session and leaves for a URL without it.
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { deleteDraft, saveDraft } from '../db/queries/drafts';
import { findPartnerLinkByHash } from '../db/queries/partner-links';
import { parseReportSubmission } from '../domain/report';
import { linkState, partnerLinkPath } from '../email/partner-links';
import { accessionLanding } from './accession-pages';
import { linkContinueLabel } from './accession-texts';
import { clientOf, exchangeLinkToken, setSessionCookie } from '../http/auth';
import { nowOf, type AppEnv, type PartnerPrincipal } from '../http/context';
import { tokenHash } from '../http/secrets';
import { findSubmittedVersion, formSubmissionSeed, reportStatus, reportTimeline, submitReport } from '../http/reporting-service';
import { withRequestUpdateIds } from '../temporal/request-update-ids';
import { formField } from './fields';
import { t, type Lang } from './i18n';
import { alert, errorSummary, fieldId as fieldIdOf, heading, page } from './layout';
import { phaseLabel, dateTime } from './labels';
import type { TimelineEntry } from '../../workflows/contracts/annual-report';
import { storedCopy } from './report-copy';
import { openingFields } from './report-skeleton-form';
import {
  authorFields,
  blockName,
  buildSubmission,
  figureFields,
  formErrors,
  measureFields,
  periodFields,
  pickFormFields,
  sectionFields,
  shapeOf,
  specOf,
  textFields,
  withAddedSlot,
  type BlockShape,
  type FieldError,
  type FieldSpec,
  type FormFields,
  type FormShape,
} from './report-form';

export const portalPaths = {
  overview: '/portal',
  report: (year: string | number) => `/portal/reports/${year}`,
  status: (year: string | number) => `/portal/reports/${year}/status`,
  receipt: (year: string | number, reference: string) => `/portal/reports/${year}/receipts/${encodeURIComponent(reference)}`,
};

export function mountPartnerPages(app: Hono<AppEnv>): void {
  app.get('/link/:token', async (c) => {
    const lang = c.get('lang');
    const { db } = c.get('deps');
    // Read only: a scanner's GET neither uses nor counts the link.
    const link = await findPartnerLinkByHash(db, tokenHash(c.req.param('token')));
    if (!link || linkState(link, nowOf(c.get('deps'))) !== 'valid') return invalidLink(c, 404);
    return page(
      c,
      t(lang, 'linkTitle'),
      html`${heading(t(lang, 'linkTitle'))}
<p class="kern-body kern-body--large">${link.partnerName}</p>
<p class="kern-body">${t(lang, 'linkIntro')}</p>
<form method="post" action="${partnerLinkPath(c.req.param('token'))}">
<button class="kern-btn kern-btn--primary" type="submit"><span class="kern-label">${link.purpose === 'annual-report' ? t(lang, 'linkContinue') : linkContinueLabel(lang, link.purpose)}</span></button>
</form>`,
    );
  });

  app.post('/link/:token', async (c) => {
    const deps = c.get('deps');
    const exchange = await exchangeLinkToken(deps, c.req.param('token'), clientOf(c));
    if (!exchange.ok) return invalidLink(c, exchange.reason === 'unknown' ? 404 : 403);
    setSessionCookie(c, exchange.token, exchange.hours, deps.config.publicBaseUrl.startsWith('https:'));
    return c.redirect(exchange.purpose === 'annual-report' ? portalPaths.report(exchange.subject) : accessionLanding(exchange.purpose), 303);
  });

  // Links of the signed-HMAC kind (before personal links) cannot be expired or revoked, so they
  // open nothing any more; the page says whom to ask for a new one.
  app.get('/reports/:year{[0-9]{4}}/:partner{[0-9]+}', (c) => invalidLink(c, 404));

  app.get('/portal', async (c) => {
    const partner = partnerOf(c);
    if (!partner) return noSession(c);
    return c.redirect(partner.link.purpose === 'annual-report' ? portalPaths.status(partner.link.subject) : accessionLanding(partner.link.purpose), 303);
  });

  app.get('/portal/reports/:year/status', async (c) => {
    const lang = c.get('lang');
    const partner = yearPartner(c);
    if (!partner) return noSession(c);
    const ref = { partnerNumber: partner.link.partnerNumber, year: Number(partner.link.subject) };
    const status = await reportStatus(c.get('deps').temporal, ref);
    const timeline = await reportTimeline(c.get('deps').temporal, ref);
    const title = `${t(lang, 'annualReport')} ${ref.year}`;
    if (!status.ok) return page(c, title, html`${heading(title)}${alert('warning', status.errors.join(' '))}`, status.status);
    const view = status.value;
    const history = timeline.ok ? timeline.value.flatMap((entry) => historyLine(lang, entry)) : [];
    return page(
      c,
      title,
      html`${heading(title)}
<p class="kern-body kern-body--large">${view.partnerName}</p>
<dl class="kern-description-list">
<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t(lang, 'phase')}</dt><dd class="kern-description-list-item__value">${phaseLabel(lang, view.phase)}</dd></div>
<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t(lang, 'dueOn')}</dt><dd class="kern-description-list-item__value">${view.dueAt ? dateTime(lang, view.dueAt) : '–'}</dd></div>
</dl>
<p><a class="kern-btn kern-btn--primary" href="${portalPaths.report(ref.year)}"><span class="kern-label">${t(lang, 'openForm')}</span></a></p>
<h2 class="kern-heading-medium">${t(lang, 'sent')}</h2>
${
  view.versions.length === 0
    ? html`<p class="kern-body">${t(lang, 'noneSent')}</p>`
    : html`<ul class="kern-list">${view.versions.map(
        (v) => html`<li><a class="kern-link" href="${portalPaths.receipt(ref.year, v.reference)}">${v.reference}</a> – ${t(lang, 'submittedAt')} ${dateTime(lang, v.submittedAt)}</li>`,
      )}</ul>`
}
${view.nextStep ? html`<p class="kern-body">${t(lang, 'nextNotice')}: ${noticeLabel(lang, view.nextStep.template)}, ${dateTime(lang, view.nextStep.sendAt)}</p>` : ''}
<h2 class="kern-heading-medium">${t(lang, 'history')}</h2>
${history.length === 0 ? html`<p class="kern-body">${t(lang, 'nothingYet')}</p>` : html`<ul class="kern-list">${history.map((line) => html`<li>${line}</li>`)}</ul>`}`,
    );
  });

  app.get('/portal/reports/:year', async (c) => {
    const partner = yearPartner(c);
    if (!partner) return noSession(c);
    const fields = await openingFields(c.get('deps').db, partner.link.organisationId, Number(partner.link.subject));
    return reportForm(c, partner, fields, shapeOf(fields), [], false);
  });

  app.post('/portal/reports/:year', async (c) => {
    const deps = c.get('deps');
    const lang = c.get('lang');
    const partner = yearPartner(c);
    if (!partner) return noSession(c);
    const year = Number(partner.link.subject);
    const body = await c.req.parseBody();
    const fields = pickFormFields(body);
    const action = typeof body['action'] === 'string' ? body['action'] : 'save';
    if (action.startsWith('add-')) {
      // An "add" button re-renders with one more slot; what was typed stays as typed.
      const added = withAddedSlot(fields, action);
      return reportForm(c, partner, added ?? fields, shapeOf(added ?? fields), [], false);
    }
    const shape = shapeOf(fields);
    await saveDraft(deps.db, partner.link.organisationId, year, fields);
    if (action !== 'submit') return reportForm(c, partner, fields, shape, [], true);
    const built = buildSubmission(fields, lang);
    // Checked here first for field messages without a round trip; the workflow's validator decides.
    const parsed = parseReportSubmission(built.body);
    const schemaErrors = parsed.ok ? [] : formErrors(parsed.errors, built, lang);
    const problems = [...built.problems, ...schemaErrors.filter((e) => !built.problems.some((p) => e.field === p.field || e.field === p.field.replace(/\.stated$/, '')))];
    const result =
      problems.length === 0
        ? await withRequestUpdateIds(await formSubmissionSeed(deps.db, { partnerNumber: partner.link.partnerNumber, year, organisationId: partner.link.organisationId }, built.body), () =>
            submitReport(deps.temporal, { partnerNumber: partner.link.partnerNumber, year }, built.body, `partner:${partner.link.partnerNumber}`),
          )
        : ({ ok: false, status: 422, errors: [] as string[] } as const);
    if (!result.ok) return reportForm(c, partner, fields, shape, result.errors.length > 0 ? formErrors(result.errors, built, lang) : problems, false, result.status);
    await deleteDraft(deps.db, partner.link.organisationId, year);
    return c.redirect(portalPaths.receipt(year, result.value.reference), 303);
  });

  app.get('/portal/reports/:year/receipts/:reference', async (c) => {
    const lang = c.get('lang');
    const partner = yearPartner(c);
    if (!partner) return noSession(c);
    const version = await findSubmittedVersion(c.get('deps').db, partner.link.organisationId, Number(partner.link.subject), c.req.param('reference'));
    if (!version) return page(c, t(lang, 'notFound'), heading(t(lang, 'notFound')), 404);
    const year = partner.link.subject;
    return page(
      c,
      t(lang, 'receiptTitle'),
      html`${heading(t(lang, 'receiptTitle'))}
${alert('success', `${t(lang, 'reference')}: ${version.reference}`, html`<p class="kern-body">${t(lang, 'receiptText', { year })}</p><p class="kern-body">${t(lang, 'submittedAt')} ${dateTime(lang, version.submittedAt.toISOString())}</p>`)}
<h2 class="kern-heading-medium">${t(lang, 'copyOfSubmission')}</h2>
${storedCopy(lang, version.content)}
<p><a class="kern-link" href="${portalPaths.status(year)}">${t(lang, 'overview')}</a></p>`,
    );
  });
}

function partnerOf(c: Context<AppEnv>): PartnerPrincipal | undefined {
  const principal = c.get('principal');
  return principal?.kind === 'partner' ? principal : undefined;
}

/** The partner, if the year in the URL is the one its link was issued for. */
function yearPartner(c: Context<AppEnv>): PartnerPrincipal | undefined {
  const partner = partnerOf(c);
  if (!partner || partner.link.purpose !== 'annual-report' || partner.link.subject !== c.req.param('year')) return undefined;
  return partner;
}

function noSession(c: Context<AppEnv>) {
  const lang = c.get('lang');
  return page(c, t(lang, 'forbidden'), html`${heading(t(lang, 'forbidden'))}<p class="kern-body">${t(lang, 'sessionMissing')}</p>`, 403);
}

function invalidLink(c: Context<AppEnv>, status: 403 | 404) {
  const lang = c.get('lang');
  return page(c, t(lang, 'linkInvalid'), html`${heading(t(lang, 'linkInvalid'))}<p class="kern-body">${t(lang, 'linkInvalidText')}</p>`, status);
}

const blockWords = { de: { text: 'Text', measure: 'Maßnahme', figure: 'Kennzahl', section: 'Abschnitt', intro: 'Vor der ersten Überschrift' }, en: { text: 'Text', measure: 'Measure', figure: 'Figure', section: 'Section', intro: 'Before the first heading' } };

/** Where a field sits, in words, for the error summary: "Abschnitt 2, Maßnahme 1, Kennzahl 1: Stichtag". */
function labelOfField(lang: Lang, field: string, shape: FormShape): string {
  const i = lang === 'de' ? 0 : 1;
  const words = blockWords[lang];
  const parts: string[] = [];
  const section = /^sections\[(\d+)\]/.exec(field);
  if (section) parts.push(`${words.section} ${Number(section[1]) + 1}`);
  else if (/^blocks\[/.test(field)) parts.push(words.intro);
  const block = /blocks\[(\d+)\]/.exec(field);
  if (block) {
    const slots = section ? shape.sections[Number(section[1])] : shape.blocks;
    const kind = slots?.[Number(block[1])]?.kind ?? 'text';
    const ordinal = (slots ?? []).slice(0, Number(block[1]) + 1).filter((slot) => slot.kind === kind).length;
    parts.push(`${words[kind]} ${ordinal}`);
  }
  const figure = /figures\[(\d+)\]/.exec(field);
  if (figure) parts.push(`${words.figure} ${Number(figure[1]) + 1}`);
  if (field.startsWith('reportingPeriod')) parts.push(lang === 'de' ? 'Berichtszeitraum' : 'Reporting period');
  if (field.startsWith('author')) parts.push(lang === 'de' ? 'Verfasst von' : 'Written by');
  const spec = specOf(field);
  const where = parts.join(', ');
  if (!spec || spec.kind === 'choice' || spec.kind === 'hidden') return where || field;
  return where ? `${where}: ${spec.label[i]}` : spec.label[i];
}

/** Errors on paths the form has no field for (a whole section, say) go to the nearest one shown. */
function attachToFields(errors: FieldError[], names: Set<string>): FieldError[] {
  return errors.map((error) => {
    let field = error.field;
    while (!names.has(field) && /[.[]/.test(field)) field = field.replace(/(\.[^.[]+|\[\d+\])$/, '');
    if (names.has(field)) return { ...error, field };
    const first = [...names].find((name) => name.startsWith(`${field}.`) || name.startsWith(`${field}[`));
    return { ...error, field: first ?? error.field };
  });
}

function reportForm(
  c: Context<AppEnv>,
  partner: PartnerPrincipal,
  fields: FormFields,
  shape: FormShape,
  rawErrors: FieldError[],
  saved: boolean,
  status: 200 | 404 | 409 | 422 = 200,
) {
  const lang = c.get('lang');
  const de = lang === 'de';
  const year = partner.link.subject;
  const names = new Set<string>();
  // Rendering is deferred so every field's name is known before errors are attached to fields.
  const field = (prefix: string, spec: FieldSpec) => {
    const name = `${prefix}.${spec.name}`;
    names.add(name);
    return () => formField(lang, name, spec, fields[name] ?? '', errors);
  };
  const group = (legend: string, render: (() => unknown)[], optional = false) =>
    html`<fieldset class="kern-fieldset"><legend class="kern-label kern-label--large">${legend}${optional ? html` <span class="kern-label__optional">– ${t(lang, 'optional')}</span>` : ''}</legend><div class="kern-fieldset__body">${render.map((r) => r())}</div></fieldset>`;
  const addButton = (value: string, label: string, describedBy?: string) =>
    html`<button class="kern-btn kern-btn--secondary kern-btn--small" type="submit" name="action" value="${value}" ${describedBy ? html`aria-describedby="${describedBy}"` : ''}><span class="kern-label">${label}</span></button>`;
  const blocks = (section: number | undefined, slots: BlockShape[], headingId: string) => {
    let texts = 0;
    let measures = 0;
    const rendered = slots.map((slot, b) => {
      const name = blockName(section, b);
      const kind = field(name, { name: 'kind', kind: 'hidden', label: ['', ''], required: false });
      if (slot.kind === 'text') {
        texts += 1;
        const textNumber = texts;
        const inner = [kind, ...textFields.map((f) => field(name, f))];
        return () => group(`Text ${textNumber}`, inner, true);
      }
      measures += 1;
      const measureNumber = measures;
      const legendId = `${fieldIdOf(name)}-legend`;
      const figures = Array.from({ length: slot.figures }, (_, f) => figureFields.map((spec) => field(`${name}.figures[${f}]`, spec)));
      const inner = measureFields.map((f) => field(name, f));
      return () =>
        html`<fieldset class="kern-fieldset nested"><legend class="kern-label kern-label--large" id="${legendId}">${de ? 'Maßnahme' : 'Measure'} ${measureNumber}</legend><div class="kern-fieldset__body">
${kind()}${inner.map((r) => r())}
${figures.map((figure, f) => html`<fieldset class="kern-fieldset nested"><legend class="kern-label">${de ? 'Kennzahl' : 'Figure'} ${f + 1} <span class="kern-label__optional">– ${t(lang, 'optional')}</span></legend><div class="kern-fieldset__body">${figure.map((r) => r())}</div></fieldset>`)}
${slot.figures < 20 ? html`<div class="button-row">${addButton(`add-figure:${name}`, de ? 'Kennzahl hinzufügen' : 'Add a figure', legendId)}</div>` : ''}
</div></fieldset>`;
    });
    const prefix = section === undefined ? '' : `sections[${section}].`;
    return () => html`${rendered.map((r) => r())}
<div class="button-row">${addButton(`add-text:${prefix}`, de ? 'Textabsatz hinzufügen' : 'Add a paragraph', headingId)}${addButton(`add-measure:${prefix}`, de ? 'Maßnahme hinzufügen' : 'Add a measure', headingId)}</div>`;
  };
  const period = periodFields.map((f) => field('reportingPeriod', f));
  const author = authorFields.map((f) => field('author', f));
  const intro = blocks(undefined, shape.blocks, 'vor-ueberschriften');
  const sections = shape.sections.map((slots, s) => ({ head: sectionFields.map((f) => field(`sections[${s}]`, f)), body: blocks(s, slots, `abschnitt-${s + 1}`) }));
  const errors = attachToFields(rawErrors, names);
  const title = t(lang, 'formTitle', { year });
  return page(
    c,
    title,
    html`${heading(title)}
<p class="kern-body kern-body--large">${partner.link.partnerName}</p>
${saved ? alert('success', t(lang, 'draftSaved')) : ''}
${status === 409 || status === 404 ? alert('warning', errors.map((e) => e.message).join(' ')) : errorSummary(lang, errors, (f) => labelOfField(lang, f, shape))}
<p class="kern-body">${t(lang, 'formIntro')}</p>
<form class="report-form" method="post" action="${portalPaths.report(year)}" novalidate>
${group(de ? 'Berichtszeitraum' : 'Reporting period', period)}
${group(de ? 'Verfasst von' : 'Written by', author)}
<h2 class="kern-heading-medium" id="vor-ueberschriften">${de ? 'Vor der ersten Überschrift' : 'Before the first heading'}</h2>
<p class="kern-body">${de ? 'Was in Ihrem Bericht vor der ersten Überschrift steht, z. B. eine Einleitung. Bleibt das Feld leer, entfällt es.' : 'What your report says before its first heading, e.g. an introduction. Left empty, it is left out.'}</p>
${intro()}
${sections.map(
  (section, s) => html`<section class="form-section" aria-labelledby="abschnitt-${s + 1}"><h2 class="kern-heading-medium" id="abschnitt-${s + 1}">${de ? 'Abschnitt' : 'Section'} ${s + 1}</h2>
${section.head.map((r) => r())}
<p class="kern-body">${de ? 'Texte und Maßnahmen in der Reihenfolge, in der Sie sie schreiben.' : 'Text and measures in the order you write them.'}</p>
${section.body()}</section>`,
)}
<div class="button-row">${shape.sections.length < 30 ? addButton('add-section', t(lang, 'addSection')) : ''}</div>
<div class="button-row">
<button class="kern-btn kern-btn--secondary" type="submit" name="action" value="save"><span class="kern-label">${t(lang, 'saveDraft')}</span></button>
<button class="kern-btn kern-btn--primary" type="submit" name="action" value="submit"><span class="kern-label">${t(lang, 'submit')}</span></button>
</div>
</form>`,
    status,
  );
}

/** A timeline entry as one line for the partner: notices that went out and what happened. */
function historyLine(lang: Lang, entry: TimelineEntry): string[] {
  if (entry.kind === 'deadline') return entry.outcome === 'sent' ? [`${dateTime(lang, entry.at)}: ${noticeLabel(lang, entry.template)}`] : [];
  if (entry.kind === 'notice') return [`${dateTime(lang, entry.at)}: ${noticeLabel(lang, entry.template)}`];
  const label = eventLabels[entry.action]?.[lang === 'de' ? 0 : 1];
  return label ? [`${dateTime(lang, entry.at)}: ${label}`] : [];
}

const eventLabels: Record<string, readonly [string, string]> = {
  started: ['Berichtspflicht eröffnet', 'Reporting obligation opened'],
  submitted: ['Bericht eingereicht', 'Report submitted'],
  accepted: ['Bericht angenommen', 'Report accepted'],
  'revision-requested': ['Überarbeitung angefordert', 'Revision requested'],
  'extension-granted': ['Frist verlängert', 'Deadline extended'],
  waived: ['Auf den Bericht verzichtet', 'Report waived'],
  overdue: ['Frist überschritten', 'Deadline passed'],
};

function noticeLabel(lang: Lang, template: string): string {
  const de: Record<string, string> = {
    'report-received': 'Eingangsbestätigung',
    'report-accepted': 'Bestätigung der Annahme',
    'report-revision-requested': 'Bitte um Überarbeitung',
    'report-extension-granted': 'Fristverlängerung',
    'report-waived': 'Verzicht auf den Bericht',
    'report-invitation': 'Einladung zum Jahresbericht',
    'report-reminder': 'Erinnerung',
    'report-overdue': 'Hinweis: Frist überschritten',
    'report-escalation-partner': 'Eskalation an die Leitung',
    'report-escalation-ministry': 'Eskalation im Ministerium',
  };
  return lang === 'de' ? (de[template] ?? template) : template.replace(/^report-/, '').replace(/-/g, ' ');
}
