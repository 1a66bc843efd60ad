import { DateTime } from 'luxon';
import { isLocalDate } from './local-date';
import { nrwHolidayYears, nrwPublicHolidays } from './nrw-holidays';

/**
 * When the ministry may send email: on NRW working days (Monday to Friday, no public holiday),
 * inside a local sending window. Pure and deterministic, so workflows can use it. A policy may
 * send on every day instead (drills and rehearsals that must run on a Sunday too).
 */

export const defaultTimezone = 'Europe/Berlin';

/** Which days allow sending: NRW working days (the default), or every day. */
export type SendingDays = 'working' | 'every';

/** Times of day are 'HH:MM' in the calendar's zone; the window is [start, end). `days` absent: working days. */
export type SendingCalendar = { timezone: string; window: { start: string; end: string }; days?: SendingDays };

export const defaultSendingCalendar: SendingCalendar = {
  timezone: defaultTimezone,
  window: { start: '08:00', end: '17:00' },
};

/** The sending calendar a deadline policy (or the configuration) asks for: the one builder of it. */
export function sendingCalendarOf(source: {
  timezone: string;
  sendingWindow: { start: string; end: string };
  sendingDays?: SendingDays | undefined;
}): SendingCalendar {
  // Only a policy that asks for every day says so: plans of older policies stay as they were.
  return source.sendingDays === 'every'
    ? { timezone: source.timezone, window: source.sendingWindow, days: 'every' }
    : { timezone: source.timezone, window: source.sendingWindow };
}

/** Whether the calendar lets mail go out on a local date at all (the window aside). */
function isSendingDay(localDate: string, cal: SendingCalendar): boolean {
  return cal.days === 'every' || isWorkingDay(localDate);
}

const timeOfDayPattern = /^([01]\d|2[0-4]):([0-5]\d)$/;
const DAY_MS = 86_400_000;

// A memo of pure results: sharing it between workflow runs cannot change any outcome.
const publicHolidaysByYear = new Map<number, ReadonlySet<string>>();

/** From the generated table (src/domain/nrw-holidays.ts), which keeps date-holidays out of the workflow bundle. */
function publicHolidaysIn(year: number): ReadonlySet<string> {
  let days = publicHolidaysByYear.get(year);
  if (days === undefined) {
    const monthDays = nrwPublicHolidays[year];
    if (monthDays === undefined) {
      throw new RangeError(`no NRW holiday table for ${year}: it covers ${nrwHolidayYears.first} to ${nrwHolidayYears.last}`);
    }
    days = new Set(monthDays.map((monthDay) => `${year}-${monthDay}`));
    publicHolidaysByYear.set(year, days);
  }
  return days;
}

/** Whether a local date (YYYY-MM-DD) is an NRW public holiday. */
export function isPublicHoliday(localDate: string): boolean {
  const { year } = civilDate(localDate);
  return publicHolidaysIn(year).has(localDate);
}

/**
 * Whether a day is an NRW working day: Monday to Friday and no public holiday.
 * `day` is a local date (YYYY-MM-DD), or an instant whose local date in `timezone` counts.
 */
export function isWorkingDay(day: string | Date, timezone: string = defaultTimezone): boolean {
  const localDate = typeof day === 'string' ? day : localDateIn(day, timezone);
  const weekday = new Date(civilDate(localDate).epochMs).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isPublicHoliday(localDate);
}

/**
 * Moves a local date by `n` NRW working days (negative: backwards). Counting starts with the
 * next day, so from a Sunday `+1` is Monday; `0` returns the date unchanged even if it is not a working day.
 */
