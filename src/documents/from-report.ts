/**
 * The one place that knows the partners' report schema (src/domain/report.ts): it turns an
 * accepted report into the blocks of its chapter and the figures of the statistics. Everything
 * else in src/documents depends only on the document model, so a change of the report schema
 * changes this module and nothing beside it.
 */
import type { FuzzyDate, Period } from '../domain/fuzzy-date';
import {
  reportSubmissionSchema,
  type Indicator,
  type MeasureStatus,
  type ReportMeasure,
  type ReportSection,
  type ReportSubmission,
} from '../domain/report';
import { germanDate, stated, type Block, type Fact, type IndicatorFigure } from './model';

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

const qualifierWords: Record<NonNullable<Indicator['qualifier']>, string> = {
  ca: 'ca.',
  rund: 'rund',
  etwa: 'etwa',
  knapp: 'knapp',
  gut: 'gut',
  ueber: 'über',
  mehr_als: 'mehr als',
  mindestens: 'mindestens',
  bis_zu: 'bis zu',
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

const categoryLabels: Record<Indicator['category'], string> = {
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

const numberFormat = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });

/**
 * A stored report's content as chapter blocks and figures; undefined when the content does not
 * parse as a report (the caller lists the partner as missing rather than guessing).
 */
export function readAcceptedReport(
  partner: ChapterPartner,
  content: unknown,
): { blocks: Block[]; figures: IndicatorFigure[] } | undefined {
  const parsed = reportSubmissionSchema.safeParse(content);
  if (!parsed.success) return undefined;
  return { blocks: reportToBlocks(parsed.data), figures: reportToIndicatorFigures(partner, parsed.data) };
}

/** The chapter body of one partner's accepted report, in the order the report gives it. */
export function reportToBlocks(report: ReportSubmission): Block[] {
  const blocks: Block[] = [{ kind: 'facts', facts: [{ label: 'Berichtszeitraum', value: stated(report.reportingPeriod.text) }] }];
  if (report.context) {
    blocks.push(...richTextBlocks(report.context.text));
    if (report.context.indicators?.length) blocks.push(indicatorTable(report.context.indicators));
  }
  blocks.push(...richTextBlocks(report.narrative));
  for (const section of report.sections) blocks.push(...sectionBlocks(section));
  if (report.outlook) {
    blocks.push({ kind: 'heading', level: 1, text: 'Ausblick' });
    blocks.push(...richTextBlocks(report.outlook.text));
    for (const measure of report.outlook.plannedMeasures ?? []) blocks.push(...measureBlocks(measure, 2));
  }
  for (const attachment of report.attachments ?? []) {
    if (attachment.kind === 'table') {
      blocks.push({
        kind: 'table',
        caption: attachment.caption,
        columns: attachment.columns ?? [],
        rows: attachment.rows ?? [],
        footnotes: attachment.footnotes ?? [],
      });
    } else if (attachment.kind === 'figure') {
      blocks.push({ kind: 'figure', caption: attachment.caption, source: stated(attachment.source) });
    } else {
      blocks.push({ kind: 'paragraph', text: `Anlage: ${attachment.caption}` });
    }
  }
  return blocks;
}

/** Every indicator of the report (context, measures, outlook) as a figure of the statistics. */
export function reportToIndicatorFigures(partner: ChapterPartner, report: ReportSubmission): IndicatorFigure[] {
  const indicators: Indicator[] = [...(report.context?.indicators ?? [])];
  const visit = (section: ReportSection): void => {
    for (const measure of section.measures) indicators.push(...(measure.indicators ?? []));
    section.subsections?.forEach(visit);
  };
  report.sections.forEach(visit);
  for (const measure of report.outlook?.plannedMeasures ?? []) indicators.push(...(measure.indicators ?? []));
  return indicators.map((indicator) => ({
    number: partner.number,
    organisation: partner.organisation,
    label: indicator.label,
    category: categoryLabels[indicator.category],
    value: stated(indicator.value),
    valueText: stated(indicatorValueText(indicator)),
    unit: indicator.unit,
    referenceDate: stated(referenceDateText(indicator)),
    note: stated(indicatorNote(indicator)),
  }));
}

