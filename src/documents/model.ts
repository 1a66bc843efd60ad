/**
 * The compiled annual report as a format-neutral document: what the government's report says,
 * in order, without saying how it looks. Every renderer (PDF, DOCX, HTML, Markdown) and every
 * export of the figures (CSV, XLSX, JSON) reads this model and nothing else; only
 * `from-report.ts` knows the partners' report schema.
 */

/** A value a partner may have left out: "not stated" is a value of its own, never a placeholder. */
export type Stated<T> = { stated: true; value: T } | { stated: false };

export const notStatedLabel = 'nicht angegeben';

export function stated<T>(value: T | undefined): Stated<T> {
  return value === undefined ? { stated: false } : { stated: true, value };
}

export function statedText(value: Stated<string>): string {
  return value.stated ? value.value : notStatedLabel;
}

/** One labelled property of a measure or figure, e.g. "Stand: laufend" or "Zeitraum: nicht angegeben". */
export type Fact = { label: string; value: Stated<string> };

/** The blocks a chapter is made of, in the order the partner wrote them. */
export type Block =
  /** Level 1 is the highest heading inside a partner's chapter (the chapter title sits above it). */
  | { kind: 'heading'; level: 1 | 2 | 3 | 4; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'facts'; facts: Fact[] }
  | { kind: 'table'; caption: string; columns: string[]; rows: string[][]; footnotes: string[] }
  /** A figure the partner printed; the report carries its caption and source, not its picture. */
  | { kind: 'figure'; caption: string; source: Stated<string> };

/** The editable front matter: a heading and its blocks (preface, introduction). */
export type TextSection = { heading: string; blocks: Block[] };

/** One row of "Übersicht der Partner in der Reihenfolge ihres Beitritts". */
export type OverviewRow = {
  number: number;
  organisation: string;
  /** A city cooperation lists its member cities in brackets after its name. */
  memberCities: string[];
  /** ISO date (YYYY-MM-DD). */
  accessionDate: string;
  /** Whether this partner's chapter is in the report. */
  reportIncluded: boolean;
};

/** Where a partner's report of the year stands; 'not_started' when the cycle never reached it. */
export const reportStandings = [
  'accepted',
  'submitted',
  'revision_requested',
  'awaiting_submission',
  'overdue',
  'waived',
  'closed',
  'not_started',
] as const;
export type ReportStanding = (typeof reportStandings)[number];

export const reportStandingLabels: Record<ReportStanding, string> = {
  accepted: 'angenommen',
  submitted: 'eingereicht, noch nicht angenommen',
  revision_requested: 'Überarbeitung angefordert',
  awaiting_submission: 'noch nicht eingereicht',
  overdue: 'überfällig',
  waived: 'erlassen',
  closed: 'geschlossen ohne Bericht',
  not_started: 'nicht angefordert',
};

/**
 * A partner whose report is not in the compiled report, and why: never dropped silently.
 * `unreadable`: accepted, but its stored content no longer reads as a report.
 */
export type MissingReport = { number: number; organisation: string; standing: ReportStanding; unreadable?: true };

export function missingReason(missing: MissingReport): string {
  return missing.unreadable ? 'angenommen, aber nicht lesbar' : reportStandingLabels[missing.standing];
}

/** One partner's chapter: "Bericht der/des <organisation>" and its report as blocks. */
export type PartnerChapter = {
  number: number;
  organisation: string;
  /** "Bericht des Kreises Lippe": the genitive is stored per partner, not derived. */
  heading: string;
  blocks: Block[];
};

/**
 * The chapters in accession order, readable more than once (one pass per renderer). A source
 * may read them lazily (from a spool file or the database), so a large cycle is never held in
 * memory by the renderers that can stream.
 */
export type ChapterSource = () => AsyncIterable<PartnerChapter>;

/** One partner's figures of the cycle: the row behind the submission and reminder statistics. */
export type PartnerFigures = {
  number: number;
  organisation: string;
  standing: ReportStanding;
  /** First submission (ISO instant); not stated when nothing was submitted. */
  firstSubmittedAt: Stated<string>;
  /** The partner's due date (ISO instant), extensions included; not stated when no report was started. */
  dueAt: Stated<string>;
  /** Submitted on or before its due date; not stated when nothing was submitted. */
  onTime: Stated<boolean>;
  remindersSent: number;
  escalationLevel: number;
};

