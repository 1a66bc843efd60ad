import { describe, expect, it } from 'vitest';
import { formatMoment } from '../../src/cli/output';

describe('formatMoment', () => {
  it('shows a due date of 15 January on 15 January in Berlin, not as the UTC evening before midnight', () => {
    expect(formatMoment('2027-01-15T22:59:59.999Z', 'Europe/Berlin')).toBe('2027-01-15 23:59 (Fri)');
  });

  it('follows summer time and takes Dates as well as ISO strings with offsets', () => {
    expect(formatMoment(new Date('2027-07-01T06:00:00Z'), 'Europe/Berlin')).toBe('2027-07-01 08:00 (Thu)');
    expect(formatMoment('2027-03-28T08:00:00+02:00', 'Europe/Berlin')).toBe('2027-03-28 08:00 (Sun)');
    expect(formatMoment('2027-03-28T00:30:00Z', 'Europe/Berlin')).toBe('2027-03-28 01:30 (Sun)');
    expect(formatMoment('2027-03-28T01:30:00Z', 'Europe/Berlin')).toBe('2027-03-28 03:30 (Sun)');
  });

  it('leaves a missing moment empty', () => {
    expect(formatMoment(undefined, 'Europe/Berlin')).toBe('');
    expect(formatMoment(null, 'Europe/Berlin')).toBe('');
  });
});
