import { z } from 'zod';
import { singleLine, textLimits } from './partner-input';

/**
 * Dates as partners write them: "bis Frühjahr 2018", "ab Herbst 2018", "seit 2015", "2017/18".
 * The fields say what is known; `text` keeps the words as printed.
 */

/** Parts of a year a partner may name instead of a month (transliterated, lower case). */
export const yearParts = ['fruehjahr', 'sommer', 'herbst', 'winter', 'h1', 'h2', 'q1', 'q2', 'q3', 'q4'] as const;
export type YearPart = (typeof yearParts)[number];

/** How the date relates to what it dates: "ab 2018", "bis Frühjahr 2018", "im September 2018", "seit 2015". */
export const dateBounds = ['ab', 'bis', 'im', 'seit'] as const;

/** "Anfang/Mitte/Ende" of a month or a year: which third of it the partner means. */
export const datePhases = ['anfang', 'mitte', 'ende'] as const;
export type DatePhase = (typeof datePhases)[number];

const partMonths: Record<YearPart, [first: number, last: number]> = {
  fruehjahr: [3, 5],
  sommer: [6, 8],
  herbst: [9, 11],
  // Winter spans a year boundary; within its year it can mean January as well as December.
  winter: [1, 12],
  h1: [1, 6],
  h2: [7, 12],
  q1: [1, 3],
  q2: [4, 6],
  q3: [7, 9],
  q4: [10, 12],
};

export const fuzzyDateSchema = z
  .strictObject({
    year: z.number().int().min(1900).max(2100),
    month: z.number().int().min(1).max(12).optional(),
    day: z.number().int().min(1).max(31).optional(),
    part: z.enum(yearParts).optional(),
    bound: z.enum(dateBounds).optional(),
    phase: z.enum(datePhases).optional(),
    text: singleLine(textLimits.label).optional(),
  })
  .superRefine((date, ctx) => {
    if (date.day !== undefined && date.month === undefined) {
      ctx.addIssue({ code: 'custom', path: ['month'], message: 'is required when a day is given' });
    } else if (date.day !== undefined && date.month !== undefined && date.day > daysInMonth(date.year, date.month)) {
      ctx.addIssue({ code: 'custom', path: ['day'], message: `must be at most ${daysInMonth(date.year, date.month)} in that month` });
    }
    if (date.part !== undefined && date.month !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['part'], message: 'must not be given together with a month' });
    }
    if (date.phase !== undefined && (date.day !== undefined || date.part !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['phase'], message: 'belongs to a month or a year, not to a day or a part of the year' });
    }
  });

export type FuzzyDate = z.infer<typeof fuzzyDateSchema>;

/** A calendar date as YYYY-MM-DD. */

const periodShape = {
  from: fuzzyDateSchema.optional(),
  to: fuzzyDateSchema.optional(),
  text: singleLine(textLimits.label),
};

function checkOrder(period: { from?: FuzzyDate | undefined; to?: FuzzyDate | undefined }, ctx: z.RefinementCtx): void {
  if (period.from !== undefined && period.to !== undefined && latestDay(period.to) < earliestDay(period.from)) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  }
}

/** A span of time in the partner's words; either end may be open ("seit 2015", "bis März 2019"). */
export const periodSchema = z.strictObject(periodShape).superRefine(checkOrder);
export type Period = z.infer<typeof periodSchema>;

/** A period with both ends known, such as the reporting period of a report. */
export const closedPeriodSchema = z
  .strictObject({ ...periodShape, from: fuzzyDateSchema, to: fuzzyDateSchema })
  .superRefine(checkOrder);
export type ClosedPeriod = z.infer<typeof closedPeriodSchema>;

// Thirds of a year (months) and of a month (days) that "Anfang", "Mitte" and "Ende" narrow to.
const phaseMonths: Record<DatePhase, [first: number, last: number]> = { anfang: [1, 4], mitte: [5, 8], ende: [9, 12] };
const phaseDays: Record<DatePhase, [first: number, last: number]> = { anfang: [1, 10], mitte: [11, 20], ende: [21, 31] };

