/**
 * The annual report as a web form. Field names are the report's own paths with the form's slot
 * numbers (`sections[0].blocks[2].figures[1].value`), so a validator line points at a field.
 * This module describes the fields, maps typed text to the submission body and the validator's
 * "path: reason" lines back to the fields; validation stays with parseReportSubmission.
 *
 * Nothing is invented on the way: an empty field is `{ "stated": false }` where the schema allows
 * it, a figure's value keeps the words typed (`printed`), dates keep theirs (`text`).
 */
import { fieldsOfAction } from '../domain/fields-of-action';
import { parseFuzzyDate, type FuzzyDate } from '../domain/fuzzy-date';
import { parsePrintedValue } from '../domain/printed-value';
import { measureStatuses } from '../domain/report';
import { figureCategories, figureStatuses } from '../domain/report-figure';
import { notStated } from '../domain/report-values';
import type { Lang } from './i18n';
import { phaseLabel } from './labels';

export type FieldKind = 'text' | 'textarea' | 'year' | 'month' | 'select' | 'choice' | 'hidden';
export type Pair = readonly [de: string, en: string];
export type FieldSpec = {
  /** The field's name below its slot, e.g. 'title' or 'from'. */
  name: string;
  kind: FieldKind;
  label: Pair;
  hint?: Pair;
  options?: readonly { value: string; label: Pair }[];
  /** The label of a select's empty choice; without it the select asks "please choose". */
  emptyOption?: Pair;
  required: boolean;
  /** For text fields other than report text: login and code fields. */
  input?: { type: 'text' | 'email' | 'password'; autocomplete?: string; inputmode?: 'numeric' };
};

