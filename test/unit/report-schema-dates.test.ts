import fc from 'fast-check';
import { isLocalDate } from '../../src/domain/local-date';
import { describe, expect, it } from 'vitest';
import {
  closedPeriodSchema,
  earliestDay,
  fuzzyDateSchema,
  latestDay,
  parseFuzzyDate,
  periodSchema,
  type FuzzyDate,
} from '../../src/domain/fuzzy-date';

const fuzzy = (date: FuzzyDate) => fuzzyDateSchema.parse(date);

describe('fuzzy dates as partners write them', () => {
  it('spans the months a part of the year names ("bis Frühjahr 2018")', () => {
    const spring = fuzzy({ year: 2018, part: 'fruehjahr', bound: 'bis', text: 'bis Frühjahr 2018' });
    expect([earliestDay(spring), latestDay(spring)]).toEqual([20180301, 20180531]);
    const autumn = fuzzy({ year: 2018, part: 'herbst', bound: 'ab', text: 'ab Herbst 2018' });
    expect([earliestDay(autumn), latestDay(autumn)]).toEqual([20180901, 20181130]);
  });

  it('spans a whole year, a whole month, or one day', () => {
    expect([earliestDay(fuzzy({ year: 2015 })), latestDay(fuzzy({ year: 2015 }))]).toEqual([20150101, 20151231]);
    expect(latestDay(fuzzy({ year: 2016, month: 2 }))).toBe(20160229);
    expect([earliestDay(fuzzy({ year: 2018, month: 7, day: 5 })), latestDay(fuzzy({ year: 2018, month: 7, day: 5 }))]).toEqual([
      20180705, 20180705,
    ]);
  });

  it('refuses a day without a month, a day the month lacks, and a month with a part of the year', () => {
    const issues = (date: unknown) => fuzzyDateSchema.safeParse(date).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ year: 2018, day: 5 })).toEqual(['month: is required when a day is given']);
    expect(issues({ year: 2019, month: 2, day: 29 })).toEqual(['day: must be at most 28 in that month']);
    expect(issues({ year: 2018, month: 3, part: 'fruehjahr' })).toEqual(['part: must not be given together with a month']);
  });

  it('narrows "Anfang/Mitte/Ende" of a year or a month to its third', () => {
    const span = (date: FuzzyDate) => [earliestDay(date), latestDay(date)];
    expect(span(fuzzy({ year: 2017, phase: 'ende', text: 'Ende 2017' }))).toEqual([20170901, 20171231]);
    expect(span(fuzzy({ year: 2016, phase: 'anfang', text: 'Anfang 2016' }))).toEqual([20160101, 20160430]);
    expect(span(fuzzy({ year: 2019, month: 3, phase: 'mitte', text: 'Mitte März 2019' }))).toEqual([20190311, 20190320]);
    expect(span(fuzzy({ year: 2019, month: 2, phase: 'ende', text: 'Ende Februar 2019' }))).toEqual([20190221, 20190228]);
  });

  it('refuses "Anfang/Mitte/Ende" of a day or of a part of the year, and an unknown phase', () => {
    const issues = (date: unknown) => fuzzyDateSchema.safeParse(date).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ year: 2018, month: 3, day: 5, phase: 'ende' })).toEqual(['phase: belongs to a month or a year, not to a day or a part of the year']);
    expect(issues({ year: 2018, part: 'herbst', phase: 'anfang' })).toEqual(['phase: belongs to a month or a year, not to a day or a part of the year']);
    expect(fuzzyDateSchema.safeParse({ year: 2018, phase: 'spaet' }).success).toBe(false);
  });

  it('reads dates as printed, with one parser, keeping the words', () => {
    expect(parseFuzzyDate('Ende 2018')).toEqual({ year: 2018, phase: 'ende', text: 'Ende 2018' });
    expect(parseFuzzyDate('Seit Anfang 2016')).toEqual({ year: 2016, phase: 'anfang', bound: 'seit', text: 'Seit Anfang 2016' });
    expect(parseFuzzyDate('Mitte März 2019')).toEqual({ year: 2019, month: 3, phase: 'mitte', text: 'Mitte März 2019' });
    expect(parseFuzzyDate('28.06.2017')).toEqual({ year: 2017, month: 6, day: 28, text: '28.06.2017' });
    expect(parseFuzzyDate('am 4. Februar 2019')).toBeUndefined(); // "am" is no bound we model; the caller keeps the text
    expect(parseFuzzyDate('4. Februar 2019')).toEqual({ year: 2019, month: 2, day: 4, text: '4. Februar 2019' });
    expect(parseFuzzyDate('bis Frühjahr 2018')).toEqual({ year: 2018, part: 'fruehjahr', bound: 'bis', text: 'bis Frühjahr 2018' });
    expect(parseFuzzyDate('2. Halbjahr 2018')).toEqual({ year: 2018, part: 'h2', text: '2. Halbjahr 2018' });
    expect(parseFuzzyDate('in 2018')).toEqual({ year: 2018, bound: 'im', text: 'in 2018' });
  });

  it('reads nothing it cannot be sure of, rather than guess', () => {
    for (const text of ['2017/18', 'im Berichtsjahr', 'derzeit', '30.02.2018', 'Ende 4. März 2018', 'Frühling', '']) {
      expect(parseFuzzyDate(text), text).toBeUndefined();
    }
  });

  it('accepts exactly the real calendar days as YYYY-MM-DD', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const real = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
        expect(isLocalDate(text)).toBe(real);
      }),
    );
    expect(isLocalDate('2018-7-5')).toBe(false);
  });

  it('orders every date within its own span', () => {
    const dates = fc
      .record({ year: fc.integer({ min: 1900, max: 2100 }), month: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }) })
      .map(({ year, month }) => fuzzy(month === undefined ? { year } : { year, month }));
    fc.assert(
      fc.property(dates, (date) => {
        expect(earliestDay(date)).toBeLessThanOrEqual(latestDay(date));
      }),
    );
  });
});

describe('periods', () => {
  it('read "2017/18" and "November 2017 bis Oktober 2018" as closed periods', () => {
    expect(closedPeriodSchema.safeParse({ from: { year: 2017 }, to: { year: 2018 }, text: '2017/18' }).success).toBe(true);
    expect(
      closedPeriodSchema.safeParse({ from: { year: 2017, month: 11 }, to: { year: 2018, month: 10 }, text: 'November 2017 bis Oktober 2018' })
        .success,
    ).toBe(true);
  });

  it('may be open at one end ("seit 2015") but a reporting period may not', () => {
    expect(periodSchema.safeParse({ from: { year: 2015 }, text: 'seit 2015' }).success).toBe(true);
    expect(closedPeriodSchema.safeParse({ from: { year: 2015 }, text: 'seit 2015' }).success).toBe(false);
  });

  it('accept overlapping fuzzy ends but refuse an end before the start', () => {
    expect(periodSchema.safeParse({ from: { year: 2018, month: 10 }, to: { year: 2018 }, text: 'Oktober bis 2018' }).success).toBe(true);
    expect(periodSchema.safeParse({ from: { year: 2018, month: 11 }, to: { year: 2018, part: 'herbst' }, text: 'x' }).success).toBe(true);
    expect(periodSchema.safeParse({ from: { year: 2018, month: 12 }, to: { year: 2018, part: 'herbst' }, text: 'x' }).success).toBe(false);
  });
});
