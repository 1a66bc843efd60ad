import Holidays from 'date-holidays';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  defaultSendingCalendar,
  isAllowedMoment,
  isWorkingDay,
  nextAllowedMoment,
  type SendingCalendar,
} from '../../src/domain/calendar';

/**
 * An independent oracle: local fields straight from Intl, holidays straight from date-holidays,
 * so the properties do not just check the calendar module against itself.
 */
const nrw = new Holidays('DE', 'NW');
const holidayYears = new Map<number, Set<string>>();
const oracleHoliday = (date: string) => {
  const year = Number(date.slice(0, 4));
  if (!holidayYears.has(year)) {
    holidayYears.set(year, new Set(nrw.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10))));
  }
  return holidayYears.get(year)?.has(date) ?? false;
};
const berlinParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
});
const oracleLocal = (instant: Date) => {
  const parts = Object.fromEntries(berlinParts.formatToParts(instant).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday: parts.weekday, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
};
const oracleWorkingDate = (date: string) => {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !oracleHoliday(date);
};
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
/** Whole minutes suffice: windows open and close on whole minutes. */
const oracleAllowed = (instant: Date, cal: SendingCalendar) => {
  const local = oracleLocal(instant);
  const seconds = (instant.getTime() / 1000) % 60;
  const clock = local.minutes + seconds / 60;
  return (
    local.weekday !== 'Sat' &&
    local.weekday !== 'Sun' &&
    !oracleHoliday(local.date) &&
    clock >= minutesOf(cal.window.start) &&
    clock < minutesOf(cal.window.end)
  );
};

const MINUTE = 60_000;
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Any instant 2000–2040, and instants within two days of a DST change (last Sundays of March and October). */
const instantArb = fc.oneof(
  fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T23:59:59Z'), noInvalidDate: true }),
  fc
    .record({
      year: fc.integer({ min: 2000, max: 2040 }),
      month: fc.constantFrom(3, 10),
      shift: fc.integer({ min: -2 * 24 * 60 * 60, max: 2 * 24 * 60 * 60 }),
    })
    .map(({ year, month, shift }) => {
      const lastDay = DateTime.fromObject({ year, month }, { zone: 'Europe/Berlin' }).endOf('month');
      const lastSunday = lastDay.minus({ days: lastDay.weekday % 7 }).startOf('day');
      return new Date(lastSunday.toMillis() + shift * 1000);
    }),
);

const calendarArb: fc.Arbitrary<SendingCalendar> = fc.oneof(
  fc.constant(defaultSendingCalendar),
  fc
    .integer({ min: 0, max: 1439 })
    .chain((start) => fc.integer({ min: start + 1, max: 1440 }).map((end) => [start, end] as const))
    .map(([start, end]) => ({ timezone: 'Europe/Berlin', window: { start: hhmm(start), end: hhmm(end) } })),
);

const localDateArb = fc
  .integer({ min: 0, max: 41 * 366 })
  .map((days) => new Date(Date.UTC(2000, 0, 1) + days * 86_400_000).toISOString().slice(0, 10));

describe('nextAllowedMoment properties', () => {
  it('agrees with the independent oracle on whether a moment is allowed', () => {
    fc.assert(
      fc.property(instantArb, calendarArb, (t, cal) => {
        expect(isAllowedMoment(t, cal)).toBe(oracleAllowed(t, cal));
      }),
      { numRuns: 2000 },
    );
  });

  it('is never earlier, lands on a working day inside the window, and is idempotent', () => {
    fc.assert(
      fc.property(instantArb, calendarArb, (t, cal) => {
        const next = nextAllowedMoment(t, cal);
        expect(next.getTime()).toBeGreaterThanOrEqual(t.getTime());
        expect(oracleAllowed(next, cal)).toBe(true);
        expect(isWorkingDay(next)).toBe(true);
        expect(nextAllowedMoment(next, cal).getTime()).toBe(next.getTime());
      }),
      { numRuns: 1000 },
    );
  });

  it('skips no allowed moment between the instant and the result', () => {
    // Allowed stretches start on whole minutes, so checking t and every whole minute before the result is exhaustive.
    fc.assert(
      fc.property(instantArb, calendarArb, (t, cal) => {
        const next = nextAllowedMoment(t, cal);
        if (next.getTime() === t.getTime()) return;
        expect(oracleAllowed(t, cal)).toBe(false);
        for (let m = Math.floor(t.getTime() / MINUTE + 1) * MINUTE; m < next.getTime(); m += MINUTE) {
          if (oracleAllowed(new Date(m), cal)) {
            throw new Error(`${new Date(m).toISOString()} is allowed but was skipped (t=${t.toISOString()})`);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('addWorkingDays properties', () => {
  it('lands on a working day and passes exactly n working days', () => {
    fc.assert(
      fc.property(localDateArb, fc.integer({ min: -40, max: 40 }).filter((n) => n !== 0), (date, n) => {
        const result = addWorkingDays(date, n);
        expect(oracleWorkingDate(result)).toBe(true);
        const [from, to] = n > 0 ? [date, result] : [result, date];
        let passed = 0;
        // Count working days in (from, to] going forward, or [from, to) going backward.
        for (let day = DateTime.fromISO(from, { zone: 'utc' }); day.toISODate()! < to || (n > 0 && day.toISODate() === to); day = day.plus({ days: 1 })) {
          const iso = day.toISODate()!;
          const counted = n > 0 ? iso !== from : iso !== to;
          if (counted && oracleWorkingDate(iso)) passed += 1;
        }
        expect(passed).toBe(Math.abs(n));
      }),
      { numRuns: 500 },
    );
  });

  it('is undone by the opposite count when starting on a working day', () => {
    fc.assert(
      fc.property(localDateArb.filter(oracleWorkingDate), fc.integer({ min: -60, max: 60 }), (date, n) => {
        expect(addWorkingDays(addWorkingDays(date, n), -n)).toBe(date);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the oracle on every day 2000–2040', () => {
    for (let day = DateTime.fromISO('2000-01-01', { zone: 'utc' }); day.year <= 2040; day = day.plus({ days: 1 })) {
      const iso = day.toISODate()!;
      if (isWorkingDay(iso) !== oracleWorkingDate(iso)) throw new Error(`${iso} disagrees`);
    }
  });
});