export const fieldOfActionLabels: Record<(typeof fieldsOfAction)[number], Pair> = {
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
export const statusLabels: Record<(typeof measureStatuses)[number], Pair> = {
  geplant: ['geplant', 'planned'],
  begonnen: ['begonnen', 'started'],
  laufend: ['laufend', 'ongoing'],
  verstetigt: ['verstetigt', 'established'],
  abgeschlossen: ['abgeschlossen', 'completed'],
  ausgesetzt: ['ausgesetzt', 'suspended'],
  nicht_durchgefuehrt: ['nicht durchgeführt', 'not carried out'],
};
export const categoryLabels: Record<(typeof figureCategories)[number], Pair> = {
  workforce_share: ['Anteil an den Beschäftigten', 'Share of the workforce'],
  survey: ['Befragung', 'Survey'],
  hires: ['Einstellungen', 'Hires'],
  training: ['Fortbildung, Schulung', 'Training'],
  recruitment_outreach: ['Ausbildungs- und Personalwerbung', 'Recruitment outreach'],
  language_services: ['Sprachmittlung', 'Language services'],
  communication: ['Information und Kommunikation', 'Communication'],
  events: ['Veranstaltungen', 'Events'],
  structures: ['Strukturen und Gremien', 'Structures and bodies'],
  evaluation: ['Auswertung', 'Evaluation'],
  context: ['Rahmendaten', 'Context'],
  target: ['Zielwert', 'Target'],
};
/** What kind of value a figure is; the last two carry no value but a date or a reason. */
export const figureStatusLabels = {
  erhoben: ['erhoben (gezählt oder gemessen)', 'measured'],
  prognose: ['Prognose', 'forecast'],
  ziel: ['Ziel, das Sie sich setzen', 'target you set yourselves'],
  nachgereicht_bis: ['wird nachgereicht', 'to follow'],
  nicht_mehr_erhoben: ['wird nicht mehr erhoben', 'no longer collected'],
} as const satisfies Record<(typeof figureStatuses)[number], Pair>;

const options = <K extends string>(labels: Record<K, Pair>) => (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
const leaveToMinistry: Pair = ['Nicht angegeben – Einordnung dem Ministerium überlassen', 'Not stated – leave the classification to the ministry'];
const statedChoice = (yes: Pair): FieldSpec['options'] => [
  { value: 'ja', label: yes },
  { value: 'nein', label: ['Nicht angegeben', 'Not stated'] },
];
const dateHint: Pair = ['z. B. „31.12.2018“, „März 2019“, „Ende 2018“ oder „2018“', 'e.g. “31.12.2018”, “März 2019”, “Ende 2018” or “2018”'];

export const periodFields: FieldSpec[] = [
  { name: 'stated', kind: 'choice', label: ['Geben Sie einen Berichtszeitraum an?', 'Do you state a reporting period?'], options: statedChoice(['Ja, Berichtszeitraum angeben', 'Yes, state the reporting period']), required: true },
  { name: 'text', kind: 'text', label: ['Berichtszeitraum, wie Sie ihn nennen', 'Reporting period in your words'], hint: ['z. B. „2017/18“ oder „November 2017 bis Oktober 2018“; bei „Nicht angegeben“ leer lassen', 'e.g. “2017/18” or “November 2017 bis Oktober 2018”; leave empty with “Not stated”'], required: true },
  { name: 'from', kind: 'text', label: ['Beginn', 'Start'], hint: dateHint, required: false },
  { name: 'to', kind: 'text', label: ['Ende', 'End'], hint: dateHint, required: false },
];
export const authorFields: FieldSpec[] = [
  { name: 'stated', kind: 'choice', label: ['Geben Sie an, wer den Bericht verfasst hat?', 'Do you state who wrote the report?'], options: statedChoice(['Ja, Name oder Funktion angeben', 'Yes, state a name or role']), required: true },
  { name: 'name', kind: 'text', label: ['Name', 'Name'], required: false },
  { name: 'role', kind: 'text', label: ['Funktion oder Stelle', 'Role or office'], required: false },
];
export const sectionFields: FieldSpec[] = [
  { name: 'heading', kind: 'text', label: ['Überschrift', 'Heading'], hint: ['wie in Ihrem Bericht, mit Nummerierung', 'as in your report, numbering included'], required: true },
  { name: 'fieldOfAction', kind: 'select', label: ['Handlungsfeld', 'Field of action'], options: options(fieldOfActionLabels), emptyOption: leaveToMinistry, required: false },
];
export const textFields: FieldSpec[] = [
  { name: 'text', kind: 'textarea', label: ['Text', 'Text'], hint: ['Absätze durch eine Leerzeile trennen, Aufzählungen mit „- “ beginnen.', 'Separate paragraphs with an empty line, start list items with “- ”.'], required: true },
];
export const measureFields: FieldSpec[] = [
  // Set when the form started from the declaration: which declared measure this block reports on.
  { name: 'declaredMeasureRef', kind: 'hidden', label: ['Maßnahme der Beitrittserklärung', 'Measure of the declaration'], required: false },
  { name: 'title', kind: 'text', label: ['Titel der Maßnahme', 'Title of the measure'], required: false },
  { name: 'description', kind: 'textarea', label: ['Beschreibung', 'Description'], required: true },
  { name: 'status', kind: 'select', label: ['Stand der Umsetzung', 'State of implementation'], options: options(statusLabels), emptyOption: leaveToMinistry, required: false },
  { name: 'statusText', kind: 'text', label: ['Stand der Umsetzung in Ihren Worten', 'State of implementation in your words'], hint: ['z. B. „geplant bzw. bereits durchgeführt“', 'e.g. “geplant bzw. bereits durchgeführt”'], required: false },
  { name: 'fieldOfAction', kind: 'select', label: ['Handlungsfeld', 'Field of action'], options: options(fieldOfActionLabels), emptyOption: leaveToMinistry, required: false },
];
export const figureFields: FieldSpec[] = [
  { name: 'label', kind: 'text', label: ['Was wird gezählt?', 'What is counted?'], hint: ['z. B. „Teilnehmende der Schulung“', 'e.g. “participants of the training”'], required: true },
  { name: 'value', kind: 'text', label: ['Wert, wie Sie ihn schreiben', 'Value as you write it'], hint: ['z. B. „1.500“, „rund 300“, „19 bis 30“, „unter 25“, „mindestens B2“; leer bei „wird nachgereicht“ und „wird nicht mehr erhoben“', 'e.g. “1.500”, “rund 300”, “19 bis 30”, “unter 25”, “mindestens B2”; empty when to follow or no longer collected'], required: false },
  { name: 'unit', kind: 'text', label: ['Einheit', 'Unit'], hint: ['z. B. „%“ oder „Personen“', 'e.g. “%” or “Personen”'], required: false },
  { name: 'referenceDate', kind: 'text', label: ['Stichtag', 'Reference date'], hint: dateHint, required: false },
  { name: 'status', kind: 'select', label: ['Art des Wertes', 'Kind of value'], options: options(figureStatusLabels), required: true },
  { name: 'category', kind: 'select', label: ['Thema der Kennzahl', 'Topic of the figure'], options: options(categoryLabels), emptyOption: leaveToMinistry, required: false },
  { name: 'dueAt', kind: 'text', label: ['Wird nachgereicht bis', 'To follow by'], hint: ['nur bei „wird nachgereicht“, z. B. „März 2019“', 'only when to follow, e.g. “März 2019”'], required: false },
  { name: 'reason', kind: 'text', label: ['Warum nicht mehr erhoben?', 'Why no longer collected?'], hint: ['nur bei „wird nicht mehr erhoben“', 'only when no longer collected'], required: false },
];
const kindField: FieldSpec = { name: 'kind', kind: 'hidden', label: ['Art', 'Kind'], required: false };

/** Form fields exactly as typed, by name. */
export type FormFields = Record<string, string>;

export type BlockKind = 'text' | 'measure';
export type BlockShape = { kind: BlockKind; figures: number };
/** The slots the form shows: blocks before the first heading, then sections with their blocks. */
export type FormShape = { blocks: BlockShape[]; sections: BlockShape[][] };

/** Limits on slots, below the schema's own (80 blocks, 40 figures): a form stays a form. */
export const slotLimits = { sections: 30, blocks: 40, figures: 20 } as const;

const container = String.raw`(?:sections\[(\d+)\]\.)?blocks\[(\d+)\]`;
const namePatterns: [RegExp, (m: RegExpExecArray) => FieldSpec | undefined][] = [
  [/^reportingPeriod\.(\w+)$/, (m) => periodFields.find((f) => f.name === m[1])],
  [/^author\.(\w+)$/, (m) => authorFields.find((f) => f.name === m[1])],
  [/^sections\[\d+\]\.(\w+)$/, (m) => sectionFields.find((f) => f.name === m[1])],
  [new RegExp(`^${container}\\.figures\\[\\d+\\]\\.(\\w+)$`), (m) => figureFields.find((f) => f.name === m[3])],
  [new RegExp(`^${container}\\.(\\w+)$`), (m) => [kindField, ...textFields, ...measureFields].find((f) => f.name === m[3])],
];

/** The description of a form field by its name; undefined for anything the form does not have. */
export function specOf(name: string): FieldSpec | undefined {
  for (const [pattern, find] of namePatterns) {
    const match = pattern.exec(name);
    if (match) return find(match);
  }
  return undefined;
}

/** Keeps only the form's own fields (no csrf, no action buttons) and their text as typed. */
export function pickFormFields(body: Record<string, unknown>): FormFields {
  const fields: FormFields = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string' && specOf(name) !== undefined && withinLimits(name)) fields[name] = value;
  }
  return fields;
}

function withinLimits(name: string): boolean {
  const section = /^sections\[(\d+)\]/.exec(name);
  const block = /blocks\[(\d+)\]/.exec(name);
  const figure = /figures\[(\d+)\]/.exec(name);
  return (
    (!section || Number(section[1]) < slotLimits.sections) &&
    (!block || Number(block[1]) < slotLimits.blocks) &&
    (!figure || Number(figure[1]) < slotLimits.figures)
  );
}

/** The prefix of a block container: '' for the report's own blocks, 'sections[2].' for a section's. */
export const containerPrefix = (section: number | undefined) => (section === undefined ? '' : `sections[${section}].`);
export const blockName = (section: number | undefined, block: number) => `${containerPrefix(section)}blocks[${block}]`;

const newSection: BlockShape[] = [
  { kind: 'text', figures: 0 },
  { kind: 'measure', figures: 0 },
];

/** The slots to show for the typed fields; a new form has one text before the headings and one section. */
export function shapeOf(fields: FormFields): FormShape {
  const blocks: BlockShape[] = [];
  const sections: BlockShape[][] = [];
  const blockRe = new RegExp(`^${container}\\.(?:figures\\[(\\d+)\\]\\.)?(\\w+)$`);
  for (const [name, value] of Object.entries(fields)) {
    const section = /^sections\[(\d+)\]\./.exec(name);
    if (section) sections[Number(section[1])] ??= [];
    const match = blockRe.exec(name);
    if (!match) continue;
    const list = match[1] === undefined ? blocks : (sections[Number(match[1])] ??= []);
    const b = Number(match[2]);
    const slot = (list[b] ??= { kind: 'text', figures: 0 });
    if (match[3] !== undefined) slot.figures = Math.max(slot.figures, Number(match[3]) + 1);
    if (match[4] === 'kind' && value === 'measure') slot.kind = 'measure';
    else if (match[3] !== undefined || (match[4] !== 'text' && match[4] !== 'kind')) slot.kind = 'measure';
  }
  const fill = (list: BlockShape[]) => Array.from(list, (slot) => slot ?? { kind: 'text', figures: 0 });
  const hasSections = sections.length > 0;
  return {
    blocks: blocks.length === 0 && !hasSections ? [{ kind: 'text', figures: 0 }] : fill(blocks),
    sections: hasSections ? Array.from(sections, (list) => (list === undefined || list.length === 0 ? newSection.map((s) => ({ ...s })) : fill(list))) : [newSection.map((s) => ({ ...s }))],
  };
}

/** The fields with the slot an "add" button asks for; undefined for a button the form does not have. */
export function withAddedSlot(fields: FormFields, action: string): FormFields | undefined {
  const shape = shapeOf(fields);
  const out = { ...fields };
  // The shape's default slots become fields, so adding keeps what the person already sees.
  shape.blocks.forEach((block, b) => (out[`${blockName(undefined, b)}.kind`] ??= block.kind));
  shape.sections.forEach((blocks, s) => {
    out[`sections[${s}].heading`] ??= '';
    blocks.forEach((block, b) => (out[`${blockName(s, b)}.kind`] ??= block.kind));
  });
  if (action === 'add-section') {
    const s = shape.sections.length;
    if (s >= slotLimits.sections) return undefined;
    out[`sections[${s}].heading`] = '';
    newSection.forEach((block, b) => (out[`${blockName(s, b)}.kind`] = block.kind));
    return out;
  }
  const block = /^add-(text|measure):(?:sections\[(\d+)\]\.)?$/.exec(action);
  if (block) {
    const s = block[2] === undefined ? undefined : Number(block[2]);
    const list = s === undefined ? shape.blocks : shape.sections[s];
    if (list === undefined || list.length >= slotLimits.blocks) return undefined;
    out[`${blockName(s, list.length)}.kind`] = block[1] as BlockKind;
    return out;
  }
  const figure = /^add-figure:((?:sections\[(\d+)\]\.)?blocks\[(\d+)\])$/.exec(action);
  if (figure) {
    const list = figure[2] === undefined ? shape.blocks : shape.sections[Number(figure[2])];
    const slot = list?.[Number(figure[3])];
    if (slot === undefined || slot.kind !== 'measure' || slot.figures >= slotLimits.figures) return undefined;
    out[`${figure[1]}.figures[${slot.figures}].label`] = '';
    return out;
  }
  return undefined;
}

const germanMonths = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];

