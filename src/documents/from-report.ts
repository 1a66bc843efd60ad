/**
 * The one place that knows the partners' report schema (src/domain/report.ts): it turns an
 * accepted report into the blocks of its chapter and the figures of the statistics. Everything
 * else in src/documents depends only on the document model, so a change of the report schema
 * changes this module and nothing beside it.
 */
import type { FieldOfAction } from '../domain/fields-of-action';
import type { FuzzyDate, Period } from '../domain/fuzzy-date';
import {
  blocksWithPaths,
  reportSubmissionSchema,
  type MeasureStatus,
  type MeasureStatusValue,
  type ReportBlock,
  type ReportMeasure,
  type ReportSection,
  type ReportSubmission,
} from '../domain/report';
import type { Figure, figureCategories } from '../domain/report-figure';
import { figureRows, type FigureRow } from '../domain/report-figures';
import { classifiedValue, isNotStated, type Classified, type NotStated } from '../domain/report-values';
import { notStatedLabel, stated, withUnit, type Block, type Fact, type IndicatorFigure, type Stated } from './model';

export type ChapterPartner = { number: number; organisation: string };

const measureStatusLabels: Record<MeasureStatus, string> = {
  geplant: 'geplant',
  begonnen: 'begonnen',
  laufend: 'laufend',
  verstetigt: 'verstetigt',
  abgeschlossen: 'abgeschlossen',
  ausgesetzt: 'ausgesetzt',
  nicht_durchgefuehrt: 'nicht durchgeführt',
};

const fieldOfActionLabels: Record<FieldOfAction, string> = {
  STRATEGIE: 'Strategie und Steuerung',
  PERSONALGEWINNUNG: 'Personalgewinnung',
  FORTBILDUNG: 'Fortbildung',
  SENSIBILISIERUNG: 'Sensibilisierung',
  ZUGANG: 'Zugang zu Angeboten',
  OEFFENTLICHKEIT: 'Öffentlichkeitsarbeit',
  KOOPERATION: 'Kooperation',
  FACHAUFGABE: 'Fachaufgabe',
  SONSTIGES: 'Sonstiges',
};

const targetGroupLabels: Record<string, string> = {
  Beschaeftigte: 'Beschäftigte',
  Fuehrungskraefte: 'Führungskräfte',
  Auszubildende_Nachwuchs: 'Auszubildende und Nachwuchs',
  Bewerbende_Schueler: 'Bewerbende, Schülerinnen und Schüler',
  Eltern: 'Eltern',
  Kundschaft_Buerger: 'Kundschaft, Bürgerinnen und Bürger',
  Ehrenamtliche: 'Ehrenamtliche',
  Mitgliedsorganisationen: 'Mitgliedsorganisationen',
  Gefluechtete: 'Geflüchtete',
  Migrantenorganisationen: 'Migrantenorganisationen',
};

const recurrenceLabels: Record<NonNullable<ReportMeasure['recurring']>, string> = {
  jaehrlich: 'jährlich',
  halbjaehrlich: 'halbjährlich',
  quartalsweise: 'quartalsweise',
  laufend: 'laufend',
};

const monthNames = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];
const partNames: Record<NonNullable<FuzzyDate['part']>, string> = {
  fruehjahr: 'Frühjahr',
  sommer: 'Sommer',
  herbst: 'Herbst',
  winter: 'Winter',
  h1: '1. Halbjahr',
  h2: '2. Halbjahr',
  q1: '1. Quartal',
  q2: '2. Quartal',
  q3: '3. Quartal',
  q4: '4. Quartal',
};
const boundWords: Record<NonNullable<FuzzyDate['bound']>, string> = { ab: 'ab', bis: 'bis', im: 'im', seit: 'seit' };
const phaseWords: Record<NonNullable<FuzzyDate['phase']>, string> = { anfang: 'Anfang', mitte: 'Mitte', ende: 'Ende' };

// Exported for the comparison across years (indicator-years.ts): one wording of each category.
export const categoryLabels: Record<(typeof figureCategories)[number], string> = {
  workforce_share: 'Anteil Beschäftigte mit Einwanderungsgeschichte',
  survey: 'Befragungen',
  hires: 'Einstellungen',
  training: 'Fortbildung',
  recruitment_outreach: 'Nachwuchswerbung',
  language_services: 'Sprachmittlung',
  communication: 'Kommunikation',
  events: 'Veranstaltungen',
  structures: 'Strukturen',
  evaluation: 'Evaluation',
  context: 'Rahmendaten',
  target: 'Zielwerte',
};

