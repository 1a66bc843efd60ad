import Holidays from 'date-holidays';

const nrw = new Holidays('DE', 'NW');

/**
 * NRW's statutory public holidays of a year as date-holidays computes them (YYYY-MM-DD, sorted):
 * the source of src/domain/nrw-holidays.ts and the reference its test compares against.
 * Only 'public' days close offices; 'bank' days (24.12., 31.12.) and observances do not.
 */
export function nrwPublicHolidaysFromLibrary(year: number): string[] {
  const days = nrw
    .getHolidays(year)
    .filter((holiday) => holiday.type === 'public')
    .map((holiday) => holiday.date.slice(0, 10));
  return [...new Set(days)].sort();
}