/**
 * A draft saved by the form before reports were blocks under headings, in today's field names,
 * so nothing a partner typed is lost: the introduction and context become text before the first
 * heading, a section's introduction its first text, measures follow in order, and the outlook a
 * section whose heading the partner still has to give (none is made up). Drafts in today's
 * names come back unchanged.
 */
export function upgradeDraft(fields: FormFields): FormFields {
  const old = Object.keys(fields).some((name) => name === 'narrative' || /\.measures\[\d+\]\.|\.(?:from|to)\.(?:year|month)$|^(?:context|outlook)\.text$|^sections\[\d+\]\.intro$/.test(name));
  if (!old) return fields;
  const out: FormFields = {};
  const value = (name: string) => fields[name] ?? '';
  const dateOf = (end: 'from' | 'to') => {
    const year = value(`reportingPeriod.${end}.year`).trim();
    const month = Number(value(`reportingPeriod.${end}.month`).trim());
    return year === '' ? '' : month >= 1 && month <= 12 ? `${germanMonths[month - 1]} ${year}` : year;
  };
  const period = { text: value('reportingPeriod.text'), from: dateOf('from'), to: dateOf('to') };
  if (Object.values(period).some((v) => v.trim() !== '')) {
    out['reportingPeriod.stated'] = 'ja';
    Object.assign(out, { 'reportingPeriod.text': period.text, 'reportingPeriod.from': period.from, 'reportingPeriod.to': period.to });
  }
  if (value('author.name').trim() !== '' || value('author.role').trim() !== '') {
    Object.assign(out, { 'author.stated': 'ja', 'author.name': value('author.name'), 'author.role': value('author.role') });
  }
  const intro = [value('narrative'), value('context.text')].filter((text) => text.trim() !== '');
  intro.forEach((text, b) => Object.assign(out, { [`blocks[${b}].kind`]: 'text', [`blocks[${b}].text`]: text }));
  const sections = new Set<number>();
  for (const name of Object.keys(fields)) {
    const match = /^sections\[(\d+)\]\./.exec(name);
    if (match) sections.add(Number(match[1]));
  }
  let next = 0;
  for (const s of [...sections].sort((a, b) => a - b)) {
    const measures = new Set<number>();
    for (const name of Object.keys(fields)) {
      const match = new RegExp(`^sections\\[${s}\\]\\.measures\\[(\\d+)\\]\\.`).exec(name);
      if (match) measures.add(Number(match[1]));
    }
    const at = next;
    next += 1;
    Object.assign(out, { [`sections[${at}].heading`]: value(`sections[${s}].heading`), [`sections[${at}].fieldOfAction`]: value(`sections[${s}].fieldOfAction`) });
    let b = 0;
    if (value(`sections[${s}].intro`).trim() !== '') {
      Object.assign(out, { [`sections[${at}].blocks[0].kind`]: 'text', [`sections[${at}].blocks[0].text`]: value(`sections[${s}].intro`) });
      b = 1;
    }
    for (const m of [...measures].sort((x, y) => x - y)) {
      const from = `sections[${s}].measures[${m}]`;
      const to = `sections[${at}].blocks[${b}]`;
      out[`${to}.kind`] = 'measure';
      for (const field of ['title', 'fieldOfAction', 'status', 'description']) out[`${to}.${field}`] = value(`${from}.${field}`);
      b += 1;
    }
  }
  if (value('outlook.text').trim() !== '') {
    Object.assign(out, { [`sections[${next}].heading`]: '', [`sections[${next}].blocks[0].kind`]: 'text', [`sections[${next}].blocks[0].text`]: value('outlook.text') });
  }
  return out;
}

