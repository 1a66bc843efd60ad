/**
 * The declaration as a form: the partner's formless self-commitment ("formlose Erklärung"), i.e.
 * measures, each with optional milestones and the date it is meant to be reached by, in the
 * partner's own words ("bis Frühjahr 2028"). Fields are named by the declaration's own paths
 * (`measures[0].milestones[1].due`), so the validator's "field: reason" lines land on them.
 */
import { fieldsOfAction } from '../domain/fields-of-action';
import { parseFuzzyDate, type FuzzyDate } from '../domain/fuzzy-date';
import type { Declaration } from '../domain/declaration';
import type { Lang } from './i18n';
import { fieldOfActionLabels, formErrors, translateReason, type FieldError, type FieldSpec, type FormFields } from './report-form';

export const declarationFields: FieldSpec[] = [
  { name: 'title', kind: 'text', label: ['Titel der Erklärung', 'Title of the declaration'], required: false },
  {
    name: 'preamble',
    kind: 'textarea',
    label: ['Einleitung', 'Introduction'],
    hint: ['Zum Beispiel: warum Ihre Organisation der Initiative beitritt.', 'For example: why your organisation joins the initiative.'],
    required: false,
  },
  { name: 'targetYear', kind: 'year', label: ['Jahr, für das die Maßnahmen geplant sind', 'Year the measures are planned for'], required: false },
];

export const closingField: FieldSpec = { name: 'closing', kind: 'textarea', label: ['Schlussbemerkung', 'Closing remarks'], required: false };

export const measureFields: FieldSpec[] = [
  {
    name: 'id',
    kind: 'text',
    label: ['Kürzel der Maßnahme', 'Short id of the measure'],
    hint: ['Ihre eigene Kennung, auf die sich spätere Jahresberichte beziehen, z. B. „M1“.', 'Your own id, which later annual reports refer to, e.g. “M1”.'],
    required: true,
  },
  { name: 'title', kind: 'text', label: ['Titel', 'Title'], required: true },
  {
    name: 'fieldOfAction',
    kind: 'select',
    label: ['Handlungsfeld', 'Field of action'],
    options: fieldsOfAction.map((value) => ({ value, label: fieldOfActionLabels[value] })),
    required: true,
  },
  { name: 'description', kind: 'textarea', label: ['Beschreibung', 'Description'], required: true },
  { name: 'groupLabel', kind: 'text', label: ['Gruppe (Ihre eigene Gliederung)', 'Group (your own outline)'], required: false },
  { name: 'responsibleUnit', kind: 'text', label: ['Zuständige Stelle', 'Responsible unit'], required: false },
];

export const milestoneFields: FieldSpec[] = [
  { name: 'text', kind: 'text', label: ['Meilenstein', 'Milestone'], required: false },
  {
    name: 'due',
    kind: 'text',
    label: ['Bis wann', 'By when'],
    hint: ['Ein Datum oder eine ungefähre Angabe, z. B. „30.06.2028“, „bis Frühjahr 2028“, „Ende 2028“.', 'A date or an approximate one, e.g. “30.06.2028”, “bis Frühjahr 2028”, “Ende 2028”.'],
    required: false,
  },
];

/** How many measures, and milestones per measure, the form shows. */
export type DeclarationShape = { milestones: number[] };

const measureIndex = /^measures\[(\d+)\]/;
const milestoneIndex = /^measures\[(\d+)\]\.milestones\[(\d+)\]/;

/** The shape the typed fields need: every slot that has a field, at least one measure with one milestone. */
export function shapeOf(fields: FormFields): DeclarationShape {
  const milestones: number[] = [1];
  for (const name of Object.keys(fields)) {
    const measure = measureIndex.exec(name);
    if (!measure) continue;
    const m = Number(measure[1]);
    while (milestones.length <= m) milestones.push(1);
    const milestone = milestoneIndex.exec(name);
    if (milestone) milestones[m] = Math.max(milestones[m] ?? 1, Number(milestone[2]) + 1);
  }
  return { milestones };
}

