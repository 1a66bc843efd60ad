import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addWorkingDays,
  defaultSendingCalendar,
  firstMomentAtOrAfter,
  isAllowedMoment,
  isPublicHoliday,
  isWorkingDay,
  nextAllowedMoment,
  timeOfDayMillis,
  type SendingCalendar,
} from '../../src/domain/calendar';

const next = (iso: string, cal: SendingCalendar = defaultSendingCalendar) =>
  nextAllowedMoment(new Date(iso), cal).toISOString();

describe('NRW working days', () => {
  it.each([
    ['2019-04-18', true, 'Maundy Thursday is an ordinary working day'],
    ['2019-04-19', false, 'Good Friday'],
    ['2019-04-22', false, 'Easter Monday'],
    ['2019-05-01', false, 'Labour Day'],
    ['2019-05-30', false, 'Ascension'],
    ['2019-06-10', false, 'Whit Monday'],
    ['2019-06-20', false, 'Corpus Christi (Fronleichnam), a holiday in NRW'],
    ['2019-10-03', false, 'German Unity Day'],
    ['2019-10-31', true, 'Reformation Day is not a holiday in NRW'],
    ['2017-10-31', false, 'except for its 500th anniversary, a one-off nationwide holiday'],
    ['2019-11-01', false, 'All Saints (Allerheiligen), a holiday in NRW'],
    ['2019-11-20', true, 'Repentance Day is a holiday in Saxony only'],
    ['2019-12-24', true, 'Christmas Eve counts only as a bank half-day'],
    ['2019-12-25', false, 'Christmas Day'],
    ['2019-12-26', false, 'Boxing Day'],
    ['2019-12-31', true, "New Year's Eve counts only as a bank half-day"],
    ['2020-01-01', false, "New Year's Day"],
    ['2019-03-30', false, 'a Saturday'],
    ['2019-03-31', false, 'a Sunday'],
    ['2019-04-01', true, 'a plain Monday'],
    ['2020-02-29', false, 'a leap-day Saturday'],
    ['2024-02-29', true, 'a leap-day Thursday'],
  ])('%s is a working day: %s (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('counts only public holidays, not observances such as Rosenmontag or Allerseelen', () => {
    expect(isPublicHoliday('2019-03-04')).toBe(false);
    expect(isPublicHoliday('2019-11-02')).toBe(false);
    expect(isPublicHoliday('2019-11-01')).toBe(true);
  });

  it('reads an instant in the given zone: late Thursday UTC is already Good Friday in Berlin', () => {
    const instant = new Date('2019-04-18T22:30:00.000Z');
    expect(isWorkingDay(instant)).toBe(false);
    expect(isWorkingDay(instant, 'UTC')).toBe(true);
  });

  it('rejects dates that do not exist', () => {
    expect(() => isWorkingDay('2019-02-29')).toThrow('not a calendar date (YYYY-MM-DD): 2019-02-29');
    expect(() => isWorkingDay('29.02.2020')).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['2019-06-19', 1, '2019-06-21', 'skips Fronleichnam'],
    ['2019-06-21', -1, '2019-06-19', 'skips Fronleichnam backwards'],
    ['2019-10-31', 1, '2019-11-04', 'skips Allerheiligen and the weekend'],
    ['2019-04-18', 1, '2019-04-23', 'skips the Easter weekend from Good Friday to Easter Monday'],
    ['2019-04-23', -1, '2019-04-18', 'skips the Easter weekend backwards'],
    ['2019-12-23', 3, '2019-12-30', 'counts 24.12. but not 25./26.12.'],
    ['2019-12-31', 1, '2020-01-02', 'skips New Year across the year boundary'],
    ['2019-03-31', 1, '2019-04-01', 'from a Sunday, the next working day is Monday'],
    ['2019-03-30', -1, '2019-03-29', 'from a Saturday, the previous working day is Friday'],
    ['2019-03-25', 10, '2019-04-08', 'two full weeks'],
    ['2020-02-27', 2, '2020-03-02', 'over a leap-day weekend'],
    ['2019-03-31', 0, '2019-03-31', 'zero leaves even a Sunday unchanged'],
  ])('%s + %i working days = %s (%s)', (from, n, expected) => {
    expect(addWorkingDays(from, n)).toBe(expected);
  });

  it('refuses fractional counts', () => {
    expect(() => addWorkingDays('2019-04-01', 1.5)).toThrow('working days must be a whole number, not 1.5');
  });

  it('moves calendar days across month ends and leap days', () => {
    expect(addCalendarDays('2020-02-28', 1)).toBe('2020-02-29');
    expect(addCalendarDays('2019-02-28', 1)).toBe('2019-03-01');
    expect(addCalendarDays('2020-01-01', -1)).toBe('2019-12-31');
  });
});