function sectionBlocks(section: ReportSection): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: section.level, text: section.heading }];
  if (section.intro !== undefined) blocks.push(...richTextBlocks(section.intro));
  const measureLevel = Math.min(section.level + 1, 4) as 2 | 3 | 4;
  for (const measure of section.measures) blocks.push(...measureBlocks(measure, measureLevel));
  for (const child of section.subsections ?? []) blocks.push(...sectionBlocks(child));
  return blocks;
}

function measureBlocks(measure: ReportMeasure, level: 2 | 3 | 4): Block[] {
  // The partner's own words on the status: a one-liner stands in for the label, longer text follows the facts.
  const statusInWords = measure.statusText !== undefined && !measure.statusText.includes('\n') ? measure.statusText : undefined;
  const facts: Fact[] = [
    { label: 'Stand', value: stated(statusInWords ?? measureStatusLabels[measure.status]) },
    { label: 'Zeitraum', value: stated(measure.dates?.map((d) => (d.label ? `${whenText(d.when)} (${d.label})` : whenText(d.when))).join('; ')) },
  ];
  if (measure.targetGroups?.length) {
    facts.push({ label: 'Zielgruppen', value: stated(measure.targetGroups.map((g) => targetGroupLabels[g] ?? g).join(', ')) });
  }
  if (measure.cooperationPartners?.length) {
    facts.push({ label: 'Kooperationspartner', value: stated(measure.cooperationPartners.join(', ')) });
  }
  const blocks: Block[] = [{ kind: 'heading', level, text: measure.title }, { kind: 'facts', facts }];
  if (measure.statusText !== undefined && statusInWords === undefined) blocks.push(...richTextBlocks(measure.statusText));
  blocks.push(...richTextBlocks(measure.description));
  const references = [...(measure.links ?? []), ...(measure.evidence ?? []).map((e) => `${e.label}: ${e.ref}`)];
  if (references.length > 0) blocks.push({ kind: 'list', items: references });
  if (measure.indicators?.length) blocks.push(indicatorTable(measure.indicators));
  return blocks;
}

function indicatorTable(indicators: Indicator[]): Block {
  return {
    kind: 'table',
    caption: 'Kennzahlen',
    columns: ['Kennzahl', 'Wert', 'Stichtag'],
    rows: indicators.map((indicator) => {
      const value = indicatorValueText(indicator);
      const note = indicatorNote(indicator);
      const valueCell = value === undefined ? `nicht angegeben${note ? ` (${note})` : ''}` : `${value} ${indicator.unit}`;
      const date = referenceDateText(indicator);
      return [indicator.label, valueCell, date];
    }),
    footnotes: [],
  };
}

function indicatorValueText(indicator: Indicator): string | undefined {
  const value = indicator.valueText ?? (indicator.value === undefined ? undefined : numberFormat.format(indicator.value));
  if (value === undefined) return undefined;
  return indicator.qualifier ? `${qualifierWords[indicator.qualifier]} ${value}` : value;
}

function indicatorNote(indicator: Indicator): string | undefined {
  if (indicator.status === 'nachgereicht_bis' && indicator.dueAt) return `wird nachgereicht bis ${fuzzyDateText(indicator.dueAt)}`;
  if (indicator.status === 'nicht_mehr_erhoben') return `nicht mehr erhoben${indicator.reason ? `: ${indicator.reason}` : ''}`;
  if (indicator.status === 'prognose') return 'Prognose';
  return undefined;
}

function referenceDateText(indicator: Indicator): string {
  return typeof indicator.referenceDate === 'string' ? germanDate(indicator.referenceDate) : fuzzyDateText(indicator.referenceDate);
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
  return date.bound ? `${date.bound} ${core}` : core;
}

/**
 * The partner's free text as blocks: paragraphs at blank lines, list items at lines starting
 * with "- ", other lines of a paragraph joined with a line break kept as a space.
 */
export function richTextBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.split(/\n\s*\n/)) {
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
