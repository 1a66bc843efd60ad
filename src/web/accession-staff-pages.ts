/**
 * The ministry's accession pages: organisations with the stage of their accession, inviting a new
 * organisation, reviewing its declaration, recording signatures (the ministry's only by a
 * signatory), ending an accession, and one organisation's timeline including its partnership.
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { findPartnerByNumber } from '../db/queries/partners';
import { accessionStartSchema } from '../domain/accession';
import { formatIssues } from '../domain/issues';
import { languages, partnerKinds } from '../domain/partner';
import {
  accessionPermissions,
  accessionRecord,
  accessionStartOf,
  accessionStatus,
  accessionTimeline,
  beginAccession,
  endAccession,
  lifecycleStatus,
  lifecycleTimeline,
  listOrganisationStages,
  recordSignature,
  reviewDeclaration,
  reviewOutcomes,
  withdrawPartner,
  type ReviewOutcome,
} from '../http/accession-service';
import { accountWith } from '../http/auth';
import type { AppEnv } from '../http/context';
import { formRequestInput } from '../http/form-requests';
import type { TimelineEntry } from '../../workflows/contracts/annual-report';
import { accessionPhaseLabel, actionLabel, at, isoDayOf, noticeLabel, stageLabel, type AccessionTextKey } from './accession-texts';
import { declarationCopy } from './accession-pages';
import { formField } from './fields';
import { t, type Lang } from './i18n';
import { alert, errorSummary, heading, page, type Html } from './layout';
import { dateTime, dayLabel } from './labels';
import { translateReason, type FieldError, type FieldSpec } from './report-form';

export const accessionStaffPaths = {
  list: '/staff/accessions',
  start: '/staff/accessions/new',
  organisation: (number: number) => `/staff/accessions/${number}`,
};

const kindLabels: Record<(typeof partnerKinds)[number], readonly [string, string]> = {
  district_government: ['Bezirksregierung', 'District government'],
  district: ['Kreis', 'District'],
  association: ['Verband, Verein', 'Association'],
  municipality: ['Stadt, Gemeinde', 'Municipality'],
  job_centre: ['Jobcenter, Arbeitsagentur', 'Job centre'],
  police: ['Polizei', 'Police'],
  chamber: ['Kammer', 'Chamber'],
  company: ['Unternehmen', 'Company'],
  public_broadcaster: ['Öffentlich-rechtlicher Rundfunk', 'Public broadcaster'],
  city_cooperation: ['Städtekooperation', 'City cooperation'],
  regional_authority: ['Landschaftsverband, Regionalbehörde', 'Regional authority'],
};
const languageOptions = languages.map((value) => ({ value, label: [value === 'de' ? 'Deutsch' : 'Englisch', value === 'de' ? 'German' : 'English'] as const }));

const person = (prefix: string, de: string, en: string): FieldSpec[] => [
  { name: `${prefix}.name`, kind: 'text', label: [`${de}: Name`, `${en}: name`], required: true },
  { name: `${prefix}.email`, kind: 'text', input: { type: 'email' }, label: [`${de}: E-Mail-Adresse`, `${en}: email address`], required: true },
  { name: `${prefix}.language`, kind: 'select', options: languageOptions, label: [`${de}: Sprache der E-Mails`, `${en}: language of the emails`], required: true },
];

/** The start form: field names are the accession file's paths, so the schema's lines land on them. */
const startGroups: { legend: 'organisation' | 'mainContact' | 'leadership' | 'agreementParties'; fields: FieldSpec[] }[] = [
  {
    legend: 'organisation',
    fields: [
      { name: 'number', kind: 'text', input: { type: 'text', inputmode: 'numeric' }, label: ['Partnernummer', 'Partner number'], required: true },
      { name: 'name', kind: 'text', label: ['Name der Organisation', 'Name of the organisation'], required: true },
      { name: 'kind', kind: 'select', options: partnerKinds.map((value) => ({ value, label: kindLabels[value] })), label: ['Art der Organisation', 'Kind of organisation'], required: true },
      { name: 'caseworker', kind: 'text', input: { type: 'email' }, label: ['Zuständige Sachbearbeitung (E-Mail-Adresse)', 'Caseworker (email address)'], hint: ['Leer: alle Sachbearbeiterinnen und Sachbearbeiter werden informiert.', 'Empty: every caseworker is told.'], required: false },
    ],
  },
  { legend: 'mainContact', fields: person('mainContact', 'Ansprechperson', 'Main contact') },
  { legend: 'leadership', fields: [...person('leadership', 'Leitung', 'Leadership'), { name: 'leadership.role', kind: 'text', label: ['Leitung: Funktion (z. B. Landrat)', 'Leadership: function (e.g. Landrat)'], required: true }] },
  {
    legend: 'agreementParties',
    fields: [
      { name: 'agreement.ministry', kind: 'text', label: ['Ministerium', 'Ministry'], required: true },
      { name: 'agreement.initiative', kind: 'text', label: ['Name der Initiative', 'Name of the initiative'], required: true },
      { name: 'agreement.ministrySignatory.name', kind: 'text', label: ['Unterzeichnet für das Ministerium: Name', 'Signs for the ministry: name'], required: true },
      { name: 'agreement.ministrySignatory.role', kind: 'text', label: ['Unterzeichnet für das Ministerium: Amt', 'Signs for the ministry: office'], required: true },
    ],
  },
];
const startFields = startGroups.flatMap((g) => g.fields);