describe('nextAllowedMoment (Europe/Berlin, window 08:00–17:00)', () => {
  it('returns an allowed instant unchanged', () => {
    expect(next('2019-03-28T09:15:00.000Z')).toBe('2019-03-28T09:15:00.000Z');
  });

  it('allows 16:59:59.999 but defers 17:00 exactly to the next working morning', () => {
    expect(next('2019-03-28T15:59:59.999Z')).toBe('2019-03-28T15:59:59.999Z');
    expect(next('2019-03-28T16:00:00.000Z')).toBe('2019-03-29T07:00:00.000Z');
  });

  it('defers 07:59 to 08:00 the same day', () => {
    expect(next('2019-03-28T06:59:00.000Z')).toBe('2019-03-28T07:00:00.000Z');
  });

  it('defers a Friday evening over the weekend, into summer time', () => {
    // 29.03.2019 17:00 CET; clocks go forward on Sunday 31.03.; Monday 08:00 CEST is 06:00Z.
    expect(next('2019-03-29T16:00:00.000Z')).toBe('2019-04-01T06:00:00.000Z');
  });

  it('defers the DST Sunday itself to Monday 08:00', () => {
    expect(next('2019-03-31T01:30:00.000Z')).toBe('2019-04-01T06:00:00.000Z');
    expect(next('2019-10-27T01:30:00.000Z')).toBe('2019-10-28T07:00:00.000Z');
  });

  it('defers a Friday evening over the weekend, back into winter time', () => {
    expect(next('2019-10-25T15:00:00.000Z')).toBe('2019-10-28T07:00:00.000Z');
  });

  it('defers over Easter: Thursday evening to Tuesday morning', () => {
    expect(next('2019-04-18T15:00:00.000Z')).toBe('2019-04-23T06:00:00.000Z');
  });

  it('defers over Christmas and New Year', () => {
    expect(next('2019-12-24T15:59:00.000Z')).toBe('2019-12-24T15:59:00.000Z');
    expect(next('2019-12-24T16:00:00.000Z')).toBe('2019-12-27T07:00:00.000Z');
    expect(next('2019-12-25T10:00:00.000Z')).toBe('2019-12-27T07:00:00.000Z');
    expect(next('2019-12-31T16:00:00.000Z')).toBe('2020-01-02T07:00:00.000Z');
  });

  it('defers over Fronleichnam and Allerheiligen', () => {
    expect(next('2019-06-19T15:00:00.000Z')).toBe('2019-06-21T06:00:00.000Z');
    expect(next('2019-10-31T17:30:00.000Z')).toBe('2019-11-04T07:00:00.000Z');
  });

  it('works in the calendar’s own zone and window', () => {
    const cal: SendingCalendar = { timezone: 'UTC', window: { start: '10:00', end: '12:00' } };
    expect(next('2019-03-28T09:00:00.000Z', cal)).toBe('2019-03-28T10:00:00.000Z');
    expect(next('2019-03-28T12:00:00.000Z', cal)).toBe('2019-03-29T10:00:00.000Z');
    expect(isAllowedMoment(new Date('2019-03-28T11:59:00.000Z'), cal)).toBe(true);
  });

  it('accepts a window ending at 24:00', () => {
    const cal: SendingCalendar = { timezone: 'Europe/Berlin', window: { start: '00:00', end: '24:00' } };
    expect(next('2019-03-28T22:59:59.999Z', cal)).toBe('2019-03-28T22:59:59.999Z');
    expect(next('2019-03-29T23:00:00.000Z', cal)).toBe('2019-03-31T22:00:00.000Z');
  });

  it('sends on weekends and holidays when the calendar allows every day, inside the same window', () => {
    const everyDay: SendingCalendar = { ...defaultSendingCalendar, days: 'every' };
    // Saturday 2019-04-20 18:00 Berlin: the working-day calendar waits for Tuesday after Easter Monday.
    expect(next('2019-04-20T16:00:00.000Z')).toBe('2019-04-23T06:00:00.000Z');
    expect(next('2019-04-20T16:00:00.000Z', everyDay)).toBe('2019-04-21T06:00:00.000Z');
    // Easter Monday inside the window goes out at once; before the window, at its start that day.
    expect(isAllowedMoment(new Date('2019-04-22T10:00:00.000Z'), everyDay)).toBe(true);
    expect(next('2019-04-22T04:00:00.000Z', everyDay)).toBe('2019-04-22T06:00:00.000Z');
    expect(isAllowedMoment(new Date('2019-04-22T16:00:00.000Z'), everyDay)).toBe(false);
  });
});

describe('firstMomentAtOrAfter', () => {
  it('keeps local wall time across DST changes', () => {
    expect(firstMomentAtOrAfter('2019-03-30', timeOfDayMillis('09:00'), 'Europe/Berlin').toISOString()).toBe(
      '2019-03-30T08:00:00.000Z',
    );
    expect(firstMomentAtOrAfter('2019-04-01', timeOfDayMillis('09:00'), 'Europe/Berlin').toISOString()).toBe(
      '2019-04-01T07:00:00.000Z',
    );
  });

  it('takes the moment clocks jump when spring skips the time', () => {
    // 02:30 does not exist on 31.03.2019; the first reading at or after it is 03:00 CEST.
    expect(firstMomentAtOrAfter('2019-03-31', timeOfDayMillis('02:30'), 'Europe/Berlin').toISOString()).toBe(
      '2019-03-31T01:00:00.000Z',
    );
  });

  it('takes the earlier reading when autumn repeats the time', () => {
    expect(firstMomentAtOrAfter('2019-10-27', timeOfDayMillis('02:30'), 'Europe/Berlin').toISOString()).toBe(
      '2019-10-27T00:30:00.000Z',
    );
  });
});

describe('timeOfDayMillis', () => {
  it('reads HH:MM up to 24:00 and rejects the rest', () => {
    expect(timeOfDayMillis('09:30')).toBe(34_200_000);
    expect(timeOfDayMillis('24:00')).toBe(86_400_000);
    expect(() => timeOfDayMillis('24:30')).toThrow('not a time of day (HH:MM): 24:30');
    expect(() => timeOfDayMillis('9:30')).toThrow(RangeError);
  });
});
