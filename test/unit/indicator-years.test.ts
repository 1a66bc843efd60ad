import { describe, expect, it } from 'vitest';
import { indicatorYearsSection } from '../../src/documents/indicator-years';
import { indicatorTally, type IndicatorCategoryYear } from '../../src/domain/indicator-years';
import { reportSubmissionSchema } from '../../src/domain/report';
import { parsePrintedValue } from '../../src/domain/printed-value';
import { figureRows } from '../../src/domain/report-figures';
import { readFixture } from '../support/compiled-report-world';

/** A report whose only text block carries these figures, parsed as the compilation parses it. */
function rowsOf(...figures: Record<string, unknown>[]) {
  const report = readFixture('minimal.json') as { blocks: unknown[] };
  report.blocks.push({ kind: 'text', text: 'Kennzahlen des Jahres.', figures });
  return figureRows(reportSubmissionSchema.parse(report));
}

/** A measured figure as a partner prints it: the value read from its printed words. */
function figure(category: unknown, printed: string, unit: string | null, extra: Record<string, unknown> = {}) {
  return {
    label: `Kennzahl ${printed}`,
    category,
    value: parsePrintedValue(printed),
    unit: unit === null ? { stated: false } : unit,
    referenceDate: { stated: false },
    status: 'erhoben',
    ...extra,
  };
}

function category(summary: { categories: IndicatorCategoryYear[] }, key: string | null): IndicatorCategoryYear {
  const found = summary.categories.find((c) => c.category === key);
  if (!found) throw new Error(`no category ${String(key)}`);
  return found;
}

describe('indicators across partners for one year', () => {
  it('sums and takes the median of single measured numbers of one category and unit, and counts the partners who stated it', () => {
    const tally = indicatorTally(2018);
    tally.add(1, rowsOf(figure('training', '12', 'Kurse'), figure('training', 'rund 30', 'kurse ')));
    tally.add(2, rowsOf(figure('training', '4', 'Kurse')));
    tally.add(3, rowsOf(figure('hires', '2', 'Personen')));
    const training = category(tally.summary(), 'training');
    expect(tally.summary().partnersReporting).toBe(3);
    expect(training).toMatchObject({ partnersStated: 2, partnersNotStated: 1, partnersWithoutValue: 0, numbers: 3 });
    expect(training.comparable).toEqual([{ unit: 'Kurse', share: false, values: 3, partners: 2, approximate: 1, sum: 46, median: 12, min: 4, max: 30 }]);
  });

  it('counts ranges and thresholds as stated but never adds them up or takes their median', () => {
    const tally = indicatorTally(2018);
    tally.add(1, rowsOf(figure('language_services', '19 bis 30', 'Sprachen')));
    tally.add(2, rowsOf(figure('language_services', 'unter 25', 'Sprachen')));
    tally.add(3, rowsOf(figure('language_services', 'mindestens B2', 'Niveau')));
    tally.add(4, rowsOf(figure('language_services', '22', 'Sprachen')));
    const languages = category(tally.summary(), 'language_services');
    expect(languages).toMatchObject({ partnersStated: 4, partnersNotStated: 0, numbers: 1, ranges: 1, thresholds: 2 });
    expect(languages.comparable).toEqual([{ unit: 'Sprachen', share: false, values: 1, partners: 1, approximate: 0, sum: 22, median: 22, min: 22, max: 22 }]);
  });

  it('gives a median of shares but no sum, and leaves out numbers without a unit, "je" numbers and targets', () => {
    const tally = indicatorTally(2018);
    tally.add(1, rowsOf(figure('workforce_share', '25%', '%')));
    tally.add(2, rowsOf(figure('workforce_share', '26,5%', '%'), figure('workforce_share', '30', null)));
    tally.add(3, rowsOf(figure('workforce_share', '40%', '%', { status: 'ziel' }), figure('training', 'je 3', 'Kurse')));
    const shares = category(tally.summary(), 'workforce_share');
    expect(shares).toMatchObject({ partnersStated: 3, numbers: 4, targetsOrForecasts: 1 });
    expect(shares.comparable).toEqual([{ unit: '%', share: true, values: 2, partners: 2, approximate: 0, sum: undefined, median: 25.75, min: 25, max: 26.5 }]);
    expect(category(tally.summary(), 'training').comparable).toEqual([]);
  });

  it('counts a partner who named a figure without a value as not stated, and a partner who stated nothing too', () => {
    const tally = indicatorTally(2018);
    const toFollow = { label: 'Anteil', category: 'workforce_share', unit: '%', referenceDate: { stated: false }, status: 'nachgereicht_bis', dueAt: { year: 2019, month: 3 } };
    tally.add(1, rowsOf(toFollow));
    tally.add(2, rowsOf(figure('hires', '2', 'Personen')));
    // Partner 3 states the category once and leaves another of its figures open: it has stated it.
    tally.add(3, rowsOf(figure('workforce_share', '25%', '%'), toFollow));
    const shares = category(tally.summary(), 'workforce_share');
    expect(shares).toMatchObject({ partnersStated: 1, partnersNotStated: 2, partnersWithoutValue: 1 });
    // A category nobody stated still has its row: every partner is "not stated".
    expect(category(tally.summary(), 'evaluation')).toMatchObject({ partnersStated: 0, partnersNotStated: 3, comparable: [] });
  });

  it('counts a category staff assigned under that category, as staff\'s, and an open one under "not stated"', () => {
    const tally = indicatorTally(2018);
    const assigned = { stated: false, assigned: { value: 'hires', by: 'Referat 511', at: '2018-05-02' } };
    tally.add(1, rowsOf(figure(assigned, '3', 'Personen')));
    tally.add(2, rowsOf(figure('hires', '5', 'Personen'), figure({ stated: false }, '7', 'Personen')));
    const summary = tally.summary();
    expect(category(summary, 'hires')).toMatchObject({ partnersStated: 2, assignedByStaff: 1, comparable: [expect.objectContaining({ sum: 8, values: 2 })] });
    expect(category(summary, null)).toMatchObject({ partnersStated: 1, partnersNotStated: 1, comparable: [expect.objectContaining({ sum: 7 })] });
    expect(summary.categories.at(-1)?.category).toBeNull();
  });

  it('has no "category not stated" row when every figure has a category', () => {
    const tally = indicatorTally(2018);
    tally.add(1, rowsOf(figure('hires', '3', 'Personen')));
    expect(tally.summary().categories.map((c) => c.category)).not.toContain(null);
  });
});

