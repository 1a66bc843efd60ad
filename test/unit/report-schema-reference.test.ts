import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReportReference, reportReference } from '../../src/domain/reference-number';

describe('report reference numbers', () => {
  it('name year, partner and version: JB-2019-07-V2', () => {
    expect(reportReference({ year: 2019, partnerNumber: 7, version: 2 })).toBe('JB-2019-07-V2');
    expect(reportReference({ year: 2018, partnerNumber: 28, version: 1 })).toBe('JB-2018-28-V1');
    expect(reportReference({ year: 2018, partnerNumber: 123, version: 10 })).toBe('JB-2018-123-V10');
  });

  it('round-trip through parsing', () => {
    const parts = fc.record({
      year: fc.integer({ min: 2000, max: 2999 }),
      partnerNumber: fc.integer({ min: 1, max: 9999 }),
      version: fc.integer({ min: 1, max: 999 }),
    });
    fc.assert(
      fc.property(parts, (reference) => {
        const text = reportReference(reference);
        expect(parseReportReference(text)).toEqual({ ok: true, reference });
      }),
    );
  });

  it('give different versions, partners and years different references', () => {
    const texts = [
      reportReference({ year: 2019, partnerNumber: 7, version: 1 }),
      reportReference({ year: 2019, partnerNumber: 7, version: 2 }),
      reportReference({ year: 2019, partnerNumber: 17, version: 1 }),
      reportReference({ year: 2020, partnerNumber: 7, version: 1 }),
    ];
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('refuse to build from impossible parts', () => {
    expect(() => reportReference({ year: 2019, partnerNumber: 0, version: 1 })).toThrow(RangeError);
    expect(() => reportReference({ year: 2019, partnerNumber: 7, version: 0 })).toThrow(/version must be/);
    expect(() => reportReference({ year: 19, partnerNumber: 7, version: 1 })).toThrow(/year must be/);
    expect(() => reportReference({ year: 2019, partnerNumber: 7.5, version: 1 })).toThrow(/partner number/);
  });

  it('parse only the canonical spelling, so one version has one reference', () => {
    expect(parseReportReference('JB-2019-7-V2')).toEqual({ ok: false, error: '"JB-2019-7-V2" is not a report reference like JB-2019-07-V2' });
    expect(parseReportReference('JB-2019-007-V2')).toEqual({
      ok: false,
      error: '"JB-2019-007-V2" is not written canonically; it should read JB-2019-07-V2',
    });
    expect(parseReportReference('JB-2019-07-V02')).toEqual({
      ok: false,
      error: '"JB-2019-07-V02" is not written canonically; it should read JB-2019-07-V2',
    });
    expect(parseReportReference('jb-2019-07-v2').ok).toBe(false);
    expect(parseReportReference('JB-2019-00-V1')).toEqual({
      ok: false,
      error: '"JB-2019-00-V1": partner number must be a whole number from 1 to 9999',
    });
  });
});
