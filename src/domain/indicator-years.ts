/**
 * The partners' indicators compared across reporting years: per figure category and year, how many
 * partners stated it, in what form, and (where values are comparable) their sum and median. Pure:
 * the accepted reports' figure rows go in one report at a time, a small summary comes out.
 *
 * How values are counted (the compiled report prints the same rules under its tables):
 * - A partner stated a category when at least one of its figures in that category has a value
 *   (a number, a range, a threshold or a quantity in words). Every other partner with an accepted
 *   report did not state it; of those, some named the figure but gave no value ("wird nachgereicht",
 *   "nicht mehr erhoben").
 * - Only single numbers measured ("erhoben") and printed with a unit are comparable, and only with
 *   numbers of the same category and the same unit. Ranges ("19 bis 30"), thresholds ("unter 25",
 *   "mindestens B2"), words, targets and forecasts, distributive numbers ("je 3") and numbers
 *   without a unit are counted, never added up or put into a median.
 * - A share ("%") is a part of a different whole at each partner: its median is given, no sum.
 * - The median is over the comparable values, not over partners.
 * - A category the partner left open and staff assigned counts under that category, and is
 *   counted as staff's; one nobody assigned counts under "category not stated".
 */
import type { FigureRow } from './report-figures';
import { figureCategories } from './report-figure';
import { classifiedValue, type Classified } from './report-values';

export type FigureCategory = (typeof figureCategories)[number];

/** Values of one unit within a category and year. `sum` is absent for shares (never added up). */
export type ComparableValues = {
  /** The unit as the first partner printed it ("Sprachen"); grouped ignoring case and spacing. */
  unit: string;
  share: boolean;
  values: number;
  partners: number;
  /** Of the values, those printed as approximate ("rund 300", "ca. 350"). */
  approximate: number;
  sum: number | undefined;
  median: number;
  min: number;
  max: number;
};

export type IndicatorCategoryYear = {
  /** null: figures whose category nobody has stated or assigned. */
  category: FigureCategory | null;
  /** Partners with at least one figure in the category that has a value. */
  partnersStated: number;
  /** Partners who did not state it (base minus stated); `partnersWithoutValue` of them named a figure without a value. */
  partnersNotStated: number;
  partnersWithoutValue: number;
  /** Figures with a value, by form. */
  numbers: number;
  ranges: number;
  thresholds: number;
  words: number;
  /** Figures with a value that is a target or a forecast, not a measurement. */
  targetsOrForecasts: number;
  /** Figures whose category staff assigned (the partner left it open). */
  assignedByStaff: number;
  comparable: ComparableValues[];
};

export type IndicatorYear = {
  year: number;
  /** Partners whose accepted report was read: the base of every count of this year. */
  partnersReporting: number;
  /** Every category in schema order, then "not stated" when some figure has no category. */
  categories: IndicatorCategoryYear[];
};

type UnitTally = { unit: string; share: boolean; values: number[]; partners: Set<number>; approximate: number };
type CategoryTally = {
  stated: Set<number>;
  withoutValue: Set<number>;
  numbers: number;
  ranges: number;
  thresholds: number;
  words: number;
  targetsOrForecasts: number;
  assignedByStaff: number;
  units: Map<string, UnitTally>;
};

/** One year's tally: add each accepted report's figure rows, then `summary()`. Holds one small entry per category and unit. */
export type IndicatorTally = { add(partner: number, rows: readonly FigureRow[]): void; summary(): IndicatorYear };