/** One figure a partner reported, kept with its wording; `value` is not stated when no number was given. */
export type IndicatorFigure = {
  number: number;
  organisation: string;
  label: string;
  category: string;
  value: Stated<number>;
  /** The value as printed ("10,42", "einem Drittel"), or not stated. */
  valueText: Stated<string>;
  /** As printed ("%", "Sprachen"); not stated when the partner named none. */
  unit: Stated<string>;
  referenceDate: Stated<string>;
  /** Why there is no value, when the partner said so ("wird nachgereicht bis März 2019"). */
  note: Stated<string>;
};

/** The value as printed with its unit: "50" and "Sprachen" read "50 Sprachen"; "25%" already names "%". */
export function withUnit(printed: string, unit: Stated<string>): string {
  return !unit.stated || printed.includes(unit.value) ? printed : `${printed} ${unit.value}`;
}

/** A share with its parts, so every export shows the same numerator and denominator. */
export type Rate = { count: number; of: number };

export type Statistics = {
  partners: number;
  submitted: Rate;
  accepted: Rate;
  /** Of the partners who submitted, how many did so by their due date. */
  onTime: Rate;
  remindersSent: number;
  partnersReminded: Rate;
  partnersEscalated: Rate;
  /** Partners per highest escalation level reached (level 0 = none). */
  escalationLevels: { level: number; partners: number }[];
  standings: { standing: ReportStanding; partners: number }[];
  indicators: { category: string; stated: number; notStated: number }[];
};

export type Chart = { id: string; title: string; svg: string };

/** A table of the statistics chapter made elsewhere (the years compared, the step before each submission); cells as printed. */
export type StatisticsTable = Extract<Block, { kind: 'table' }> & { id: string };

/** The same figures for the CSV, XLSX and JSON exports: counts as numbers, "nicht angegeben" where a share has no base. */
export type StatisticsFigures = { id: string; title: string; columns: string[]; rows: (string | number)[][] };

export type CompiledReport = {
  year: number;
  /** The cut-off date printed as "Stand <date>" (ISO date). */
  asOf: string;
  title: string;
  publisher: string;
  preface: TextSection;
  introduction: TextSection;
  overview: { caption: string; rows: OverviewRow[] };
  missing: MissingReport[];
  chapters: ChapterSource;
  statistics: Statistics;
  /** Printed after the year's figures: the years compared, the step before each submission. */
  statisticsTables: StatisticsTable[];
  statisticsFigures: StatisticsFigures[];
  partnerFigures: PartnerFigures[];
  indicatorFigures: IndicatorFigure[];
  charts: Chart[];
};

export function rateText(rate: Rate): string {
  if (rate.of === 0) return `0 von 0`;
  const percent = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 }).format((rate.count / rate.of) * 100);
  return `${rate.count} von ${rate.of} (${percent} %)`;
}

/** The year's figures as the printed summary table lists them: one list for every format, so none can disagree. */
export function statisticsSummary(s: Statistics): [label: string, value: string][] {
  return [
    ['Partner', String(s.partners)],
    ['Berichte eingereicht', rateText(s.submitted)],
    ['Berichte angenommen', rateText(s.accepted)],
    ['Pünktlich eingereicht (von den eingereichten)', rateText(s.onTime)],
    ['Erinnerungen versandt', String(s.remindersSent)],
    ['Partner mit Erinnerung', rateText(s.partnersReminded)],
    ['Partner mit Eskalation', rateText(s.partnersEscalated)],
  ];
}

/** "26.03.2012" from "2012-03-26": the date format of the printed overview. */
export function germanDate(isoDate: string): string {
  const [year, month, day] = isoDate.slice(0, 10).split('-');
  return `${day}.${month}.${year}`;
}

export function overviewName(row: Pick<OverviewRow, 'organisation' | 'memberCities'>): string {
  return row.memberCities.length === 0 ? row.organisation : `${row.organisation} (mit den Städten ${row.memberCities.join(', ')})`;
}
