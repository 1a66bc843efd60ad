/**
 * The partner's accession pages, reached from the personal links of the declaration, signature
 * and milestone emails: the declaration form (drafts, field messages, the ministry's revision
 * comments, a receipt), the agreement with its signing form, and the answer to a milestone
 * request. Every change is an Update of the workflow, whose validator decides.
 */
import type { Context, Hono } from 'hono';
import { html, raw } from 'hono/html';
import { findPartnerByNumber } from '../db/queries/partners';
import { parseDeclaration, type Declaration } from '../domain/declaration';
import type { LinkPurpose } from '../email/partner-links';
import {
  accessionRecord,
  accessionStatus,
  answerMilestone,
  lifecycleStatus,
  recordSignature,
  saveDeclarationDraft,
  submitDeclaration,
} from '../http/accession-service';
import type { AppEnv, PartnerPrincipal } from '../http/context';
import { formRequestInput } from '../http/form-requests';
import { at, isoDayOf } from './accession-texts';
import { formField } from './fields';
import { t, type Lang } from './i18n';
import { alert, errorSummary, fieldId, heading, page } from './layout';
import { dateTime, dayLabel } from './labels';
import {
  buildDeclaration,
  closingField,
  declarationErrors,
  declarationFieldLabel,
  declarationFields,
  fieldNames,
  fieldsOfDeclaration,
  measureFields,
  milestoneFields,
  pickDeclarationFields,
  shapeOf,
  withAddedSlot,
  type DeclarationShape,
} from './declaration-form';
import { fieldOfActionLabels, translateReason, type FieldError, type FieldSpec, type FormFields } from './report-form';

export const accessionPortalPaths = {
  declaration: '/portal/accession/declaration',
  receipt: (version: number) => `/portal/accession/declaration/receipts/${version}`,
  agreement: '/portal/accession/agreement',
  agreementPdf: '/portal/accession/agreement.pdf',
  signature: '/portal/accession/agreement/signature',
  milestones: '/portal/milestones',
};

/** Where a partner lands after exchanging a link of an accession purpose. */
export function accessionLanding(purpose: string): string {
  return purpose === 'declaration' ? accessionPortalPaths.declaration : purpose === 'agreement' ? accessionPortalPaths.agreement : accessionPortalPaths.milestones;
}

/** The partner, if its link is of `purpose`: a declaration link never opens the agreement, nor another partner's anything. */
function partnerWith(c: Context<AppEnv>, purpose: LinkPurpose): PartnerPrincipal | undefined {
  const principal = c.get('principal');
  return principal?.kind === 'partner' && principal.link.purpose === purpose ? principal : undefined;
}

const ref = (c: Context<AppEnv>, partner: PartnerPrincipal) => ({ client: c.get('deps').temporal, partnerNumber: partner.link.partnerNumber });
const actor = (partner: PartnerPrincipal) => `partner:${partner.link.partnerNumber}`;

function noSession(c: Context<AppEnv>) {
  const lang = c.get('lang');
  return page(c, t(lang, 'forbidden'), html`${heading(t(lang, 'forbidden'))}<p class="kern-body">${t(lang, 'sessionMissing')}</p>`, 403);
}

function refused(c: Context<AppEnv>, title: string, errors: string[], status: 404 | 409 | 422) {
  const lang = c.get('lang');
  return page(c, title, html`${heading(title)}${alert('warning', errors.map((e) => translateReason(e.replace(/^[^:]*: /, ''), lang)).join(' '))}`, status);
}