const staffReasons: [RegExp, [string, string]][] = [
  [/^must be an email address$/, ['Bitte eine gültige E-Mail-Adresse eingeben.', 'Please enter a valid email address.']],
  [/^must be a positive whole number$/, ['Bitte eine positive ganze Zahl eingeben.', 'Please enter a positive whole number.']],
];

/** A "field: reason" line as a field error on `prefix` + field, in the reader's language. */
export function lineToError(line: string, lang: Lang, known: (field: string) => boolean, fallback: string, prefix = ''): FieldError {
  const split = line.indexOf(': ');
  const path = split < 0 ? '' : line.slice(0, split).replace(/ \(.*\)$/, '');
  const reason = split < 0 ? line : line.slice(split + 2);
  const own = staffReasons.find(([pattern]) => pattern.test(reason))?.[1][lang === 'de' ? 0 : 1];
  // "… is already Kreis Lippe": a reason of the record, shown as it came.
  const message = own ?? translateReason(reason.replace(/^\w+: /, ''), lang);
  return { field: known(`${prefix}${path}`) ? `${prefix}${path}` : fallback, message };
}

function forbidden(c: Context<AppEnv>) {
  const lang = c.get('lang');
  if (!c.get('principal')) return c.redirect('/staff/login', 303);
  return page(c, t(lang, 'forbidden'), html`${heading(t(lang, 'forbidden'))}<p class="kern-body">${t(lang, 'forbiddenText')}</p>`, 403);
}

const formText = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');

