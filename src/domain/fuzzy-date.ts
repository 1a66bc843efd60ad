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
  });

export type FuzzyDate = z.infer<typeof fuzzyDateSchema>;

/** A calendar date as YYYY-MM-DD. */
export const isoDateSchema = z.string().refine(isIsoDate, 'must be a real date as YYYY-MM-DD');

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

/** The first day the date can mean, as a sortable number yyyymmdd. */
export function earliestDay(date: FuzzyDate): number {
  const month = date.month ?? (date.part === undefined ? 1 : partMonths[date.part][0]);
  return date.year * 10_000 + month * 100 + (date.day ?? 1);
}

/** The last day the date can mean, as a sortable number yyyymmdd. */
export function latestDay(date: FuzzyDate): number {
  const month = date.month ?? (date.part === undefined ? 12 : partMonths[date.part][1]);
  return date.year * 10_000 + month * 100 + (date.day ?? daysInMonth(date.year, month));
}

export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