/** The first day the date can mean, as a sortable number yyyymmdd. */
export function earliestDay(date: FuzzyDate): number {
  if (date.phase !== undefined && date.month === undefined) {
    return date.year * 10_000 + phaseMonths[date.phase][0] * 100 + 1;
  }
  const month = date.month ?? (date.part === undefined ? 1 : partMonths[date.part][0]);
  const day = date.day ?? (date.phase === undefined ? 1 : phaseDays[date.phase][0]);
  return date.year * 10_000 + month * 100 + day;
}

/** The last day the date can mean, as a sortable number yyyymmdd. */
export function latestDay(date: FuzzyDate): number {
  if (date.phase !== undefined && date.month === undefined) {
    const month = phaseMonths[date.phase][1];
    return date.year * 10_000 + month * 100 + daysInMonth(date.year, month);
  }
  const month = date.month ?? (date.part === undefined ? 12 : partMonths[date.part][1]);
  const lastDay = daysInMonth(date.year, month);
  const day = date.day ?? (date.phase === undefined ? lastDay : Math.min(phaseDays[date.phase][1], lastDay));
  return date.year * 10_000 + month * 100 + day;
}

const monthNames = ['januar', 'februar', 'märz', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'dezember'];
const partWords: Record<string, YearPart> = {
  frühjahr: 'fruehjahr',
  frühling: 'fruehjahr',
  sommer: 'sommer',
  herbst: 'herbst',
  winter: 'winter',
  '1. halbjahr': 'h1',
  '2. halbjahr': 'h2',
  '1. quartal': 'q1',
  '2. quartal': 'q2',
  '3. quartal': 'q3',
  '4. quartal': 'q4',
};

/**
 * The one reader of dates as printed: "28.06.2017", "März 2019", "Ende 2018", "Mitte März 2019",
 * "bis Frühjahr 2018", "seit 2015", "2. Halbjahr 2018". Returns undefined for anything else
 * (e.g. "2017/18" is a period, "im Berichtsjahr" names no date), never a guess.
 * The result keeps the printed words in `text`.
 */
export function parseFuzzyDate(printed: string): FuzzyDate | undefined {
  let rest = printed.trim().replace(/\s+/g, ' ').toLowerCase();
  const date: { year?: number; month?: number; day?: number; part?: YearPart; bound?: (typeof dateBounds)[number]; phase?: DatePhase } = {};
  const bound = /^(ab|bis|im|seit|in) /.exec(rest);
  if (bound !== null) {
    // "in 2018" says the same as "im Jahr 2018"
    date.bound = bound[1] === 'in' ? 'im' : (bound[1] as (typeof dateBounds)[number]);
    rest = rest.slice(bound[0].length).replace(/^jahr /, '');
  }
  const phase = /^(anfang|mitte|ende) /.exec(rest);
  if (phase !== null) {
    date.phase = phase[1] as DatePhase;
    rest = rest.slice(phase[0].length);
  }
  const numeric = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(rest);
  if (numeric !== null && date.phase === undefined) {
    Object.assign(date, { day: Number(numeric[1]), month: Number(numeric[2]), year: Number(numeric[3]) });
  } else {
    const named = /^(\d\. (?:halbjahr|quartal)) (\d{4})$/.exec(rest) ?? /^(?:(\d{1,2})\. )?()([a-zäöü]+) (\d{4})$/.exec(rest);
    const yearOnly = /^(\d{4})$/.exec(rest);
    if (yearOnly !== null) date.year = Number(yearOnly[1]);
    else if (named !== null) {
      // Either [phrase, year] or [day, '', word, year]: the empty group keeps the indexes apart.
      const word = (named.length === 3 ? named[1] : named[3]) as string;
      const day = named.length === 3 ? undefined : named[1];
      const year = named.length === 3 ? named[2] : named[4];
      const monthIndex = monthNames.indexOf(word);
      if (monthIndex >= 0) date.month = monthIndex + 1;
      else if (partWords[word] !== undefined) date.part = partWords[word];
      else return undefined;
      if (day !== undefined) {
        if (date.month === undefined) return undefined;
        date.day = Number(day);
      }
      date.year = Number(year);
    } else return undefined;
  }
  const parsed = fuzzyDateSchema.safeParse({ ...date, text: printed });
  return parsed.success ? parsed.data : undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
