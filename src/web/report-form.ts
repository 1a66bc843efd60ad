/**
 * The annual report as a web form: a small description of its fields (names are the report's own
 * paths, e.g. `sections[0].measures[1].title`), the mapping from typed text to the submission
 * body, and from the validator's "path: reason" lines back to the fields. Adding a field to the
 * report means adding one line here; validation stays with parseReportSubmission.
 */
import { fieldsOfAction } from '../domain/fields-of-action';
import { measureStatuses } from '../domain/report';
import type { Lang } from './i18n';

export type FieldKind = 'text' | 'textarea' | 'year' | 'month' | 'select';
export type FieldSpec = {
  /** Path below its group, e.g. 'from.year'. */
  name: string;
  kind: FieldKind;
  label: readonly [de: string, en: string];
  hint?: readonly [de: string, en: string];
  options?: readonly { value: string; label: readonly [string, string] }[];
  required: boolean;
  /** For text fields other than report text: login and code fields. */
  input?: { type: 'text' | 'email' | 'password'; autocomplete?: string; inputmode?: 'numeric' };
};
export type GroupSpec = {
  name: string;
  legend: readonly [string, string];
  /** Left out of the body entirely when all its fields are empty (nothing stated). */
  optional: boolean;
  fields: FieldSpec[];
};

const fieldOfActionLabels: Record<(typeof fieldsOfAction)[number], readonly [string, string]> = {
  STRATEGIE: ['Strategie und Steuerung', 'Strategy and steering'],
  PERSONALGEWINNUNG: ['Personalgewinnung', 'Recruitment'],
  FORTBILDUNG: ['Fortbildung', 'Training'],
  SENSIBILISIERUNG: ['Sensibilisierung', 'Awareness'],
  ZUGANG: ['Zugang zu Angeboten', 'Access to services'],
  OEFFENTLICHKEIT: ['Öffentlichkeitsarbeit', 'Public relations'],
  KOOPERATION: ['Kooperation', 'Cooperation'],
  FACHAUFGABE: ['Fachaufgabe', 'Specialist task'],
  SONSTIGES: ['Sonstiges', 'Other'],
};
const statusLabels: Record<(typeof measureStatuses)[number], readonly [string, string]> = {
  geplant: ['geplant', 'planned'],
  begonnen: ['begonnen', 'started'],
  laufend: ['laufend', 'ongoing'],
  verstetigt: ['verstetigt', 'established'],
  abgeschlossen: ['abgeschlossen', 'completed'],
  ausgesetzt: ['ausgesetzt', 'suspended'],
  nicht_durchgefuehrt: ['nicht durchgeführt', 'not carried out'],
};
const fieldOfActionOptions = fieldsOfAction.map((value) => ({ value, label: fieldOfActionLabels[value] }));
const statusOptions = measureStatuses.map((value) => ({ value, label: statusLabels[value] }));

export const reportGroups: GroupSpec[] = [
  {
    name: 'reportingPeriod',
    legend: ['Berichtszeitraum', 'Reporting period'],
    optional: false,
    fields: [
      { name: 'text', kind: 'text', label: ['Zeitraum in Ihren Worten', 'Period in your words'], hint: ['z. B. „2026/27“', 'e.g. “2026/27”'], required: true },
      { name: 'from.year', kind: 'year', label: ['Von (Jahr)', 'From (year)'], required: true },
      { name: 'from.month', kind: 'month', label: ['Von (Monat)', 'From (month)'], required: false },
      { name: 'to.year', kind: 'year', label: ['Bis (Jahr)', 'To (year)'], required: true },
      { name: 'to.month', kind: 'month', label: ['Bis (Monat)', 'To (month)'], required: false },
    ],
  },
  {
    name: 'author',
    legend: ['Verfasst von', 'Written by'],
    optional: false,
    fields: [
      { name: 'name', kind: 'text', label: ['Name', 'Name'], required: true },
      { name: 'role', kind: 'text', label: ['Funktion oder Stelle', 'Role or office'], required: true },
    ],
  },
  {
    name: '',
    legend: ['Bericht', 'Report'],
    optional: false,
    fields: [
      {
        name: 'narrative',
        kind: 'textarea',
        label: ['Einleitung: Ihr Jahr in eigenen Worten', 'Introduction: your year in your own words'],
        hint: ['Absätze durch eine Leerzeile trennen, Aufzählungen mit „- “ beginnen.', 'Separate paragraphs with an empty line, start list items with “- ”.'],
        required: true,
      },
    ],
  },
  {
    name: 'context',
    legend: ['Rahmenbedingungen', 'Context'],
    optional: true,
    fields: [{ name: 'text', kind: 'textarea', label: ['Ihre Organisation und ihr Umfeld', 'Your organisation and its surroundings'], required: true }],
  },
];