const attachmentLabels: Record<NonNullable<ReportSubmission['attachments']>[number]['kind'], string> = {
  document: 'Dokument',
  table: 'Tabelle',
  figure: 'Abbildung',
};

/** The label of a classification staff assigned: the partner did not state it, the ministry did. */
const byMinistry = (label: string) => `${label} (Zuordnung Ministerium)`;

type Level = 1 | 2 | 3 | 4;

/**
 * A stored report's content as chapter blocks and figures; undefined when the content does not
 * parse as a report (the caller lists the partner as missing rather than guessing).
 * `figureRows` are the report's figures flat, for the comparison across years.
 */
export function readAcceptedReport(
  partner: ChapterPartner,
  content: unknown,
): { blocks: Block[]; figures: IndicatorFigure[]; figureRows: FigureRow[] } | undefined {
  const parsed = reportSubmissionSchema.safeParse(content);
  if (!parsed.success) return undefined;
  const rows = figureRows(parsed.data);
  return { blocks: reportToBlocks(parsed.data), figures: reportToIndicatorFigures(partner, parsed.data, rows), figureRows: rows };
}

/** The chapter body of one partner's accepted report, in the order the report gives it. */
export function reportToBlocks(report: ReportSubmission): Block[] {
  const author = isNotStated(report.author) ? undefined : report.author;
  const blocks: Block[] = [
    {
      kind: 'facts',
      facts: [
        { label: 'Berichtszeitraum', value: statedOf(report.reportingPeriod, (period) => period.text) },
        ...(author === undefined
          ? [{ label: 'Verfasst von', value: { stated: false } } satisfies Fact]
          : [
              { label: 'Verfasst von', value: statedOf(author.name, (name) => name) },
              { label: 'Funktion', value: statedOf(author.role, (role) => role) },
            ]),
      ],
    },
  ];
  // Blocks before the first heading belong to the chapter itself; measures there sit one level below it.
  for (const block of report.blocks) blocks.push(...blockBlocks(block, 1));
  for (const section of report.sections) blocks.push(...sectionBlocks(section));
  if (report.footnotes?.length) {
    blocks.push({ kind: 'heading', level: 1, text: 'Fußnoten' });
    for (const footnote of report.footnotes) {
      const [first, ...rest] = richTextBlocks(footnote.text);
      blocks.push(first?.kind === 'paragraph' ? { kind: 'paragraph', text: `[${footnote.mark}] ${first.text}` } : { kind: 'paragraph', text: `[${footnote.mark}]` });
      if (first !== undefined && first.kind !== 'paragraph') blocks.push(first);
      blocks.push(...rest);
    }
  }
  if (report.attachments?.length) {
    blocks.push({ kind: 'heading', level: 1, text: 'Anlagen' });
    // The ref is a storage key or address for the ministry, not for readers: the caption names the attachment.
    blocks.push({ kind: 'list', items: report.attachments.map((a) => `${attachmentLabels[a.kind]}: ${a.caption}`) });
  }
  return blocks;
}

function categoryLabelOf(category: Figure['category']): string {
  const classified = classifiedValue(category as Classified<(typeof figureCategories)[number]>);
  return classified === undefined ? notStatedLabel : categoryLabels[classified.value];
}

/**
 * Every figure of the report as a figure of the statistics, in reading order. The flat rows of
 * figureRows give value, unit and date; the figure itself gives why a value is missing.
 */
export function reportToIndicatorFigures(partner: ChapterPartner, report: ReportSubmission, rows: FigureRow[] = figureRows(report)): IndicatorFigure[] {
  const figures = blocksWithPaths(report).flatMap(({ block }) => (block.kind === 'text' || block.kind === 'measure' ? (block.figures ?? []) : []));
  if (rows.length !== figures.length) throw new Error(`figureRows gave ${rows.length} rows for ${figures.length} figures`);
  return rows.map((row, index) => {
    const figure = figures[index] as Figure;
    return {
      number: partner.number,
      organisation: partner.organisation,
      label: row.label,
      // Left open by the partner and not yet classified by staff: counted under "nicht angegeben".
      category: categoryLabelOf(row.category),
      // A number only where the partner printed exactly one value: a range or a bound ("unter 25") is no count to add up.
      value: stated(row.valueKind === 'number' ? (row.number ?? undefined) : undefined),
      valueText: stated(row.printed ?? undefined),
      unit: stated(row.unit ?? undefined),
      referenceDate: statedOf(figure.referenceDate, fuzzyDateText),
      note: stated(figureNote(figure)),
    };
  });
}

