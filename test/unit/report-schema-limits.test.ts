import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonByteLength } from '../../src/domain/partner-input';
import { maxReportBytes, parseReportSubmission } from '../../src/domain/report';

const minimal = JSON.parse(readFileSync(new URL('../fixtures/reports/minimal.json', import.meta.url), 'utf8'));

/** A report whose sections hold `count` measures with descriptions of `length` characters each. */
function reportOfSize(count: number, length: number, character = 'ä') {
  const blocks = Array.from({ length: count }, (_, index) => ({
    kind: 'measure',
    title: `Maßnahme ${index + 1}`,
    fieldOfAction: 'SONSTIGES',
    status: 'laufend',
    description: character.repeat(length),
  }));
  return { ...minimal, sections: [{ ...minimal.sections[0], blocks }] };
}

describe('size limits against hostile bodies', () => {
  it('refuses a report over 256 KiB even when every field is within its own limit', () => {
    // 30 descriptions of 5,000 "ä" (2 bytes each in UTF-8) make 297 KiB with the rest of the report.
    const report = reportOfSize(30, 5_000);
    expect(jsonByteLength(report)).toBeGreaterThan(maxReportBytes);
    expect(parseReportSubmission(report)).toEqual({ ok: false, errors: ['(input): is 297 KiB; must be at most 256 KiB'] });
  });

  it('accepts a long report just under the limit', () => {
    const report = reportOfSize(25, 5_000);
    expect(jsonByteLength(report)).toBeLessThan(maxReportBytes);
    expect(parseReportSubmission(report).ok).toBe(true);
  });

  it('counts bytes, not characters', () => {
    const ascii = reportOfSize(30, 5_000, 'a');
    expect(parseReportSubmission(ascii).ok).toBe(true);
    expect(parseReportSubmission(reportOfSize(30, 5_000, 'ä')).ok).toBe(false);
  });

  it('bounds single texts and lists', () => {
    const longDescription = reportOfSize(1, 20_001, 'a');
    expect(parseReportSubmission(longDescription)).toEqual({
      ok: false,
      errors: ['sections[0].blocks[0].description: must be at most 20000 characters'],
    });
    const manySections = { ...minimal, sections: Array.from({ length: 31 }, () => minimal.sections[0]) };
    expect(parseReportSubmission(manySections)).toEqual({ ok: false, errors: ['sections: must have at most 30 entries'] });
  });

  it('refuses what is not plain JSON data', () => {
    const cyclic: Record<string, unknown> = { ...minimal };
    cyclic['self'] = cyclic;
    expect(parseReportSubmission(cyclic)).toEqual({ ok: false, errors: ['(input): must be plain JSON data'] });
  });

  it('reports at most 50 problems, then says how many more there are', () => {
    const blocks = Array.from({ length: 60 }, () => ({ kind: 'measure', title: 'M', fieldOfAction: 'SONSTIGES', status: 'erledigt', description: 'D' }));
    const parsed = parseReportSubmission({ ...minimal, sections: [{ ...minimal.sections[0], blocks }] });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toHaveLength(51);
    expect(parsed.errors[49]).toMatch(/^sections\[0\]\.blocks\[49\]\.status: must be one of /);
    expect(parsed.errors[50]).toBe('(input): and 10 more problems');
  });
});

describe('text the partner submits', () => {
  const withHeading = (heading: string) => ({ ...minimal, sections: [{ ...minimal.sections[0], heading }] });

  it('is kept verbatim, surrounding spaces included', () => {
    const parsed = parseReportSubmission(withHeading(' Abbau von Zugangsbarrieren '));
    expect(parsed.ok && parsed.report.sections[0]?.heading).toBe(' Abbau von Zugangsbarrieren ');
  });

  it('refuses control characters that PostgreSQL or a renderer would choke on', () => {
    expect(parseReportSubmission(withHeading('Zugang\u0000'))).toEqual({
      ok: false,
      errors: ['sections[0].heading: must not contain control characters'],
    });
  });

  it('refuses line breaks in headings but keeps them in free text', () => {
    expect(parseReportSubmission(withHeading('Abbau von\nZugangsbarrieren'))).toEqual({
      ok: false,
      errors: ['sections[0].heading: must be a single line'],
    });
    expect(parseReportSubmission({ ...minimal, blocks: [{ kind: 'text', text: 'Erster Absatz.\n\n- ein Punkt\n- ein zweiter Punkt' }] }).ok).toBe(true);
  });
});