export function addWorkingDays(localDate: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number, not ${n}`);
  const step = Math.sign(n);
  let date = localDate;
  for (let remaining = Math.abs(n); remaining > 0; ) {
    date = addCalendarDays(date, step);
    if (isWorkingDay(date)) remaining -= 1;
  }
  return date;
}

/** Moves a local date by `n` calendar days. */
export function addCalendarDays(localDate: string, n: number): string {
  return new Date(civilDate(localDate).epochMs + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whether mail may go out at `instant`: a sending day, inside the window. */
export function isAllowedMoment(instant: Date, cal: SendingCalendar): boolean {
  const local = DateTime.fromJSDate(instant, { zone: cal.timezone });
  const clock = clockOf(local);
  return (
    isSendingDay(local.toISODate() as string, cal) &&
    clock >= timeOfDayMillis(cal.window.start) &&
    clock < timeOfDayMillis(cal.window.end)
  );
}

/**
 * The earliest moment at or after `instant` when mail may go out: the instant itself if allowed,
 * the window start the same day if it is a working day and still early, else the next working day's window start.
 */
export function nextAllowedMoment(instant: Date, cal: SendingCalendar): Date {
  if (isAllowedMoment(instant, cal)) return instant;
  const local = DateTime.fromJSDate(instant, { zone: cal.timezone });
  const date = local.toISODate() as string;
  const sameDay = isSendingDay(date, cal) && clockOf(local) < timeOfDayMillis(cal.window.start);
  const day = sameDay ? date : cal.days === 'every' ? addCalendarDays(date, 1) : addWorkingDays(date, 1);
  return firstMomentAtOrAfter(day, timeOfDayMillis(cal.window.start), cal.timezone);
}

/** How far back a send may be brought forward: longer than any run of NRW holidays and weekends. */
const BRING_FORWARD_DAYS = 14;

/**
 * The latest allowed moment before `limit` for a send planned at `plannedAt` that the calendar
 * would otherwise push past `limit`: the same local clock (kept inside the window) on the latest
 * earlier day that allows it. Undefined when no day within two weeks does.
 */
export function latestAllowedMomentBefore(plannedAt: Date, limit: Date, cal: SendingCalendar): Date | undefined {
  const local = DateTime.fromJSDate(plannedAt, { zone: cal.timezone });
  const start = timeOfDayMillis(cal.window.start);
  // The window's end is exclusive: the last minute before it is the latest one a day allows.
  const lastMinute = timeOfDayMillis(cal.window.end) - 60_000;
  const clock = Math.min(Math.max(clockOf(local), start), lastMinute);
  const before = Math.min(plannedAt.getTime(), limit.getTime());
  for (let back = 0; back <= BRING_FORWARD_DAYS; back++) {
    const candidate = firstMomentAtOrAfter(addCalendarDays(local.toISODate() as string, -back), clock, cal.timezone);
    if (candidate.getTime() < before && isAllowedMoment(candidate, cal)) return candidate;
  }
  return undefined;
}

/**
 * The first instant of `localDate` whose local clock shows `millisOfDay` (since midnight) or later:
 * the earlier of two readings when clocks fall back, the moment of the jump when spring skips it.
 */
export function firstMomentAtOrAfter(localDate: string, millisOfDay: number, timezone: string): Date {
  const wallAsUtc = civilDate(localDate).epochMs + millisOfDay;
  // Luxon resolves a skipped time forwards and a repeated one to its later reading; check both offsets.
  const probe = DateTime.fromMillis(wallAsUtc, { zone: 'utc' }).setZone(timezone, { keepLocalTime: true });
  const offsets = new Set([probe.minus({ hours: 6 }).offset, probe.offset, probe.plus({ hours: 6 }).offset]);
  const readings = [...offsets]
    .map((offset) => DateTime.fromMillis(wallAsUtc - offset * 60_000, { zone: timezone }))
    .filter((reading) => reading.toISODate() === localDate && clockOf(reading) === millisOfDay)
    .map((reading) => reading.toMillis());
  if (readings.length > 0) return new Date(Math.min(...readings));
  let moment = probe;
  for (;;) {
    const earlier = moment.minus({ minutes: 1 });
    if (earlier.toISODate() !== localDate || clockOf(earlier) < millisOfDay) return moment.toJSDate();
    moment = earlier;
  }
}

/** The local calendar date of an instant, as YYYY-MM-DD. */
export function localDateIn(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toISODate() as string;
}

/** The local clock reading of an instant, as milliseconds since local midnight. */
export function localMillisOfDay(instant: Date, timezone: string): number {
  return clockOf(DateTime.fromJSDate(instant, { zone: timezone }));
}

/** 'HH:MM' (00:00 to 24:00) as milliseconds since local midnight; throws on anything else. */
export function timeOfDayMillis(time: string): number {
  const match = timeOfDayPattern.exec(time);
  if (!match || (match[1] === '24' && match[2] !== '00')) throw new RangeError(`not a time of day (HH:MM): ${time}`);
  return (Number(match[1]) * 60 + Number(match[2])) * 60_000;
}

function clockOf(local: DateTime): number {
  return ((local.hour * 60 + local.minute) * 60 + local.second) * 1000 + local.millisecond;
}

function civilDate(localDate: string): { year: number; epochMs: number } {
  if (!isLocalDate(localDate)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${localDate}`);
  const [year, month, day] = localDate.split('-').map(Number) as [number, number, number];
  return { year, epochMs: Date.UTC(year, month - 1, day) };
}