export function mountAccessionStaffPages(app: Hono<AppEnv>): void {
  app.get(accessionStaffPaths.list, async (c) => {
    const lang = c.get('lang');
    if (!accountWith(c.get('principal'), accessionPermissions.view)) return forbidden(c);
    const rows = await listOrganisationStages(c.get('deps').db);
    const canStart = accountWith(c.get('principal'), accessionPermissions.start) !== undefined;
    const title = at(lang, 'organisations');
    return page(
      c,
      title,
      html`${heading(title)}
${canStart ? html`<p><a class="kern-btn kern-btn--primary" href="${accessionStaffPaths.start}"><span class="kern-label">${at(lang, 'startAccession')}</span></a></p>` : ''}
<div class="kern-table-responsive"><table class="kern-table kern-table--striped">
<caption class="kern-sr-only">${title}</caption>
<thead class="kern-table__header"><tr><th scope="col">${t(lang, 'partner')}</th><th scope="col">${at(lang, 'stage')}</th><th scope="col">${at(lang, 'accessionDate')}</th></tr></thead>
<tbody class="kern-table__body">${rows.map(
        (r) => html`<tr><th scope="row" class="kern-table__cell"><a class="kern-link" href="${accessionStaffPaths.organisation(r.partnerNumber)}">${r.partnerNumber} – ${r.name}</a></th><td class="kern-table__cell">${stageLabel(lang, r.stage)}</td><td class="kern-table__cell">${r.accessionDate ? dayLabel(lang, r.accessionDate) : '–'}</td></tr>`,
      )}</tbody></table></div>`,
    );
  });

  app.get(accessionStaffPaths.start, (c) => startPage(c, {}, []));

  app.post(accessionStaffPaths.list, async (c) => {
    if (!accountWith(c.get('principal'), accessionPermissions.start)) return forbidden(c);
    const lang = c.get('lang');
    const deps = c.get('deps');
    const form = await c.req.parseBody();
    const typed = Object.fromEntries(startFields.map((f) => [f.name, formText(form, f.name)]));
    const known = (field: string) => startFields.some((f) => f.name === field);
    const parsed = accessionStartSchema.safeParse(accessionStartOf(typed));
    if (!parsed.success) return startPage(c, typed, formatIssues(parsed.error).map((line) => lineToError(line, lang, known, 'number')), 422);
    const started = await beginAccession(deps.temporal, deps.db, deps.config.temporal.taskQueue, parsed.data);
    if (!started.ok) return startPage(c, typed, started.errors.map((line) => lineToError(line, lang, known, 'number')), started.status);
    return c.redirect(`${accessionStaffPaths.organisation(parsed.data.number)}?done=started`, 303);
  });

  app.get('/staff/accessions/:number{[0-9]+}', async (c) => organisationPage(c, Number(c.req.param('number')), []));

  app.get('/staff/accessions/:number{[0-9]+}/agreement.pdf', async (c) => {
    if (!accountWith(c.get('principal'), accessionPermissions.view)) return forbidden(c);
    const organisation = await findPartnerByNumber(c.get('deps').db, Number(c.req.param('number')));
    const pdf = organisation && (await accessionRecord(c.get('deps').db, organisation.id))?.agreement?.pdf;
    if (!pdf) return c.notFound();
    return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': 'inline; filename="Vereinbarung.pdf"' });
  });

  app.post('/staff/accessions/:number{[0-9]+}/review/:outcome', async (c) => {
    const principal = accountWith(c.get('principal'), accessionPermissions.review);
    if (!principal) return forbidden(c);
    const number = Number(c.req.param('number'));
    const outcome = reviewOutcomes.find((o) => o === c.req.param('outcome'));
    if (!outcome) return c.notFound();
    const comment = formText(await c.req.parseBody(), `review-${outcome}-comment`).trim();
    const result = await reviewDeclaration({ client: c.get('deps').temporal, partnerNumber: number }, outcome, principal.account.name, comment === '' ? undefined : comment);
    const field = `review-${outcome}-comment`;
    return after(c, number, result, field, { comment: field, comments: field });
  });

  app.post('/staff/accessions/:number{[0-9]+}/signatures/:party{partner|ministry}', async (c) => {
    const party = c.req.param('party') as 'partner' | 'ministry';
    const principal = accountWith(c.get('principal'), party === 'ministry' ? accessionPermissions.recordMinistrySignature : accessionPermissions.recordPartnerSignature);
    if (!principal) return forbidden(c);
    const number = Number(c.req.param('number'));
    const form = await c.req.parseBody();
    const date = formText(form, `sign-${party}-date`).trim();
    const result = await recordSignature(
      { client: c.get('deps').temporal, partnerNumber: number },
      { party, signer: formText(form, `sign-${party}-signer`), role: formText(form, `sign-${party}-role`), ...(date && { date: isoDayOf(date) }), by: principal.account.name },
    );
    const fields = { signer: `sign-${party}-signer`, role: `sign-${party}-role`, date: `sign-${party}-date` };
    return after(c, number, result, fields.signer, fields, form);
  });

  app.post('/staff/accessions/:number{[0-9]+}/partnership/withdrawal', async (c) => {
    const principal = accountWith(c.get('principal'), accessionPermissions.end);
    if (!principal) return forbidden(c);
    const number = Number(c.req.param('number'));
    const form = await c.req.parseBody();
    const date = formText(form, 'leave-date').trim();
    const result = await withdrawPartner(
      { client: c.get('deps').temporal, partnerNumber: number },
      { by: principal.account.name, reason: formText(form, 'leave-reason'), ...(date && { date: isoDayOf(date) }) },
    );
    return after(c, number, result, 'leave-reason', { reason: 'leave-reason', date: 'leave-date' }, form);
  });

  app.post('/staff/accessions/:number{[0-9]+}/end/:outcome{withdrawn|rejected}', async (c) => {
    const principal = accountWith(c.get('principal'), accessionPermissions.end);
    if (!principal) return forbidden(c);
    const number = Number(c.req.param('number'));
    const outcome = c.req.param('outcome') as 'withdrawn' | 'rejected';
    const form = await c.req.parseBody();
    const result = await endAccession({ client: c.get('deps').temporal, partnerNumber: number }, { outcome, by: principal.account.name, reason: formText(form, `end-${outcome}-reason`) });
    const field = `end-${outcome}-reason`;
    return after(c, number, result, field, { reason: field }, form);
  });
}

