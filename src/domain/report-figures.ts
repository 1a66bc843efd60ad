import { earliestDay, latestDay, type FuzzyDate } from './fuzzy-date';
import type { Figure } from './report-figure';
import { blocksWithPaths, type ReportSubmission } from './report';
import { isNotStated } from './report-values';

/**
 * One row per figure of a report, flat enough for statistics, CSV and XLSX. What the partner did
 * not state is `null` (unknown), never a default: a figure without a reference date has
 * `referenceDate: null`, not the end of the reporting year.
 */
export type FigureRow = {
  /** Where the figure sits in the report, e.g. "sections[1].blocks[2].figures[0]". */
  path: string;
  /** The heading of the section it is printed under; null before the first heading. */
  section: string | null;
  /** The title of the measure it belongs to; null outside measures or when no title was stated. */
  measure: string | null;
  label: string;
  category: Figure['category'];
  status: Figure['status'];
  valueKind: 'number' | 'range' | 'threshold' | 'words' | 'none';
  /** Exactly as printed ("rund 19.000", "19 bis 30", "unter 25"); null when no value was given. */
  printed: string | null;
  /** The number for kinds number and threshold, when one was printed. */
  number: number | null;
  from: number | null;
  to: number | null;
  comparator: string | null;
  level: string | null;
  approximation: string | null;
  /** Null: not stated. */
  unit: string | null;
  /** The reference date as printed (or composed from its parts); null: not stated. */
  referenceDate: string | null;
  /** The first and last day the reference date can mean, YYYY-MM-DD; null: not stated. */
  referenceStart: string | null;
  referenceEnd: string | null;
};

export function figureRows(report: Pick<ReportSubmission, 'blocks' | 'sections'>): FigureRow[] {
  return blocksWithPaths(report).flatMap(({ block, path, section }) => {
    if (block.kind !== 'text' && block.kind !== 'measure') return [];
    const measure = block.kind === 'measure' && !isNotStated(block.title) ? block.title : null;
    return (block.figures ?? []).map((figure, index) => rowOf(figure, `${formatPath(path)}.figures[${index}]`, section?.heading ?? null, measure));
  });
}

function rowOf(figure: Figure, path: string, section: string | null, measure: string | null): FigureRow {
  const value = figure.value;
  const date = isNotStated(figure.referenceDate) ? undefined : figure.referenceDate;
  return {
    path,
    section,
    measure,
    label: figure.label,
    category: figure.category,
    status: figure.status,
    valueKind: value?.kind ?? 'none',
    printed: value?.printed ?? null,
    number: value?.kind === 'number' || value?.kind === 'threshold' ? (value.number ?? null) : null,
    from: value?.kind === 'range' ? value.from : null,
    to: value?.kind === 'range' ? value.to : null,
    comparator: value?.kind === 'threshold' ? value.comparator : null,
    level: value?.kind === 'threshold' ? (value.level ?? null) : null,
    approximation: value?.kind === 'number' || value?.kind === 'range' ? (value.approximation ?? null) : null,
    unit: isNotStated(figure.unit) ? null : figure.unit,
    referenceDate: date === undefined ? null : (date.text ?? composed(date)),
    referenceStart: date === undefined ? null : isoOf(earliestDay(date)),
    referenceEnd: date === undefined ? null : isoOf(latestDay(date)),
  };
}

function composed(date: FuzzyDate): string {
  return [date.day, date.month, date.year].filter((part) => part !== undefined).join('.');
}

function isoOf(day: number): string {
  const text = String(day);
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

function formatPath(path: (string | number)[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}