export const sectionFields: FieldSpec[] = [
  { name: 'heading', kind: 'text', label: ['Überschrift', 'Heading'], required: true },
  { name: 'fieldOfAction', kind: 'select', label: ['Handlungsfeld', 'Field of action'], options: fieldOfActionOptions, required: true },
  { name: 'intro', kind: 'textarea', label: ['Einführung', 'Introduction'], required: false },
];

export const measureFields: FieldSpec[] = [
  { name: 'title', kind: 'text', label: ['Titel der Maßnahme', 'Title of the measure'], required: true },
  { name: 'fieldOfAction', kind: 'select', label: ['Handlungsfeld', 'Field of action'], options: fieldOfActionOptions, required: true },
  { name: 'status', kind: 'select', label: ['Stand der Umsetzung', 'State of implementation'], options: statusOptions, required: true },
  { name: 'description', kind: 'textarea', label: ['Beschreibung', 'Description'], required: true },
];

export const outlookGroup: GroupSpec = {
  name: 'outlook',
  legend: ['Ausblick', 'Outlook'],
  optional: true,
  fields: [{ name: 'text', kind: 'textarea', label: ['Was Sie als Nächstes planen', 'What you plan next'], required: true }],
};

/** Form fields exactly as typed, by name. */
export type FormFields = Record<string, string>;

/** How many sections and measures per section the form shows (at least one of each). */
export type FormShape = { measures: number[] };

export function shapeOf(fields: FormFields): FormShape {
  const measures: number[] = [];
  for (const name of Object.keys(fields)) {
    const section = /^sections\[(\d+)\]/.exec(name);
    if (!section) continue;
    const s = Number(section[1]);
    const measure = /^sections\[\d+\]\.measures\[(\d+)\]/.exec(name);
    measures[s] = Math.max(measures[s] ?? 0, measure ? Number(measure[1]) + 1 : 0);
  }
  const shape = Array.from({ length: Math.max(1, measures.length) }, (_, i) => Math.max(1, measures[i] ?? 0));
  return { measures: shape };
}

const numberKinds = new Set<FieldKind>(['year', 'month']);

function kindOf(name: string): FieldKind | undefined {
  const local = name.replace(/^sections\[\d+\]\.measures\[\d+\]\./, 'm:').replace(/^sections\[\d+\]\./, 's:');
  if (local.startsWith('m:')) return measureFields.find((f) => f.name === local.slice(2))?.kind;
  if (local.startsWith('s:')) return sectionFields.find((f) => f.name === local.slice(2))?.kind;
  for (const group of [...reportGroups, outlookGroup]) {
    for (const field of group.fields) if (fieldName(group.name, field.name) === name) return field.kind;
  }
  return undefined;
}

export function fieldName(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

/** Keeps only the form's own fields (no csrf, no action buttons) and their text as typed. */
export function pickFormFields(body: Record<string, unknown>): FormFields {
  const fields: FormFields = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string' && kindOf(name) !== undefined) fields[name] = value;
  }
  return fields;
}

type Built = { body: Record<string, unknown>; sectionSlots: number[]; measureSlots: number[][] };

/**
 * The submission body from the typed fields. Empty fields are left out (not stated, never an
 * invented value); wholly empty sections, measures and optional groups are left out too, and
 * the slots they had are remembered so errors still point at the field the person sees.
 */