export type FieldError = { field: string; message: string };

/**
 * What the form makes of the typed fields: the submission body, where each part of the body
 * came from (body path → field name prefix, since empty slots are left out), and problems the
 * form finds itself before the schema sees the body (a date it cannot read, a contradiction).
 */
export type Built = { body: Record<string, unknown>; origins: Map<string, string>; problems: FieldError[] };

export function buildSubmission(fields: FormFields, lang: Lang = 'de'): Built {
  const de = lang === 'de';
  const origins = new Map<string, string>();
  const problems: FieldError[] = [];
  const typed = (name: string): string | undefined => {
    const text = fields[name];
    return text === undefined || text.trim() === '' ? undefined : text;
  };
  const anyTyped = (prefix: string, specs: FieldSpec[]) => specs.some((spec) => spec.kind !== 'hidden' && typed(`${prefix}.${spec.name}`) !== undefined);
  const date = (name: string): FuzzyDate | undefined => {
    const text = typed(name);
    if (text === undefined) return undefined;
    const parsed = parseFuzzyDate(text);
    if (parsed === undefined) {
      problems.push({ field: name, message: de ? 'Dieses Datum kann nicht gelesen werden. Bitte schreiben Sie es z. B. als „31.12.2018“, „März 2019“, „Ende 2018“ oder „2018“, oder lassen Sie das Feld leer.' : 'This date cannot be read. Please write it e.g. as “31.12.2018”, “März 2019”, “Ende 2018” or “2018”, or leave the field empty.' });
    }
    return parsed;
  };
  const stated = (group: 'reportingPeriod' | 'author', specs: FieldSpec[]): boolean | undefined => {
    const choice = fields[`${group}.stated`];
    const anything = anyTyped(group, specs.filter((spec) => spec.name !== 'stated'));
    if (choice === 'nein' && anything) {
      problems.push({ field: `${group}.stated`, message: de ? 'Sie haben „Nicht angegeben“ gewählt und trotzdem etwas eingetragen. Bitte wählen Sie „angeben“ oder leeren Sie die Felder.' : 'You chose “Not stated” but filled in entries. Please choose to state it or empty the fields.' });
      return undefined;
    }
    if (choice === 'nein') return false;
    if (choice === 'ja' || anything) return true;
    problems.push({ field: `${group}.stated`, message: de ? 'Bitte wählen Sie, ob Sie dies angeben oder nicht.' : 'Please choose whether you state this or not.' });
    return undefined;
  };
  const orNot = <T>(value: T | undefined) => (value === undefined ? notStated : value);

  const body: Record<string, unknown> = {};
  const period = stated('reportingPeriod', periodFields);
  if (period === false) body['reportingPeriod'] = notStated;
  if (period === true) {
    const from = date('reportingPeriod.from');
    const to = date('reportingPeriod.to');
    const text = typed('reportingPeriod.text');
    body['reportingPeriod'] = { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(text === undefined ? {} : { text }) };
  }
  const author = stated('author', authorFields);
  if (author === false) body['author'] = notStated;
  if (author === true) {
    const name = typed('author.name');
    const role = typed('author.role');
    if (name === undefined && role === undefined) {
      problems.push({ field: 'author.name', message: de ? 'Bitte tragen Sie Name oder Funktion ein, oder wählen Sie „Nicht angegeben“.' : 'Please enter a name or a role, or choose “Not stated”.' });
    }
    body['author'] = { name: orNot(name), role: orNot(role) };
  }

  const shape = shapeOf(fields);
  const blocksOf = (s: number | undefined, slots: BlockShape[], bodyPrefix: string): unknown[] => {
    const out: unknown[] = [];
    slots.forEach((slot, b) => {
      const name = blockName(s, b);
      const figures: unknown[] = [];
      const figureOrigins: [number, number][] = [];
      for (let f = 0; f < slot.figures; f += 1) {
        const prefix = `${name}.figures[${f}]`;
        if (!anyTyped(prefix, figureFields)) continue;
        const value = typed(`${prefix}.value`);
        const label = typed(`${prefix}.label`);
        const status = typed(`${prefix}.status`);
        const category = typed(`${prefix}.category`);
        const dueAt = date(`${prefix}.dueAt`);
        const reason = typed(`${prefix}.reason`);
        figures.push({
          ...(label === undefined ? {} : { label }),
          category: orNot(category),
          ...(value === undefined ? {} : { value: parsePrintedValue(value) }),
          unit: orNot(typed(`${prefix}.unit`)),
          referenceDate: orNot(date(`${prefix}.referenceDate`)),
          ...(status === undefined ? {} : { status }),
          ...(dueAt === undefined ? {} : { dueAt }),
          ...(reason === undefined ? {} : { reason }),
        });
        figureOrigins.push([figures.length - 1, f]);
      }
      let block: Record<string, unknown> | undefined;
      if (slot.kind === 'text') {
        const text = typed(`${name}.text`);
        if (text !== undefined) block = { kind: 'text', text };
      } else if (anyTyped(name, measureFields) || figures.length > 0) {
        const description = typed(`${name}.description`);
        const statusText = typed(`${name}.statusText`);
        const declaredMeasureRef = typed(`${name}.declaredMeasureRef`);
        block = {
          kind: 'measure',
          ...(declaredMeasureRef === undefined ? {} : { declaredMeasureRef }),
          title: orNot(typed(`${name}.title`)),
          fieldOfAction: orNot(typed(`${name}.fieldOfAction`)),
          status: orNot(typed(`${name}.status`)),
          ...(statusText === undefined ? {} : { statusText }),
          ...(description === undefined ? {} : { description }),
          ...(figures.length > 0 ? { figures } : {}),
        };
      }
      if (block === undefined) return;
      const path = `${bodyPrefix}blocks[${out.length}]`;
      origins.set(path, name);
      for (const [index, f] of figureOrigins) origins.set(`${path}.figures[${index}]`, `${name}.figures[${f}]`);
      out.push(block);
    });
    return out;
  };
  body['blocks'] = blocksOf(undefined, shape.blocks, '');
  const sections: unknown[] = [];
  shape.sections.forEach((slots, s) => {
    const bodyPrefix = `sections[${sections.length}].`;
    const blocks = blocksOf(s, slots, bodyPrefix);
    const heading = typed(`sections[${s}].heading`);
    const fieldOfAction = typed(`sections[${s}].fieldOfAction`);
    if (heading === undefined && fieldOfAction === undefined && blocks.length === 0) {
      // Blocks of a dropped section recorded their origins under its would-be path: take them back.
      for (const key of [...origins.keys()]) if (key.startsWith(bodyPrefix)) origins.delete(key);
      return;
    }
    origins.set(`sections[${sections.length}]`, `sections[${s}]`);
    sections.push({ ...(heading === undefined ? {} : { heading }), level: 1, fieldOfAction: orNot(fieldOfAction), blocks });
  });
  body['sections'] = sections;
  return { body, origins, problems };
}