function sectionBlocks(section: ReportSection): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: section.level, text: section.heading }];
  const field = classificationFact('Handlungsfeld', section.fieldOfAction, (f) => fieldOfActionLabels[f]);
  // The heading is the partner's; a field of action is shown only where someone classified the section.
  if (field.value.stated) blocks.push({ kind: 'facts', facts: [field] });
  for (const block of section.blocks) blocks.push(...blockBlocks(block, Math.min(section.level + 1, 4) as Level));
  for (const child of section.subsections ?? []) blocks.push(...sectionBlocks(child));
  return blocks;
}

/** One block of the report; `level` is the heading level a measure's title takes there. */
function blockBlocks(block: ReportBlock, level: Level): Block[] {
  switch (block.kind) {
    case 'text':
      return [...richTextBlocks(block.text), ...figureTable(block.figures), ...referenceBlocks(block.references, block.text)];
    case 'measure':
      return measureBlocks(block, level);
    case 'table':
      return [
        {
          kind: 'table',
          caption: isNotStated(block.caption) ? 'Tabelle (Titel nicht angegeben)' : block.caption,
          columns: block.data.columns,
          rows: block.data.rows,
          footnotes: [...(block.notes ?? []), sourceLine(block.source)],
        },
      ];
    case 'chart': {
      const caption = isNotStated(block.caption) ? 'Titel nicht angegeben' : block.caption;
      const blocks: Block[] = [{ kind: 'figure', caption, source: statedOf(block.source, (source) => source) }];
      if (block.description !== undefined) blocks.push(...richTextBlocks(block.description));
      if (block.data !== undefined) {
        blocks.push({ kind: 'table', caption: `Daten zu: ${caption}`, columns: block.data.columns, rows: block.data.rows, footnotes: [] });
      }
      for (const note of block.notes ?? []) blocks.push(...richTextBlocks(note));
      return blocks;
    }
  }
}

function measureBlocks(measure: ReportMeasure, level: Level): Block[] {
  // The partner's own words on the status: a one-liner stands in for the label, longer text follows the facts.
  const statusInWords = measure.statusText !== undefined && !measure.statusText.includes('\n') ? measure.statusText : undefined;
  const facts: Fact[] = [];
  if (isNotStated(measure.title)) facts.push({ label: 'Titel', value: { stated: false } });
  facts.push(classificationFact('Handlungsfeld', measure.fieldOfAction, (f) => fieldOfActionLabels[f]));
  const status = classificationFact('Stand', measure.status, statusText);
  facts.push(statusInWords !== undefined && !isNotStated(measure.status) ? { label: 'Stand', value: stated(statusInWords) } : status);
  facts.push({ label: 'Zeitraum', value: stated(measure.dates?.map((d) => (d.label ? `${whenText(d.when)} (${d.label})` : whenText(d.when))).join('; ')) });
  if (measure.recurring !== undefined) facts.push({ label: 'Wiederkehrend', value: stated(recurrenceLabels[measure.recurring]) });
  if (measure.targetGroups?.length) {
    facts.push({ label: 'Zielgruppen', value: stated(measure.targetGroups.map((g) => targetGroupLabels[g] ?? g).join(', ')) });
  }
  if (measure.cooperationPartners?.length) facts.push({ label: 'Kooperationspartner', value: stated(measure.cooperationPartners.join(', ')) });
  if (measure.funders?.length) facts.push({ label: 'Gefördert durch', value: stated(measure.funders.join(', ')) });
  const blocks: Block[] = isNotStated(measure.title) ? [] : [{ kind: 'heading', level, text: measure.title }];
  blocks.push({ kind: 'facts', facts: groupNotStated(facts) });
  if (measure.statusText !== undefined && statusInWords === undefined) blocks.push(...richTextBlocks(measure.statusText));
  else if (statusInWords !== undefined && isNotStated(measure.status)) blocks.push({ kind: 'paragraph', text: `Stand: ${statusInWords}` });
  blocks.push(...richTextBlocks(measure.description));
  const references = [...(measure.links ?? []), ...(measure.evidence ?? []).map((e) => `${e.label}: ${e.ref}`)];
  if (references.length > 0) blocks.push({ kind: 'list', items: references });
  blocks.push(...figureTable(measure.figures));
  blocks.push(...referenceBlocks(measure.references, measure.description));
  return blocks;
}

/**
 * The facts the partner stated one per line, and those not stated on one line after them
 * ("Titel, Stand: nicht angegeben"): many reports state little, and a column of "nicht
 * angegeben" under every paragraph would bury the text.
 */
