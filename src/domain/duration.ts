import { z } from 'zod';

/**
 * ISO-8601 durations as policies write them: 'P6W', 'P3D', 'P1Y', 'PT30S', 'PT2M'.
 * A duration is either day-granular (Y, M, W, D: moves a local date) or time-granular
 * (H, M, S: exact arithmetic on an instant, for drills); mixing both would leave the
 * time of day ambiguous, so it is rejected.
 */

export type DayDuration = { granularity: 'days'; years: number; months: number; weeks: number; days: number };
export type TimeDuration = { granularity: 'time'; milliseconds: number };
export type ParsedDuration = DayDuration | TimeDuration;

const pattern = /^P(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,7})H)?(?:(\d{1,9})M)?(?:(\d{1,10})S)?)?$/;

const DAY_SECONDS = 86_400;

/** Why `text` is not a usable duration, or undefined if it is. */
export function durationProblem(text: string): string | undefined {
  const parts = partsOf(text);
  if (parts === undefined) {
    return `must be an ISO-8601 duration of whole numbers such as P6W, P3D or PT30S, not "${text}"`;
  }
  if (/^P\d/.test(text) && text.includes('T')) {
    return `must use either date parts (Y, M, W, D) or time parts (T…H, M, S), not both: "${text}" mixes them`;
  }
  if (parts.every((part) => part === 0)) return `must be longer than zero, not "${text}"`;
  return undefined;
}

/** Parses a duration that passed {@link durationProblem}; throws RangeError otherwise. */
export function parseDuration(text: string): ParsedDuration {
  const problem = durationProblem(text);
  const parts = partsOf(text);
  if (problem !== undefined || parts === undefined) throw new RangeError(`duration ${problem ?? 'is invalid'}`);
  const [years, months, weeks, days, hours, minutes, seconds] = parts;
  if (text.includes('T')) {
    return { granularity: 'time', milliseconds: ((hours * 60 + minutes) * 60 + seconds) * 1000 };
  }
  return { granularity: 'days', years, months, weeks, days };
}

function partsOf(text: string): [number, number, number, number, number, number, number] | undefined {
  const match = pattern.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [years, months, weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  return [years ?? 0, months ?? 0, weeks ?? 0, days ?? 0, hours ?? 0, minutes ?? 0, seconds ?? 0];
}

/** The number of days if the duration is written in days only ('P3D'), as working-day counts need. */
export function wholeDays(duration: ParsedDuration): number | undefined {
  if (duration.granularity !== 'days') return undefined;
  return duration.years === 0 && duration.months === 0 && duration.weeks === 0 ? duration.days : undefined;
}

/**
 * An approximate length in seconds, only for ordering policy steps before any due date is known:
 * a month counts 30.44 days, a year 365.24, a working day 7/5 of a day (five of them span a week).
 */
export function nominalSeconds(duration: ParsedDuration, count: 'calendar' | 'working'): number {
  if (duration.granularity === 'time') return duration.milliseconds / 1000;
  const days = duration.years * 365.2425 + duration.months * 30.436875 + duration.weeks * 7 + duration.days;
  return days * DAY_SECONDS * (count === 'working' ? 7 / 5 : 1);
}

export const isoDurationSchema = z.string().superRefine((text, ctx) => {
  const problem = durationProblem(text);
  // Aborting: the policy-level rules that read durations must not run on a broken one.
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, continue: false });
});
