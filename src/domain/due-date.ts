/**
 * Where a due date (a calendar date in the ministry's time zone) becomes a moment in time.
 * A report due on 31.03. is on time until the end of that local day.
 */
import { DateTime } from 'luxon';
import { addWorkingDays, localDateIn } from './calendar';
import { parseDuration, wholeDays } from './duration';


/** The last millisecond of `localDate` in `zone`. */
export function dueAtEndOfDay(localDate: string, zone: string): Date {
  const day = DateTime.fromISO(localDate, { zone });
  if (!day.isValid) throw new RangeError(`not a calendar date: ${localDate}`);
  return day.endOf('day').toJSDate();
}

/**
 * When a revision is due: `period` after `requestedAt`. Whole days land at the end of a local day
 * (counted in calendar or NRW working days); shorter periods (drills) are exact.
 */
export function revisionDueAt(
  requestedAt: Date,
  period: { duration: string; count: 'calendar' | 'working' },
  zone: string,
): Date {
  const duration = parseDuration(period.duration);
  if (duration.granularity === 'time') return new Date(requestedAt.getTime() + duration.milliseconds);
  const start = localDateIn(requestedAt, zone);
  // Working days are counted only for whole days (the policy schema makes sure of that).
  const end =
    period.count === 'working'
      ? addWorkingDays(start, wholeDays(duration) ?? 0)
      : (DateTime.fromISO(start, { zone: 'utc' })
          .plus({ years: duration.years, months: duration.months, weeks: duration.weeks, days: duration.days })
          .toISODate() as string);
  return dueAtEndOfDay(end, zone);
}