function groupNotStated(facts: Fact[]): Fact[] {
  const missing = facts.filter((fact) => !fact.value.stated).map((fact) => fact.label);
  const given = facts.filter((fact) => fact.value.stated);
  return missing.length === 0 ? given : [...given, { label: missing.join(', '), value: { stated: false } }];
}

/** A classification as a fact: the partner's, the ministry's (marked as such), or not stated. */
function classificationFact<T>(label: string, classified: Classified<T>, text: (value: T) => string): Fact {
  const value = classifiedValue(classified);
  if (value === undefined) return { label, value: { stated: false } };
  return { label: value.source === 'staff' ? byMinistry(label) : label, value: stated(text(value.value)) };
}

function statusText(status: MeasureStatusValue): string {
  return typeof status === 'string' ? measureStatusLabels[status] : status.map((s) => measureStatusLabels[s]).join(' bzw. ');
}

/** Cross-references as the partner printed them, unless the text already reads them out. */
function referenceBlocks(references: { printed: string }[] | undefined, text: string): Block[] {
  const unprinted = (references ?? []).map((r) => r.printed).filter((printed) => !text.includes(printed));
  return unprinted.length === 0 ? [] : [{ kind: 'paragraph', text: `Siehe auch: ${unprinted.join('; ')}` }];
}

function figureTable(figures: Figure[] | undefined): Block[] {
  if (!figures?.length) return [];
  return [
    {
      kind: 'table',
      caption: 'Kennzahlen',
      columns: ['Kennzahl', 'Wert', 'Stichtag'],
      rows: figures.map((figure) => {
        const note = figureNote(figure);
        const unit = statedOf(figure.unit, (u) => u);
        const valueCell =
          figure.value === undefined
            ? `nicht angegeben${note ? ` (${note})` : ''}`
            : `${withUnit(figure.value.printed, unit)}${note ? ` (${note})` : ''}`;
        return [figure.label, valueCell, isNotStated(figure.referenceDate) ? 'nicht angegeben' : fuzzyDateText(figure.referenceDate)];
      }),
      footnotes: [],
    },
  ];
}

function figureNote(figure: Figure): string | undefined {
  if (figure.status === 'nachgereicht_bis' && figure.dueAt) return `wird nachgereicht bis ${fuzzyDateText(figure.dueAt)}`;
  if (figure.status === 'nicht_mehr_erhoben') return `nicht mehr erhoben${figure.reason ? `: ${figure.reason}` : ''}`;
  if (figure.status === 'prognose') return 'Prognose';
  if (figure.status === 'ziel') return 'Zielwert';
  return undefined;
}

function sourceLine(source: string | NotStated): string {
  return `Quelle: ${isNotStated(source) ? 'nicht angegeben' : source}`;
}

function statedOf<T>(value: T | NotStated, text: (value: T) => string): Stated<string> {
  return isNotStated(value) ? { stated: false } : stated(text(value as T));
}

function whenText(when: FuzzyDate | Period): string {
  return 'year' in when ? fuzzyDateText(when) : when.text;
}

function fuzzyDateText(date: FuzzyDate): string {
  if (date.text !== undefined) return date.text;
  const core =
    date.day !== undefined && date.month !== undefined
      ? `${String(date.day).padStart(2, '0')}.${String(date.month).padStart(2, '0')}.${date.year}`
      : date.month !== undefined
        ? `${monthNames[date.month - 1]} ${date.year}`
        : date.part !== undefined
          ? `${partNames[date.part]} ${date.year}`
          : String(date.year);
  const phased = date.phase !== undefined && date.day === undefined ? `${phaseWords[date.phase]} ${core}` : core;
  return date.bound ? `${boundWords[date.bound]} ${phased}` : phased;
}

/**
 * The partner's free text as blocks: paragraphs at blank lines, list items at lines starting
 * with "- ", other lines of a paragraph joined with a line break kept as a space. Footnote
 * marks "[^1]" read as "[1]", matching the footnotes at the end of the chapter.
 */
export function richTextBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.replace(/\[\^([^\]\s]{1,8})\]/g, '[$1]').split(/\n\s*\n/)) {
    let paragraph: string[] = [];
    let items: string[] = [];
    const flushParagraph = () => {
      if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
      paragraph = [];
    };
    const flushList = () => {
      if (items.length > 0) blocks.push({ kind: 'list', items });
      items = [];
    };
    for (const raw of chunk.split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      if (line.startsWith('- ')) {
        flushParagraph();
        items.push(line.slice(2).trim());
      } else {
        flushList();
        paragraph.push(line);
      }
    }
    flushParagraph();
    flushList();
  }
  return blocks;
}