export function buildSubmission(fields: FormFields): Built {
  const value = (name: string): string | number | undefined => {
    const text = fields[name];
    if (text === undefined || text.trim() === '') return undefined;
    const kind = kindOf(name);
    if (kind !== undefined && numberKinds.has(kind) && /^\s*-?\d+\s*$/.test(text)) return Number(text);
    return text;
  };
  const group = (prefix: string, specs: FieldSpec[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const spec of specs) {
      const v = value(fieldName(prefix, spec.name));
      if (v !== undefined) setPath(out, spec.name.split('.'), v);
    }
    return out;
  };
  const body: Record<string, unknown> = {};
  for (const spec of reportGroups) {
    const part = group(spec.name, spec.fields);
    if (spec.name === '') Object.assign(body, part);
    else if (!(spec.optional && Object.keys(part).length === 0)) body[spec.name] = part;
  }
  const shape = shapeOf(fields);
  const sections: unknown[] = [];
  const sectionSlots: number[] = [];
  const measureSlots: number[][] = [];
  shape.measures.forEach((measureCount, s) => {
    const section = group(`sections[${s}]`, sectionFields);
    const measures: unknown[] = [];
    const slots: number[] = [];
    for (let m = 0; m < measureCount; m += 1) {
      const measure = group(`sections[${s}].measures[${m}]`, measureFields);
      if (Object.keys(measure).length === 0) continue;
      measures.push(measure);
      slots.push(m);
    }
    if (Object.keys(section).length === 0 && measures.length === 0) return;
    sections.push({ ...section, level: 1, measures });
    sectionSlots.push(s);
    measureSlots.push(slots);
  });
  body['sections'] = sections;
  const outlook = group('outlook', outlookGroup.fields);
  if (Object.keys(outlook).length > 0) body['outlook'] = outlook;
  return { body, sectionSlots, measureSlots };
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = (target[head] ??= {}) as Record<string, unknown>;
  setPath(child, rest, value);
}

export type FieldError = { field: string; message: string };

/**
 * Error lines ("sections[0].measures[2].title: must not be blank") as errors on the form's fields,
 * with indices mapped back to the slots the person filled in.
 */
export function formErrors(lines: string[], built: Pick<Built, 'sectionSlots' | 'measureSlots'>, lang: Lang): FieldError[] {
  return lines.map((line) => {
    const split = line.indexOf(': ');
    const path = split < 0 ? '(input)' : line.slice(0, split);
    const reason = split < 0 ? line : line.slice(split + 2);
    const field = path.replace(/^sections\[(\d+)\](?:\.measures\[(\d+)\])?/, (whole, s: string, m: string | undefined) => {
      const section = built.sectionSlots[Number(s)] ?? Number(s);
      if (m === undefined) return `sections[${section}]`;
      return `sections[${section}].measures[${built.measureSlots[Number(s)]?.[Number(m)] ?? Number(m)}]`;
    });
    return { field, message: translateReason(reason, lang) };
  });
}

/** The validator's reasons in German; anything unknown is shown as it came. */
const germanReasons: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^is required$/, () => 'Bitte füllen Sie dieses Feld aus.'],
  [/^must not be blank$/, () => 'Bitte füllen Sie dieses Feld aus.'],
  [/^must be a single line$/, () => 'Bitte ohne Zeilenumbruch eingeben.'],
  [/^must not contain control characters$/, () => 'Enthält unzulässige Steuerzeichen.'],
  [/^must be at most (\d+) characters$/, (m) => `Bitte höchstens ${m[1]} Zeichen eingeben.`],
  [/^must be at least (\d+)$/, (m) => `Bitte mindestens ${m[1]} eingeben.`],
  [/^must be at most (\d+)$/, (m) => `Bitte höchstens ${m[1]} eingeben.`],
  [/^must be a whole number$/, () => 'Bitte eine ganze Zahl eingeben, z. B. 2026.'],
  [/^must be a number$/, () => 'Bitte eine Zahl eingeben.'],
  [/^must be one of /, () => 'Bitte wählen Sie einen Eintrag aus der Liste.'],
  [/^must not be before from$/, () => 'Das Ende darf nicht vor dem Beginn liegen.'],
  [/^must have at least 1 entry$/, () => 'Bitte geben Sie mindestens einen Eintrag an.'],
  [/^a section needs an intro, measures or subsections$/, () => 'Bitte geben Sie eine Einführung oder mindestens eine Maßnahme an.'],
  [/^must be a real date as YYYY-MM-DD$/, () => 'Bitte ein gültiges Datum als JJJJ-MM-TT eingeben.'],
  [/^must be a calendar date as YYYY-MM-DD$/, () => 'Bitte ein gültiges Datum als JJJJ-MM-TT eingeben.'],
  [/^must not be empty$/, () => 'Bitte füllen Sie dieses Feld aus.'],
  [/^Invalid input: expected string, received undefined$/, () => 'Bitte füllen Sie dieses Feld aus.'],
];

export function translateReason(reason: string, lang: Lang): string {
  if (lang === 'en') return reason.charAt(0).toUpperCase() + reason.slice(1) + (reason.endsWith('.') ? '' : '.');
  for (const [pattern, german] of germanReasons) {
    const match = pattern.exec(reason);
    if (match) return german(match);
  }
  return reason;
}