/** A decision's outcome: on to the organisation's page, or back to it with the refusal on its field. */
async function after(
  c: Context<AppEnv>,
  number: number,
  result: { ok: true } | { ok: false; status: 404 | 409 | 422; errors: string[] },
  fallback: string,
  /** The workflow's argument names → the form's field names. */
  fields: Record<string, string>,
  form: Record<string, unknown> = {},
) {
  if (result.ok) return c.redirect(`${accessionStaffPaths.organisation(number)}?done=1`, 303);
  const lang = c.get('lang');
  const errors = result.errors.map((line) => {
    const error = lineToError(line, lang, (field) => field in fields, fallback);
    return { ...error, field: fields[error.field] ?? error.field };
  });
  return organisationPage(c, number, errors, result.status, form);
}

function startPage(c: Context<AppEnv>, typed: Record<string, string>, errors: FieldError[], status: 200 | 404 | 409 | 422 = 200) {
  const lang = c.get('lang');
  if (!accountWith(c.get('principal'), accessionPermissions.start)) return forbidden(c);
  const title = at(lang, 'startAccession');
  const i = lang === 'de' ? 0 : 1;
  const defaults: Record<string, string> = { 'mainContact.language': 'de', 'leadership.language': 'de', 'agreement.ministry': t('de', 'imprint') };
  return page(
    c,
    title,
    html`${heading(title)}
${errorSummary(lang, errors, (f) => startFields.find((s) => s.name === f)?.label[i] ?? f)}
<form method="post" action="${accessionStaffPaths.list}" class="form-stack" novalidate>
${startGroups.map(
  (group) => html`<fieldset class="kern-fieldset"><legend class="kern-label kern-label--large">${at(lang, group.legend)}</legend><div class="kern-fieldset__body">
${group.fields.map((spec) => formField(lang, spec.name, spec, typed[spec.name] ?? defaults[spec.name] ?? '', errors))}</div></fieldset>`,
)}
<div><button class="kern-btn kern-btn--primary" type="submit"><span class="kern-label">${at(lang, 'invite')}</span></button></div>
</form>`,
    status,
  );
}