/**
 * Error lines ("sections[0].blocks[2].title: must not be blank") as errors on the form's fields:
 * the longest part of the path that came from a slot is replaced by that slot's field name.
 */
export function formErrors(lines: string[], built: Pick<Built, 'origins'>, lang: Lang): FieldError[] {
  return lines.map((line) => {
    const split = line.indexOf(': ');
    const path = split < 0 ? '(input)' : line.slice(0, split);
    const reason = split < 0 ? line : line.slice(split + 2);
    let field = path;
    for (let end = path.length; end > 0; end -= 1) {
      const boundary = end === path.length || path[end] === '.' || path[end] === '[';
      const origin = boundary ? built.origins.get(path.slice(0, end)) : undefined;
      if (origin !== undefined) {
        field = origin + path.slice(end);
        break;
      }
    }
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
  [/^a section needs blocks or subsections$/, () => 'Bitte schreiben Sie unter die Überschrift einen Text oder eine Maßnahme.'],
  [/^looks like a placeholder/, () => 'Das sieht nach einem Platzhalter aus. Was Sie nicht angeben, lassen Sie bitte leer: es wird als „nicht angegeben“ gespeichert.'],
  [/^is required when status is /, () => 'Bitte füllen Sie dieses Feld aus: die gewählte Art des Wertes verlangt es.'],
  [/^must be absent when status is /, () => 'Bei dieser Art des Wertes bleibt der Wert leer.'],
  [/^is only allowed when status is nachgereicht_bis$/, () => 'Nur bei „wird nachgereicht“ anzugeben.'],
  [/^must not be below from$/, () => 'Der zweite Wert darf nicht kleiner als der erste sein.'],
  [/^must be a real date as YYYY-MM-DD$/, () => 'Bitte ein gültiges Datum als JJJJ-MM-TT eingeben.'],
  [/^must be a calendar date as YYYY-MM-DD$/, () => 'Bitte ein gültiges Datum als JJJJ-MM-TT eingeben.'],
  [/^must not be empty$/, () => 'Bitte füllen Sie dieses Feld aus.'],
  [/^Invalid input: expected string, received undefined$/, () => 'Bitte füllen Sie dieses Feld aus.'],
];

/** The workflow's refusal of a decision the report's phase no longer allows (workflows/annual-report.ts). */
const phaseRefusal = /^cannot .+?(?: while the report is |: the report is already )([a-z_]+)$/;

export function translateReason(reason: string, lang: Lang): string {
  const refused = phaseRefusal.exec(reason);
  if (refused) {
    const phase = phaseLabel(lang, refused[1] ?? '');
    return lang === 'de' ? `Im Stand „${phase}“ ist das nicht möglich.` : `Not possible while the report is “${phase}”.`;
  }
  if (lang === 'en') return reason.charAt(0).toUpperCase() + reason.slice(1) + (reason.endsWith('.') ? '' : '.');
  for (const [pattern, german] of germanReasons) {
    const match = pattern.exec(reason);
    if (match) return german(match);
  }
  return reason;
}