/** The field names the form accepts: the declaration's own, bounded in count. */
export function pickDeclarationFields(body: Record<string, unknown>): FormFields {
  const fields: FormFields = {};
  const allowed = /^(title|preamble|targetYear|closing|measures\[\d{1,2}\]\.(id|title|fieldOfAction|description|groupLabel|responsibleUnit|milestones\[\d{1,2}\]\.(text|due)))$/;
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string' && allowed.test(name)) fields[name] = value;
  }
  return fields;
}

/** One more measure, or one more milestone for measure `n` ("add-milestone-n"). */
export function withAddedSlot(fields: FormFields, action: string): FormShape {
  const shape = shapeOf(fields);
  if (action === 'add-measure') return { milestones: [...shape.milestones, 1] };
  const measure = /^add-milestone-(\d+)$/.exec(action);
  if (measure && Number(measure[1]) < shape.milestones.length) {
    return { milestones: shape.milestones.map((count, index) => (index === Number(measure[1]) ? count + 1 : count)) };
  }
  return shape;
}
export type FormShape = DeclarationShape;

const blank = (value: string | undefined) => value === undefined || value.trim() === '';

export type BuiltDeclaration = {
  body: Record<string, unknown>;
  /** Problems the form sees before the schema does (a date it cannot read), by form field. */
  problems: FieldError[];
  /** Body path → form path: blank slots are left out, so indexes may differ. */
  origins: Map<string, string>;
};

/**
 * The declaration from the typed fields. Blank optional fields are left out (not stated), blank
 * measure and milestone slots are dropped; the partner's date words are read by the one parser of
 * dates, and kept as typed.
 */
export function buildDeclaration(fields: FormFields, lang: Lang): BuiltDeclaration {
  const de = lang === 'de';
  const problems: FieldError[] = [];
  const origins = new Map<string, string>();
  const body: Record<string, unknown> = {};
  const optional = (name: string) => (blank(fields[name]) ? undefined : fields[name]);
  if (optional('title') !== undefined) body['title'] = fields['title'];
  if (optional('preamble') !== undefined) body['preamble'] = fields['preamble'];
  const year = optional('targetYear');
  if (year !== undefined) {
    if (/^\s*\d{4}\s*$/.test(year)) body['targetYear'] = Number(year);
    else problems.push({ field: 'targetYear', message: de ? 'Bitte eine Jahreszahl eingeben, z. B. 2028.' : 'Please enter a year, e.g. 2028.' });
  }
  const shape = shapeOf(fields);
  const measures: Record<string, unknown>[] = [];
  shape.milestones.forEach((milestoneSlots, m) => {
    const prefix = `measures[${m}]`;
    const names = ['id', 'title', 'fieldOfAction', 'description', 'groupLabel', 'responsibleUnit'];
    const milestoneNames = Array.from({ length: milestoneSlots }, (_, s) => [`${prefix}.milestones[${s}].text`, `${prefix}.milestones[${s}].due`]).flat();
    // A wholly blank measure beyond the first is an unused slot, not a measure without content.
    if (m > 0 && [...names.map((n) => `${prefix}.${n}`), ...milestoneNames].every((n) => blank(fields[n]))) return;
    const at = `measures[${measures.length}]`;
    origins.set(at, prefix);
    const measure: Record<string, unknown> = {};
    for (const name of names) {
      const value = fields[`${prefix}.${name}`];
      const required = measureFields.find((f) => f.name === name)?.required ?? false;
      if (!blank(value)) measure[name] = value;
      else if (required) measure[name] = undefined;
    }
    const milestones: Record<string, unknown>[] = [];
    for (let s = 0; s < milestoneSlots; s += 1) {
      const text = fields[`${prefix}.milestones[${s}].text`];
      const due = fields[`${prefix}.milestones[${s}].due`];
      if (blank(text) && blank(due)) continue;
      const slot = `${prefix}.milestones[${s}]`;
      origins.set(`${at}.milestones[${milestones.length}]`, slot);
      let parsed: FuzzyDate | undefined;
      if (blank(due)) problems.push({ field: `${slot}.due`, message: de ? 'Bitte geben Sie an, bis wann der Meilenstein erreicht sein soll.' : 'Please say by when the milestone is to be reached.' });
      else {
        parsed = parseFuzzyDate(due as string);
        if (!parsed) problems.push({ field: `${slot}.due`, message: de ? 'Dieses Datum kann nicht gelesen werden. Bitte z. B. „30.06.2028“, „März 2028“ oder „bis Frühjahr 2028“ eingeben.' : 'This date cannot be read. Please enter e.g. “30.06.2028”, “März 2028” or “bis Frühjahr 2028”.' });
      }
      if (blank(text)) problems.push({ field: `${slot}.text`, message: translateReason('is required', lang) });
      milestones.push({ text, due: parsed });
    }
    if (milestones.length > 0) measure['milestones'] = milestones;
    measures.push(measure);
  });
  body['measures'] = measures;
  if (optional('closing') !== undefined) body['closing'] = fields['closing'];
  return { body, problems, origins };
}