/** "sign-ministry-signer" as "Unterschrift des Ministeriums festhalten: Vor- und Nachname". */
function decisionFieldLabel(lang: Lang, field: string): string {
  const actions: Record<string, AccessionTextKey> = {
    'review-accept': 'acceptDeclaration',
    'review-request-changes': 'requestChanges',
    'sign-ministry': 'recordMinistrySignature',
    'sign-partner': 'recordPartnerSignature',
    'end-withdrawn': 'withdraw',
    'end-rejected': 'reject',
    leave: 'partnerLeaves',
  };
  const names: Record<string, AccessionTextKey> = { comment: 'commentForPartner', signer: 'signerName', role: 'signerRole', date: field.startsWith('leave-') ? 'leavesOn' : 'signedOn', reason: 'endReason' };
  const action = Object.keys(actions).find((key) => field.startsWith(`${key}-`));
  if (!action) return field;
  const name = names[field.slice(action.length + 1)];
  return `${at(lang, actions[action] as AccessionTextKey)}${name ? `: ${at(lang, name)}` : ''}`;
}

function timelineLines(lang: Lang, entries: TimelineEntry[]): string[] {
  return entries.flatMap((entry) => {
    if (entry.kind === 'deadline') return entry.outcome === 'sent' ? [`${dateTime(lang, entry.at)}: ${noticeLabel(lang, entry.template)} (${entry.stepId})`] : [];
    if (entry.kind === 'notice') return [`${dateTime(lang, entry.at)}: ${noticeLabel(lang, entry.template)}`];
    const details = entry.details && typeof entry.details['reason'] === 'string' ? ` – ${entry.details['reason'] as string}` : '';
    return [`${dateTime(lang, entry.at)}: ${actionLabel(lang, entry.action)}${entry.by ? ` (${entry.by})` : ''}${details}`];
  });
}

