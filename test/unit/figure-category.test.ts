/** A figure's topic left open by the partner: accepted as not stated, counted as such in the statistics. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportToIndicatorFigures } from '../../src/documents/from-report';
import { parseReportSubmission } from '../../src/domain/report';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'reports', '02-kreis-lippe.json'), 'utf8')) as Record<string, unknown>;

/** The fixture with every figure's category replaced by `category`. */
function withCategories(category: unknown): unknown {
  return JSON.parse(JSON.stringify(fixture), (key, value: unknown) => (key === 'category' ? category : value));
}

describe('a figure whose topic is not stated', () => {
  it('is a valid report, and the statistics count it under "nicht angegeben" until staff classify it', () => {
    const open = parseReportSubmission(withCategories({ stated: false }));
    if (!open.ok) throw new Error(open.errors.join('\n'));
    const figures = reportToIndicatorFigures({ number: 2, organisation: 'Kreis Lippe' }, open.report);
    expect(figures.length).toBeGreaterThan(0);
    expect(new Set(figures.map((f) => f.category))).toEqual(new Set(['nicht angegeben']));

    const classified = parseReportSubmission(withCategories({ stated: false, assigned: { value: 'training', by: 'Jana Becker', at: '2027-04-02' } }));
    if (!classified.ok) throw new Error(classified.errors.join('\n'));
    expect(new Set(reportToIndicatorFigures({ number: 2, organisation: 'Kreis Lippe' }, classified.report).map((f) => f.category))).toEqual(new Set(['Fortbildung']));
  });

  it('refuses a topic that is neither a category nor not stated', () => {
    const wrong = parseReportSubmission(withCategories('sonstiges'));
    expect(wrong.ok ? [] : wrong.errors[0]).toMatch(/\.category: must be one of workforce_share, /);
  });
});