export function mountAccessionPartnerPages(app: Hono<AppEnv>): void {
  app.get(accessionPortalPaths.declaration, async (c) => {
    const partner = partnerWith(c, 'declaration');
    if (!partner) return noSession(c);
    const status = await accessionStatus(ref(c, partner));
    if (!status.ok) return refused(c, at(c.get('lang'), 'declarationTitle'), status.errors, status.status);
    const record = await accessionRecord(c.get('deps').db, partner.link.organisationId);
    const latest = record?.versions.at(-1);
    // The newest of draft and last version opens the form: a revision starts from what was sent.
    const draftIsNewer = record?.accession.draft != null && (!latest || (record.accession.draftSavedAt?.getTime() ?? 0) > latest.submittedAt.getTime());
    const fields: FormFields = draftIsNewer
      ? pickDeclarationFields(record.accession.draft as Record<string, unknown>)
      : latest
        ? storedFields(latest.content)
        : {};
    return declarationPage(c, fields, shapeOf(fields), [], undefined);
  });

  app.post(accessionPortalPaths.declaration, async (c) => {
    const lang = c.get('lang');
    const partner = partnerWith(c, 'declaration');
    if (!partner) return noSession(c);
    const body = await c.req.parseBody();
    const fields = pickDeclarationFields(body);
    const action = typeof body['action'] === 'string' ? body['action'] : 'save';
    if (action.startsWith('add-')) return declarationPage(c, fields, withAddedSlot(fields, action), [], undefined);
    const shape = shapeOf(fields);
    // What was typed is kept as a draft whenever it is not (yet) submitted: nothing is lost to an error.
    const keep = async (errors: FieldError[], status: 200 | 409 | 422) => {
      const saved = await saveDeclarationDraft(ref(c, partner), fields, actor(partner));
      // A draft refused for the same reason as the submission (the state) would say it twice.
      const refusal = saved.ok || errors.length > 0 ? [] : saved.errors.map((e) => ({ field: 'measures[0].id', message: translateReason(e.replace(/^[^:]*: /, ''), lang) }));
      return declarationPage(c, fields, shape, [...errors, ...refusal], saved.ok && errors.length === 0 ? saved.value.savedAt : undefined, saved.ok || errors.length > 0 ? status : saved.status);
    };
    if (action !== 'submit') return keep([], 200);
    const built = buildDeclaration(fields, lang);
    // Checked here first for field messages without a round trip; the workflow's validator decides.
    const parsed = parseDeclaration(built.body);
    const schemaErrors = parsed.ok ? [] : declarationErrors(parsed.errors, built, shape, lang);
    const order = [...fieldNames(shape)];
    const problems = [...built.problems, ...schemaErrors.filter((e) => !built.problems.some((p) => p.field === e.field))].sort(
      (a, b) => order.indexOf(a.field) - order.indexOf(b.field),
    );
    if (problems.length > 0) return keep(problems, 422);
    const result = await submitDeclaration(ref(c, partner), built.body, actor(partner));
    if (!result.ok) return keep(declarationErrors(result.errors, built, shape, lang), result.status);
    return c.redirect(accessionPortalPaths.receipt(result.value.version), 303);
  });

  app.get('/portal/accession/declaration/receipts/:version{[0-9]+}', async (c) => {
    const lang = c.get('lang');
    const partner = partnerWith(c, 'declaration');
    if (!partner) return noSession(c);
    const record = await accessionRecord(c.get('deps').db, partner.link.organisationId);
    const version = record?.versions.find((v) => v.version === Number(c.req.param('version')));
    if (!version) return page(c, t(lang, 'notFound'), heading(t(lang, 'notFound')), 404);
    return page(
      c,
      at(lang, 'declarationReceipt'),
      html`${heading(at(lang, 'declarationReceipt'))}
${alert('success', at(lang, 'declarationReceived', { version: version.version }), html`<p class="kern-body">${at(lang, 'declarationReceivedText')}</p><p class="kern-body">${t(lang, 'submittedAt')} ${dateTime(lang, version.submittedAt.toISOString())}</p>`)}
<h2 class="kern-heading-medium">${t(lang, 'copyOfSubmission')}</h2>
${declarationCopy(lang, version.content)}`,
    );
  });

  app.get(accessionPortalPaths.agreement, async (c) => agreementPage(c, [], {}));

  app.get(accessionPortalPaths.agreementPdf, async (c) => {
    const partner = partnerWith(c, 'agreement');
    if (!partner) return noSession(c);
    const pdf = (await accessionRecord(c.get('deps').db, partner.link.organisationId))?.agreement?.pdf;
    if (!pdf) return page(c, t(c.get('lang'), 'notFound'), heading(t(c.get('lang'), 'notFound')), 404);
    return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': 'inline; filename="Vereinbarung.pdf"' });
  });

  app.post(accessionPortalPaths.signature, async (c) => {
    const lang = c.get('lang');
    const partner = partnerWith(c, 'agreement');
    if (!partner) return noSession(c);
    const form = await c.req.parseBody();
    const typed = { signer: String(form['signer'] ?? ''), role: String(form['role'] ?? '') };
    if (form['confirm'] !== 'yes') return agreementPage(c, [{ field: 'confirm', message: at(lang, 'signConfirmMissing') }], typed, 422);
    // "Signing" is what the workflow records for the partner's side: signer, role and the day.
    const result = await recordSignature(ref(c, partner), { party: 'partner', signer: typed.signer, role: typed.role });
    if (!result.ok) {
      const errors = result.errors.map((line) => {
        const [field, ...reason] = line.split(': ');
        return { field: field === 'signer' || field === 'role' ? field : 'signer', message: translateReason(reason.join(': ') || line, lang) };
      });
      return agreementPage(c, errors, typed, result.status);
    }
    return c.redirect(`${accessionPortalPaths.agreement}?signed=1`, 303);
  });

  app.get(accessionPortalPaths.milestones, async (c) => milestonesPage(c, []));

  app.post('/portal/milestones/answer', async (c) => {
    const lang = c.get('lang');
    const partner = partnerWith(c, 'milestone');
    if (!partner) return noSession(c);
    const form = await c.req.parseBody();
    const milestoneId = String(form['milestoneId'] ?? '');
    // A link about one milestone answers that one only; a general milestone link any of the partner's.
    if (partner.link.subject !== 'partner' && partner.link.subject !== milestoneId) return noSession(c);
    const key = slotOf(milestoneId);
    const outcome = String(form[`${key}-outcome`] ?? '');
    const date = String(form[`${key}-date`] ?? '').trim();
    const newDate = String(form[`${key}-newDate`] ?? '').trim();
    const newDueText = String(form[`${key}-newDueText`] ?? '').trim();
    const args: Record<string, unknown> =
      outcome === 'delayed'
        ? { milestoneId, outcome, newDate: isoDayOf(newDate), ...(newDueText && { newDueText }) }
        : { milestoneId, outcome, ...(date && { date: isoDayOf(date) }) };
    const typed = { [`${key}-outcome`]: outcome, [`${key}-date`]: date, [`${key}-newDate`]: newDate, [`${key}-newDueText`]: newDueText };
    if (outcome !== 'reached' && outcome !== 'delayed') return milestonesPage(c, [{ field: `${key}-outcome`, message: translateReason('is required', lang) }], typed, 422);
    const result = await answerMilestone(ref(c, partner), args);
    if (!result.ok) {
      const errors = result.errors.map((line) => {
        const [field, ...reason] = line.split(': ');
        const name = field === 'newDate' || field === 'date' || field === 'newDueText' ? field : 'outcome';
        return { field: `${key}-${name}`, message: translateReason(reason.join(': ') || line, lang) };
      });
      return milestonesPage(c, errors, typed, result.status);
    }
    return c.redirect(`${accessionPortalPaths.milestones}?answered=${encodeURIComponent(milestoneId)}`, 303);
  });
}