export function indicatorTally(year: number): IndicatorTally {
  const partners = new Set<number>();
  const categories = new Map<FigureCategory | null, CategoryTally>();
  const tallyOf = (category: FigureCategory | null): CategoryTally => {
    let tally = categories.get(category);
    if (!tally) {
      tally = { stated: new Set(), withoutValue: new Set(), numbers: 0, ranges: 0, thresholds: 0, words: 0, targetsOrForecasts: 0, assignedByStaff: 0, units: new Map() };
      categories.set(category, tally);
    }
    return tally;
  };
  return {
    add(partner, rows) {
      partners.add(partner);
      for (const row of rows) {
        const classified = classifiedValue(row.category as Classified<FigureCategory>);
        const tally = tallyOf(classified?.value ?? null);
        if (classified?.source === 'staff') tally.assignedByStaff += 1;
        if (row.valueKind === 'none') {
          tally.withoutValue.add(partner);
          continue;
        }
        tally.stated.add(partner);
        if (row.valueKind === 'number') tally.numbers += 1;
        else if (row.valueKind === 'range') tally.ranges += 1;
        else if (row.valueKind === 'threshold') tally.thresholds += 1;
        else tally.words += 1;
        if (row.status !== 'erhoben') {
          tally.targetsOrForecasts += 1;
          continue;
        }
        if (row.valueKind !== 'number' || row.number === null || row.unit === null || row.approximation === 'je') continue;
        const key = unitKey(row.unit);
        let unit = tally.units.get(key);
        if (!unit) {
          unit = { unit: row.unit.trim(), share: isShare(row.unit), values: [], partners: new Set(), approximate: 0 };
          tally.units.set(key, unit);
        }
        unit.values.push(row.number);
        unit.partners.add(partner);
        if (row.approximation !== null) unit.approximate += 1;
      }
    },
    summary() {
      const keys: (FigureCategory | null)[] = [...figureCategories, ...(categories.has(null) ? [null] : [])];
      return {
        year,
        partnersReporting: partners.size,
        categories: keys.map((category) => summarise(category, categories.get(category), partners.size)),
      };
    },
  };
}

/** A category no partner of the year gave a figure in: every partner with an accepted report did not state it. */
export function unstatedCategory(category: FigureCategory | null, partnersReporting: number): IndicatorCategoryYear {
  return { category, partnersStated: 0, partnersNotStated: partnersReporting, partnersWithoutValue: 0, numbers: 0, ranges: 0, thresholds: 0, words: 0, targetsOrForecasts: 0, assignedByStaff: 0, comparable: [] };
}

function summarise(category: FigureCategory | null, tally: CategoryTally | undefined, base: number): IndicatorCategoryYear {
  if (!tally) return unstatedCategory(category, base);
  // A partner who stated one figure of the category and left another without value has stated it.
  const withoutValue = [...tally.withoutValue].filter((partner) => !tally.stated.has(partner)).length;
  return {
    category,
    partnersStated: tally.stated.size,
    partnersNotStated: base - tally.stated.size,
    partnersWithoutValue: withoutValue,
    numbers: tally.numbers,
    ranges: tally.ranges,
    thresholds: tally.thresholds,
    words: tally.words,
    targetsOrForecasts: tally.targetsOrForecasts,
    assignedByStaff: tally.assignedByStaff,
    comparable: [...tally.units.values()]
      .map((unit) => {
        const sorted = [...unit.values].sort((a, b) => a - b);
        return {
          unit: unit.unit,
          share: unit.share,
          values: sorted.length,
          partners: unit.partners.size,
          approximate: unit.approximate,
          sum: unit.share ? undefined : roundSum(sorted.reduce((sum, value) => sum + value, 0)),
          median: median(sorted),
          min: sorted[0] as number,
          max: sorted.at(-1) as number,
        };
      })
      .sort((a, b) => b.partners - a.partners || a.unit.localeCompare(b.unit, 'de')),
  };
}

/** "Sprachen", " sprachen " and "Sprachen" are one unit; "Sprachen" and "Sprache" are not (no guessing). */
export function unitKey(unit: string): string {
  return unit.trim().replace(/\s+/g, ' ').toLowerCase();
}

function isShare(unit: string): boolean {
  return /^(%|prozent)$/i.test(unit.trim());
}

function median(sorted: number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Decimal values ("10,42") add up without binary noise in the printed sum. */
function roundSum(sum: number): number {
  return Math.round(sum * 1e6) / 1e6;
}
