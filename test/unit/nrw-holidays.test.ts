import { describe, expect, it } from 'vitest';
import { isPublicHoliday, isWorkingDay } from '../../src/domain/calendar';
import { nrwHolidayYears, nrwPublicHolidays } from '../../src/domain/nrw-holidays';
import { nrwPublicHolidaysFromLibrary } from '../support/nrw-holidays-source';

const years = Array.from({ length: nrwHolidayYears.last - nrwHolidayYears.first + 1 }, (_, i) => nrwHolidayYears.first + i);

describe('the generated NRW holiday table', () => {
  it('covers 1990 to 2100 without gaps', () => {
    expect(nrwHolidayYears).toEqual({ first: 1990, last: 2100 });
    expect(Object.keys(nrwPublicHolidays).map(Number)).toEqual(years);
  });

  // A date-holidays update that moves or adds a holiday fails here: rerun scripts/generate-nrw-holidays.ts.
  it.each(years)('lists exactly the public holidays date-holidays computes for %i', (year) => {
    const fromTable = (nrwPublicHolidays[year] ?? []).map((monthDay) => `${year}-${monthDay}`);
    expect(fromTable).toEqual(nrwPublicHolidaysFromLibrary(year));
  });

  it('is what the calendar asks', () => {
    expect(isPublicHoliday('2017-10-31')).toBe(true);
    expect(isPublicHoliday('2018-10-31')).toBe(false);
    expect(isPublicHoliday('2100-05-27')).toBe(true);
    expect(isWorkingDay('1990-10-03')).toBe(false);
  });

  it('refuses a year outside the table rather than calling every day a working day', () => {
    expect(() => isWorkingDay('2101-01-03')).toThrow('no NRW holiday table for 2101: it covers 1990 to 2100');
    expect(() => isPublicHoliday('1989-12-25')).toThrow(RangeError);
  });
});