function storedFields(content: unknown): FormFields {
  const parsed = parseDeclaration(content);
  return parsed.ok ? fieldsOfDeclaration(parsed.declaration) : {};
}

async function declarationPage(
  c: Context<AppEnv>,
  fields: FormFields,
  shape: DeclarationShape,
  errors: FieldError[],
  savedAt: string | undefined,
  status: 200 | 404 | 409 | 422 = 200,
) {
  const lang = c.get('lang');
  const partner = partnerWith(c, 'declaration') as PartnerPrincipal;
  const title = at(lang, 'declarationTitle');
  const view = await accessionStatus(ref(c, partner));
  if (!view.ok) return refused(c, title, view.errors, view.status);
  const { phase, versions, dueAt } = view.value;
  const versionList = versions.length === 0 ? '' : html`<h2 class="kern-heading-medium">${at(lang, 'submittedVersions')}</h2><ul class="kern-list">${versions.map(
    (v) => html`<li><a class="kern-link" href="${accessionPortalPaths.receipt(v.version)}">${at(lang, 'version')} ${v.version}</a> – ${t(lang, 'submittedAt')} ${dateTime(lang, v.submittedAt)}</li>`,
  )}</ul>`;
  // Closed to changes: the notice, with the status of what was refused (a submission too late is a 409, not a 200).
  if (phase !== 'invited' && phase !== 'changes_requested') {
    return page(c, title, html`${heading(title)}<p class="kern-body kern-body--large">${partner.link.partnerName}</p>
${alert('info', phase === 'declaration_submitted' ? at(lang, 'declarationWithMinistry') : at(lang, 'declarationClosed'))}${versionList}`, status);
  }
  const reviewed = [...versions].reverse().find((v) => v.review === 'changes_requested');
  const field = (name: string, spec: FieldSpec) => formField(lang, name, spec, fields[name] ?? '', errors);
  const legend = (text: string, optional = false) => html`<legend class="kern-label kern-label--large">${text}${optional ? html` <span class="kern-label__optional">– ${t(lang, 'optional')}</span>` : ''}</legend>`;
  const measures = shape.milestones.map(
    (count, m) => html`<fieldset class="kern-fieldset nested" id="${fieldId(`measures[${m}]`)}">${legend(`${at(lang, 'measure')} ${m + 1}`)}<div class="kern-fieldset__body">
${measureFields.map((spec) => field(`measures[${m}].${spec.name}`, spec))}
${Array.from({ length: count }, (_, s) => html`<fieldset class="kern-fieldset nested">${legend(`${at(lang, 'measure')} ${m + 1}, ${at(lang, 'milestone')} ${s + 1}`, true)}<div class="kern-fieldset__body">
${milestoneFields.map((spec) => field(`measures[${m}].milestones[${s}].${spec.name}`, spec))}</div></fieldset>`)}
<div><button class="kern-btn kern-btn--secondary kern-btn--small" type="submit" name="action" value="add-milestone-${m}"><span class="kern-label">${at(lang, 'addMilestone')} (${at(lang, 'measure')} ${m + 1})</span></button></div>
</div></fieldset>`,
  );
  return page(
    c,
    title,
    html`${heading(title)}
<p class="kern-body kern-body--large">${partner.link.partnerName}</p>
${errorSummary(lang, errors, (f) => declarationFieldLabel(lang, f))}
${savedAt ? alert('success', t(lang, 'draftSaved'), html`<p class="kern-body">${at(lang, 'draftSavedAt', { at: dateTime(lang, savedAt) })}</p>`) : ''}
${reviewed?.comment ? alert('warning', at(lang, 'revisionRequested'), html`<p class="kern-body">${at(lang, 'revisionComments', { version: reviewed.version })}</p><blockquote class="kern-body review-comment">${reviewed.comment}</blockquote>`) : ''}
<p class="kern-body">${at(lang, 'declarationIntro')}</p>
${dueAt ? html`<p class="kern-body"><strong>${t(lang, 'dueOn')}: ${dateTime(lang, dueAt)}</strong></p>` : ''}
<form method="post" action="${accessionPortalPaths.declaration}" class="form-stack" novalidate>${formRequestInput()}
<fieldset class="kern-fieldset">${legend(at(lang, 'general'))}<div class="kern-fieldset__body">${declarationFields.map((spec) => field(spec.name, spec))}</div></fieldset>
${measures}
<div><button class="kern-btn kern-btn--secondary" type="submit" name="action" value="add-measure"><span class="kern-label">${at(lang, 'addMeasure')}</span></button></div>
${field(closingField.name, closingField)}
<div class="form-actions">
<button class="kern-btn kern-btn--secondary" type="submit" name="action" value="save"><span class="kern-label">${t(lang, 'saveDraft')}</span></button>
<button class="kern-btn kern-btn--primary" type="submit" name="action" value="submit"><span class="kern-label">${at(lang, 'submitDeclaration')}</span></button>
</div>
</form>
${versionList}`,
    status,
  );
}