/** The validator's lines on the form's fields (the nearest one shown), in the reader's language. */
export function declarationErrors(lines: string[], built: BuiltDeclaration, shape: DeclarationShape, lang: Lang): FieldError[] {
  const names = fieldNames(shape);
  return formErrors(lines, built, lang).map((error) => {
    let field = error.field;
    while (!names.has(field) && /[.[]/.test(field)) field = field.replace(/(\.[^.[]+|\[\d+\])$/, '');
    if (names.has(field)) return { ...error, field };
    // "measures: must have at least 1 entry" and the like go to the first measure's first field.
    const first = [...names].find((name) => name.startsWith(`${field}.`) || name.startsWith(`${field}[`));
    return { ...error, field: first ?? 'measures[0].id' };
  });
}

/** The form's field names in the order the page shows them. */
export function fieldNames(shape: DeclarationShape): Set<string> {
  const names = new Set(declarationFields.map((f) => f.name));
  shape.milestones.forEach((count, m) => {
    for (const f of measureFields) names.add(`measures[${m}].${f.name}`);
    for (let s = 0; s < count; s += 1) for (const f of milestoneFields) names.add(`measures[${m}].milestones[${s}].${f.name}`);
  });
  return names.add(closingField.name);
}

/** A stored declaration as the form's fields (to revise it). */
export function fieldsOfDeclaration(declaration: Declaration): FormFields {
  const fields: FormFields = {};
  if (declaration.title !== undefined) fields['title'] = declaration.title;
  if (declaration.preamble !== undefined) fields['preamble'] = declaration.preamble;
  if (declaration.targetYear !== undefined) fields['targetYear'] = String(declaration.targetYear);
  if (declaration.closing !== undefined) fields['closing'] = declaration.closing;
  declaration.measures.forEach((measure, m) => {
    const prefix = `measures[${m}]`;
    fields[`${prefix}.id`] = measure.id;
    fields[`${prefix}.title`] = measure.title;
    fields[`${prefix}.fieldOfAction`] = measure.fieldOfAction;
    fields[`${prefix}.description`] = measure.description;
    if (measure.groupLabel !== undefined) fields[`${prefix}.groupLabel`] = measure.groupLabel;
    if (measure.responsibleUnit !== undefined) fields[`${prefix}.responsibleUnit`] = measure.responsibleUnit;
    (measure.milestones ?? []).forEach((milestone, s) => {
      fields[`${prefix}.milestones[${s}].text`] = milestone.text;
      fields[`${prefix}.milestones[${s}].due`] = milestone.due.text ?? String(milestone.due.year);
    });
  });
  return fields;
}

/** Where a field sits, in words, for the error summary: "Maßnahme 2, Meilenstein 1: Bis wann". */
export function declarationFieldLabel(lang: Lang, field: string): string {
  const i = lang === 'de' ? 0 : 1;
  const parts: string[] = [];
  const measure = measureIndex.exec(field);
  if (measure) parts.push(`${lang === 'de' ? 'Maßnahme' : 'Measure'} ${Number(measure[1]) + 1}`);
  const milestone = milestoneIndex.exec(field);
  if (milestone) parts.push(`${lang === 'de' ? 'Meilenstein' : 'Milestone'} ${Number(milestone[2]) + 1}`);
  const name = field.split('.').at(-1) ?? field;
  const specs = milestone ? milestoneFields : measure ? measureFields : [...declarationFields, closingField];
  const spec = specs.find((f) => f.name === name);
  const where = parts.join(', ');
  if (!spec) return where || field;
  return where ? `${where}: ${spec.label[i]}` : spec.label[i];
}
