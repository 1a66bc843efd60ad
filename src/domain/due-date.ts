/**
 * Where a due date (a calendar date in the ministry's time zone) becomes a moment in time.
 * A report due on 31.03. is on time until the end of that local day.
 */
import { DateTime, Duration } from 'luxon';
import { addWorkingDays, localDateIn } from './calendar';

// Kept apart from the calendar (and its holiday tables) so the CLI can check dates without loading them.
export { isLocalDate } from './local-date';

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
  const duration = Duration.fromISO(period.duration);
  if (!duration.isValid) throw new RangeError(`not an ISO-8601 duration: ${period.duration}`);
  const { hours = 0, minutes = 0, seconds = 0, milliseconds = 0 } = duration.toObject();
  if (hours || minutes || seconds || milliseconds) {
    return new Date(requestedAt.getTime() + duration.as('milliseconds'));
  }
  const start = localDateIn(requestedAt, zone);
  const days = Math.round(duration.shiftTo('days').days);
  const end =
    period.count === 'working'
      ? addWorkingDays(start, days)
      : (DateTime.fromISO(start, { zone }).plus({ days }).toISODate() as string);
  return dueAtEndOfDay(end, zone);
}