/** A submitted declaration as the partner sent it; one stored in an earlier shape is shown as stored. */
export function declarationCopy(lang: Lang, content: unknown) {
  const parsed = parseDeclaration(content);
  if (!parsed.ok) return html`<pre class="submitted-copy">${JSON.stringify(content, null, 2)}</pre>`;
  const d: Declaration = parsed.declaration;
  const i = lang === 'de' ? 0 : 1;
  const item = (key: string, value: unknown) => html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${key}</dt><dd class="kern-description-list-item__value">${value}</dd></div>`;
  const notStated = t(lang, 'notStated');
  return html`<div class="declaration-copy">
<dl class="kern-description-list">
${item(declarationFields[0]!.label[i], d.title ?? notStated)}
${item(declarationFields[1]!.label[i], d.preamble ?? notStated)}
${item(declarationFields[2]!.label[i], d.targetYear ?? notStated)}
</dl>
${d.measures.map(
  (m, index) => html`<h3 class="kern-heading-small">${at(lang, 'measure')} ${index + 1}: ${m.title} (${m.id})</h3>
<dl class="kern-description-list">
${item(measureFields[2]!.label[i], fieldOfActionLabels[m.fieldOfAction][i])}
${item(measureFields[3]!.label[i], m.description)}
${item(measureFields[4]!.label[i], m.groupLabel ?? notStated)}
${item(measureFields[5]!.label[i], m.responsibleUnit ?? notStated)}
</dl>
${m.milestones && m.milestones.length > 0 ? html`<p class="kern-label">${at(lang, 'milestones')}</p><ul class="kern-list">${m.milestones.map((ms) => html`<li>${ms.text} – ${ms.due.text ?? ms.due.year}</li>`)}</ul>` : ''}`,
)}
${d.closing ? html`<p class="kern-body">${d.closing}</p>` : ''}
</div>`;
}

/** The agreement's own HTML, without its page frame: generated by us from escaped text. */
export function agreementBody(documentHtml: string) {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(documentHtml)?.[1] ?? documentHtml;
  // Its headings start at h1; on our page, the page's h1 comes first.
  return raw(body.replace(/<(\/?)h([1-5])\b/g, (_, slash: string, level: string) => `<${slash}h${Number(level) + 1}`));
}

async function agreementPage(c: Context<AppEnv>, errors: FieldError[], typed: { signer?: string; role?: string }, status: 200 | 404 | 409 | 422 = 200) {
  const lang = c.get('lang');
  const partner = partnerWith(c, 'agreement');
  if (!partner) return noSession(c);
  const title = at(lang, 'agreementTitle');
  const view = await accessionStatus(ref(c, partner));
  if (!view.ok) return refused(c, title, view.errors, view.status);
  const record = await accessionRecord(c.get('deps').db, partner.link.organisationId);
  const agreement = record?.agreement;
  if (!agreement?.html) return page(c, title, html`${heading(title)}${alert('info', at(lang, 'agreementNotYet'))}`);
  const signed = view.value.signatures.find((s) => s.party === 'partner');
  const organisation = await findPartnerByNumber(c.get('deps').db, partner.link.partnerNumber);
  const signerSpec: FieldSpec = { name: 'signer', kind: 'text', label: [at('de', 'signerName'), at('en', 'signerName')], required: true, input: { type: 'text', autocomplete: 'name' } };
  const roleSpec: FieldSpec = { name: 'role', kind: 'text', label: [at('de', 'signerRole'), at('en', 'signerRole')], required: true, input: { type: 'text', autocomplete: 'organization-title' } };
  const confirmError = errors.find((e) => e.field === 'confirm');
  const signing =
    view.value.phase === 'completed'
      ? alert('success', at(lang, 'accessionComplete', { date: dayLabel(lang, view.value.accessionDate ?? '') }))
      : signed
        ? alert('success', at(lang, 'partnerSigned'), html`<p class="kern-body">${at(lang, 'signedBy', { signer: signed.signer, role: signed.role, date: dayLabel(lang, signed.date) })}</p><p class="kern-body">${at(lang, 'partnerSignedText')}</p>`)
        : view.value.phase !== 'awaiting_signatures'
          ? alert('info', at(lang, 'declarationClosed'))
          : html`<h2 class="kern-heading-medium" id="unterzeichnen">${at(lang, 'signHeading')}</h2>
${errorSummary(lang, errors, (f) => (f === 'confirm' ? at(lang, 'signHeading') : f === 'role' ? at(lang, 'signerRole') : at(lang, 'signerName')))}
<p class="kern-body">${at(lang, 'signIntro')}</p>
<form method="post" action="${accessionPortalPaths.signature}" class="form-stack" novalidate>${formRequestInput()}
${formField(lang, 'signer', signerSpec, typed.signer ?? '', errors)}
${formField(lang, 'role', roleSpec, typed.role ?? agreement.partnerSignatoryRole, errors)}
<div class="kern-form-check${confirmError ? ' kern-form-check--error' : ''}">
<input class="kern-form-check__checkbox${confirmError ? ' kern-form-check__checkbox--error' : ''}" type="checkbox" id="${fieldId('confirm')}" name="confirm" value="yes" aria-required="true" ${confirmError ? raw(`aria-invalid="true" aria-describedby="${fieldId('confirm')}-error"`) : ''}>
<label class="kern-label" for="${fieldId('confirm')}">${at(lang, 'signConfirm')}</label>
</div>
${confirmError ? html`<p class="kern-error" id="${fieldId('confirm')}-error"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><span class="kern-body">${confirmError.message}</span></p>` : ''}
<div><button class="kern-btn kern-btn--primary" type="submit"><span class="kern-label">${at(lang, 'signButton')}</span></button></div>
</form>`;
  return page(
    c,
    title,
    html`${heading(title)}
<p class="kern-body kern-body--large">${organisation?.name ?? partner.link.partnerName}</p>
<p class="kern-body">${at(lang, 'agreementIntro')}</p>
${view.value.dueAt && !signed ? html`<p class="kern-body"><strong>${t(lang, 'dueOn')}: ${dateTime(lang, view.value.dueAt)}</strong></p>` : ''}
<p><a class="kern-link" href="${accessionPortalPaths.agreementPdf}">${at(lang, 'agreementPdf')}</a></p>
<article class="agreement-text" lang="de" aria-label="${at(lang, 'agreementTitle')}">${agreementBody(agreement.html)}</article>
${signing}`,
    status,
  );
}

/** Field names carry the milestone, so several forms on one page keep their own ids. */
function slotOf(milestoneId: string): string {
  return `m-${milestoneId.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

async function milestonesPage(c: Context<AppEnv>, errors: FieldError[], typed: Record<string, string> = {}, status: 200 | 404 | 409 | 422 = 200) {
  const lang = c.get('lang');
  const partner = partnerWith(c, 'milestone');
  if (!partner) return noSession(c);
  const title = at(lang, 'milestonesTitle');
  const view = await lifecycleStatus(ref(c, partner));
  if (!view.ok) return refused(c, title, view.errors, view.status);
  const subject = partner.link.subject;
  const shown = view.value.milestones.filter((m) => (subject === 'partner' ? true : m.id === subject));
  const answered = c.req.query('answered');
  const outcomeSpec: FieldSpec = {
    name: 'outcome',
    kind: 'choice',
    label: [at('de', 'milestoneOutcome'), at('en', 'milestoneOutcome')],
    options: [
      { value: 'reached', label: [at('de', 'reached'), at('en', 'reached')] },
      { value: 'delayed', label: [at('de', 'delayed'), at('en', 'delayed')] },
    ],
    required: true,
  };
  const dateSpec: FieldSpec = { name: 'date', kind: 'text', label: [at('de', 'reachedOn'), at('en', 'reachedOn')], required: false };
  const newDateSpec: FieldSpec = { name: 'newDate', kind: 'text', label: [at('de', 'newDate'), at('en', 'newDate')], required: false };
  const newDueTextSpec: FieldSpec = { name: 'newDueText', kind: 'text', label: [at('de', 'newDueText'), at('en', 'newDueText')], required: false };
  const labelOf = (field: string) => {
    const milestone = shown.find((m) => field.startsWith(`${slotOf(m.id)}-`));
    const spec = [outcomeSpec, dateSpec, newDateSpec, newDueTextSpec].find((s) => field.endsWith(`-${s.name}`));
    return `${milestone?.text ?? ''}: ${spec?.label[lang === 'de' ? 0 : 1] ?? field}`;
  };
  return page(
    c,
    title,
    html`${heading(title)}
<p class="kern-body kern-body--large">${view.value.partnerName}</p>
${answered ? alert('success', at(lang, 'answerRecorded')) : ''}
${errorSummary(lang, errors, labelOf)}
<p class="kern-body">${at(lang, 'milestonesIntro')}</p>
${shown.length === 0 ? html`<p class="kern-body">${at(lang, 'noMilestones')}</p>` : ''}
${shown.map((m) => {
  const key = slotOf(m.id);
  const state = m.status === 'reached' ? at(lang, 'reached') : m.status === 'delayed' ? at(lang, 'delayed') : at(lang, 'open');
  return html`<section aria-labelledby="${key}-heading"><h2 class="kern-heading-medium" id="${key}-heading">${m.text}</h2>
<p class="kern-body">${m.measureTitle} – ${at(lang, 'milestoneDue', { due: m.revisedDueDate ? dayLabel(lang, m.revisedDueDate) : m.dueText })} – ${state}${m.reachedOn ? ` (${dayLabel(lang, m.reachedOn)})` : ''}</p>
${m.status === 'reached' ? '' : html`<form method="post" action="/portal/milestones/answer" class="form-stack" novalidate>${formRequestInput()}<input type="hidden" name="milestoneId" value="${m.id}">
${[outcomeSpec, dateSpec, newDateSpec, newDueTextSpec].map((spec) => formField(lang, `${key}-${spec.name}`, spec, typed[`${key}-${spec.name}`] ?? '', errors))}
<div><button class="kern-btn kern-btn--primary" type="submit"><span class="kern-label">${at(lang, 'sendAnswer')}</span></button></div></form>`}
</section>`;
})}`,
    status,
  );
}