describe('the statistics chapter\'s indicators across years', () => {
  it('prints "nicht angegeben" for a year without comparable values, and leaves a unit only one partner gave to the exports', async () => {
    const earlier = indicatorTally(2017);
    earlier.add(1, rowsOf(figure('training', '12', 'Kurse'), figure('hires', '2', 'Personen')));
    earlier.add(2, rowsOf(figure('training', '4', 'Kurse')));
    const later = indicatorTally(2018);
    later.add(1, rowsOf(figure('training', '19 bis 30', 'Kurse')));
    const section = await indicatorYearsSection([earlier.summary(), later.summary()]);
    const values = section.tables.find((t) => t.id === 'indicator-values');
    expect(values?.rows).toEqual([
      ['Fortbildung', 'Kurse', '2017', '2 (2)', '16', '8'],
      ['Fortbildung', 'Kurse', '2018', 'nicht angegeben', '–', '–'],
    ]);
    const years = section.tables.find((t) => t.id === 'indicator-years');
    expect(years?.rows).toContainEqual(['Fortbildung', '2018', '1 von 1 (100 %)', '0', '1 Spanne']);
    expect(years?.rows).toContainEqual(['Einstellungen', '2018', '0 von 1 (0 %)', '1', '–']);
    // The exports keep the group of one partner.
    const exported = section.figures.find((f) => f.id === 'indicator-values');
    expect(exported?.rows).toContainEqual([2017, 'Einstellungen', 'Personen', 'nein', 1, 1, 0, 2, 2, 2, 2]);
    expect(section.charts.map((c) => c.id)).toEqual(['indicator-years']);
  });
});