async function organisationPage(c: Context<AppEnv>, number: number, errors: FieldError[], status: 200 | 404 | 409 | 422 = 200, form: Record<string, unknown> = {}): Promise<Response> {
  const lang = c.get('lang');
  const principal = c.get('principal');
  if (!accountWith(principal, accessionPermissions.view)) return forbidden(c);
  const { db, temporal } = c.get('deps');
  const organisation = await findPartnerByNumber(db, number);
  if (!organisation) return page(c, t(lang, 'notFound'), heading(t(lang, 'notFound')), 404);
  const ref = { client: temporal, partnerNumber: number };
  const record = await accessionRecord(db, organisation.id);
  const view = record ? await accessionStatus(ref) : undefined;
  const timeline = record ? await accessionTimeline(ref) : undefined;
  const lifecycle = organisation.status === 'active' || organisation.status === 'left' ? await lifecycleStatus(ref) : undefined;
  const partnership = lifecycle?.ok ? await lifecycleTimeline(ref) : undefined;
  const title = `${number} – ${organisation.name}`;
  const may = (roles: readonly ('staff' | 'caseworker' | 'signatory' | 'admin')[]) => accountWith(principal, roles) !== undefined;
  const value = (name: string, fallback = '') => (typeof form[name] === 'string' ? (form[name] as string) : fallback);
  const field = (name: string, spec: Omit<FieldSpec, 'name'>, fallback = '') => formField(lang, name, { ...spec, name }, value(name, fallback), errors);
  const button = (label: string) => html`<div><button class="kern-btn kern-btn--secondary" type="submit"><span class="kern-label">${label}</span></button></div>`;
  const status_ = view?.ok ? view.value : undefined;
  const latest = record?.versions.at(-1);
  const forms: Html[] = [];
  if (status_?.phase === 'declaration_submitted' && may(accessionPermissions.review)) {
    const reviewForm = (outcome: ReviewOutcome, label: string, required: boolean) =>
      html`<form method="post" action="${accessionStaffPaths.organisation(number)}/review/${outcome}" novalidate>${formRequestInput()}${field(`review-${outcome}-comment`, { kind: 'textarea', label: [at('de', outcome === 'accept' ? 'review' : 'commentForPartner'), at('en', outcome === 'accept' ? 'review' : 'commentForPartner')], required })}${button(label)}</form>`;
    forms.push(html`<section aria-labelledby="review"><h2 class="kern-heading-medium" id="review">${at(lang, 'review')}</h2><div class="decision-forms">${reviewForm('accept', at(lang, 'acceptDeclaration'), false)}${reviewForm('request-changes', at(lang, 'requestChanges'), true)}</div></section>`);
  }
  if (status_?.phase === 'awaiting_signatures') {
    const signForm = (party: 'partner' | 'ministry', label: string, signer: string, role: string) =>
      html`<form method="post" action="${accessionStaffPaths.organisation(number)}/signatures/${party}" novalidate>${formRequestInput()}
${field(`sign-${party}-signer`, { kind: 'text', label: [at('de', 'signerName'), at('en', 'signerName')], required: true }, signer)}
${field(`sign-${party}-role`, { kind: 'text', label: [at('de', 'signerRole'), at('en', 'signerRole')], required: true }, role)}
${field(`sign-${party}-date`, { kind: 'text', label: [at('de', 'signedOn'), at('en', 'signedOn')], required: false })}
${button(label)}</form>`;
    const signed = (party: string) => status_.signatures.some((s) => s.party === party);
    const agreement = record?.agreement;
    const parts: Html[] = [];
    if (!signed('ministry') && may(accessionPermissions.recordMinistrySignature)) parts.push(signForm('ministry', at(lang, 'recordMinistrySignature'), agreement?.stateSignatoryName ?? '', agreement?.stateSignatoryRole ?? ''));
    if (!signed('partner') && may(accessionPermissions.recordPartnerSignature)) parts.push(signForm('partner', at(lang, 'recordPartnerSignature'), '', agreement?.partnerSignatoryRole ?? ''));
    if (parts.length > 0) forms.push(html`<section aria-labelledby="sign"><h2 class="kern-heading-medium" id="sign">${at(lang, 'signatures')}</h2><div class="decision-forms">${parts}</div></section>`);
  }
  if (status_ && !['completed', 'withdrawn', 'rejected'].includes(status_.phase) && may(accessionPermissions.end)) {
    const endForm = (outcome: 'withdrawn' | 'rejected', label: string) =>
      html`<form method="post" action="${accessionStaffPaths.organisation(number)}/end/${outcome}" novalidate>${formRequestInput()}${field(`end-${outcome}-reason`, { kind: 'text', label: [`${at('de', outcome === 'withdrawn' ? 'withdraw' : 'reject')}: ${at('de', 'endReason')}`, `${at('en', outcome === 'withdrawn' ? 'withdraw' : 'reject')}: ${at('en', 'endReason')}`], required: true })}${button(label)}</form>`;
    forms.push(html`<section aria-labelledby="end"><h2 class="kern-heading-medium" id="end">${at(lang, 'endAccession')}</h2><div class="decision-forms">${endForm('withdrawn', at(lang, 'withdraw'))}${endForm('rejected', at(lang, 'reject'))}</div></section>`);
  }
  const item = (key: string, text: unknown) => html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${key}</dt><dd class="kern-description-list-item__value">${text}</dd></div>`;
  // One timeline from the invitation on: the accession's, then the partnership's.
  const lines = [...(timeline?.ok ? timelineLines(lang, timeline.value) : []), ...(partnership?.ok ? timelineLines(lang, partnership.value) : [])];
  return page(
    c,
    title,
    html`${heading(title)}
${c.req.query('done') ? alert('success', c.req.query('done') === 'started' ? at(lang, 'invited') : at(lang, 'done')) : ''}
${errorSummary(lang, errors, (f) => decisionFieldLabel(lang, f))}
<dl class="kern-description-list">
${item(at(lang, 'stage'), status_ ? accessionPhaseLabel(lang, status_.phase) : view && !view.ok ? view.errors.join(' ') : stageLabel(lang, organisation.status === 'active' ? 'active' : 'not_started'))}
${status_?.dueAt ? item(at(lang, 'due'), dateTime(lang, status_.dueAt)) : ''}
${status_?.endReason ? item(at(lang, 'endReason'), status_.endReason) : ''}
${organisation.accessionDate ?? status_?.accessionDate ? item(at(lang, 'accessionDate'), dayLabel(lang, (organisation.accessionDate ?? status_?.accessionDate) as string)) : ''}
${status_ && status_.signatures.length > 0 ? item(at(lang, 'signatures'), html`${status_.signatures.map((s) => html`${s.party === 'ministry' ? (lang === 'de' ? 'Ministerium' : 'Ministry') : at(lang, 'organisation')}: ${at(lang, 'signedBy', { signer: s.signer, role: s.role, date: dayLabel(lang, s.date) })}<br>`)}`) : ''}
</dl>
${record?.agreement?.pdf ? html`<p><a class="kern-link" href="${accessionStaffPaths.organisation(number)}/agreement.pdf">${at(lang, 'agreementPdf')}</a></p>` : ''}
${forms.length === 0 && status_ ? html`<p class="kern-body">${at(lang, 'nothingToDo')}</p>` : ''}
${forms}
${latest ? html`<section aria-labelledby="declaration"><h2 class="kern-heading-medium" id="declaration">${at(lang, 'version')} ${latest.version} – ${t(lang, 'submittedAt')} ${dateTime(lang, latest.submittedAt.toISOString())}</h2>${declarationCopy(lang, latest.content)}</section>` : ''}
${lifecycle?.ok ? html`<section aria-labelledby="lifecycle"><h2 class="kern-heading-medium" id="lifecycle">${at(lang, 'lifecycle')}</h2>
<dl class="kern-description-list">${item(at(lang, 'stage'), lifecycle.value.phase === 'active' ? stageLabel(lang, 'active') : stageLabel(lang, 'withdrawn'))}${item(at(lang, 'accessionDate'), dayLabel(lang, lifecycle.value.accessionDate))}</dl>
${lifecycle.value.milestones.length > 0 ? html`<ul class="kern-list">${lifecycle.value.milestones.map((m) => html`<li>${m.text} – ${m.dueText} – ${at(lang, m.status)}</li>`)}</ul>` : ''}
${lifecycle.value.withdrawal ? html`<p class="kern-body">${at(lang, 'endReason')}: ${lifecycle.value.withdrawal.reason} (${dayLabel(lang, lifecycle.value.withdrawal.date)})</p>` : ''}
${lifecycle.value.phase === 'active' && may(accessionPermissions.end) ? html`<form method="post" action="${accessionStaffPaths.organisation(number)}/partnership/withdrawal" class="form-stack" novalidate>${formRequestInput()}
${field('leave-reason', { kind: 'text', label: [`${at('de', 'partnerLeaves')}: ${at('de', 'endReason')}`, `${at('en', 'partnerLeaves')}: ${at('en', 'endReason')}`], required: true })}
${field('leave-date', { kind: 'text', label: [at('de', 'leavesOn'), at('en', 'leavesOn')], required: false })}
${button(at(lang, 'partnerLeaves'))}</form>` : ''}</section>` : ''}
<section aria-labelledby="timeline"><h2 class="kern-heading-medium" id="timeline">${at(lang, 'timeline')}</h2>
${lines.length === 0 ? html`<p class="kern-body">${t(lang, 'nothingYet')}</p>` : html`<ul class="kern-list">${lines.map((line) => html`<li>${line}</li>`)}</ul>`}</section>`,
    status,
  );
}
