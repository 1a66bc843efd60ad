import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blocksWithPaths, parseReportSubmission, sectionsWithPaths, type ReportSubmission } from '../../src/domain/report';
import { figureRows, type FigureRow } from '../../src/domain/report-figures';

/**
 * The seed reports entered as fixtures, checked against what the seed text holds: every heading
 * and every figure the extraction of the compiled report found must be expressed in the fixture.
 */

type Extract = {
  partnerNumber: number;
  organisation: string;
  kind: string;
  fixture: string;
  headings: { text: string; level: number }[];
  figures: { value: string; qualifier: string | null; numeric: number | null; unit: string; line: number }[];
  additionalFigures: { label: string; line: number; why: string }[];
};

const extracts = (JSON.parse(readFileSync(new URL('../fixtures/seed-report-extracts.json', import.meta.url), 'utf8')) as { reports: Extract[] }).reports;

function fixture(name: string): ReportSubmission {
  const parsed = parseReportSubmission(JSON.parse(readFileSync(new URL(`../fixtures/reports/${name}`, import.meta.url), 'utf8')));
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.report;
}

/** The number a row holds for an extracted figure; "9,6 Millionen" was extracted as 9600000. */
function sameNumber(row: FigureRow, numeric: number): boolean {
  if (row.number === null) return false;
  if (Math.abs(row.number - numeric) < 1e-9) return true;
  return row.unit?.startsWith('Millionen') === true && Math.abs(row.number * 1_000_000 - numeric) < 1e-3;
}

describe('seed reports as fixtures', () => {
  it('cover at least eight kinds of partner, including each kind the issue names', () => {
    const kinds = new Set(extracts.map((extract) => extract.kind));
    for (const kind of ['district_government', 'municipality', 'police', 'association', 'company', 'job_centre', 'city_cooperation', 'chamber']) {
      expect(kinds, kind).toContain(kind);
    }
    expect(extracts.length).toBeGreaterThanOrEqual(8);
  });

  describe.each(extracts.map((extract) => [`${extract.partnerNumber} ${extract.organisation}`, extract] as const))('%s', (_, extract) => {
    const report = fixture(extract.fixture);

    it(`has the ${extract.headings.length} headings of the seed, verbatim, at their levels and in order`, () => {
      const headings = sectionsWithPaths(report).map(({ section }) => ({ text: section.heading, level: section.level }));
      expect(headings).toEqual(extract.headings.map(({ text, level }) => ({ text, level })));
    });

    it(`expresses each of the ${extract.figures.length} figures of the seed as printed`, () => {
      const rows = figureRows(report);
      expect(rows).toHaveLength(extract.figures.length + extract.additionalFigures.length);
      const unmatched = [...rows];
      for (const figure of extract.figures) {
        const index = unmatched.findIndex(
          (row) =>
            row.printed !== null &&
            row.printed.toLowerCase().includes(figure.value.toLowerCase()) &&
            (figure.numeric === null || sameNumber(row, figure.numeric)),
        );
        expect(index, `figure "${figure.qualifier ?? ''} ${figure.value} ${figure.unit}" (line ${figure.line})`).toBeGreaterThanOrEqual(0);
        unmatched.splice(index, 1);
      }
      expect(unmatched.map((row) => row.label)).toEqual(extract.additionalFigures.map((figure) => figure.label));
    });

    it('prints every figure in the text of the block it belongs to', () => {
      for (const { block, path } of blocksWithPaths(report)) {
        if (block.kind !== 'text' && block.kind !== 'measure') continue;
        const text = block.kind === 'text' ? block.text : block.description;
        for (const figure of block.figures ?? []) {
          if (figure.value !== undefined) expect(text, path.join('.')).toContain(figure.value.printed);
        }
      }
    });

    it('is cleaned of the PDF’s bullets, line breaks and hyphenation', () => {
      const texts = blocksWithPaths(report).flatMap(({ block }) =>
        block.kind === 'text' ? [block.text] : block.kind === 'measure' ? [block.description] : [],
      );
      for (const text of texts) {
        expect(text).not.toMatch(/(^|\s)JJ\s/);
        // a line break inside a paragraph; paragraphs and list items are the only breaks
        expect(text).not.toMatch(/[^\n]\n(?![\n]|\s*- ?|\s*-$)/);
        // a word split at a line end: "Wer- beveranstaltungen"; "Informations- und …" is a real hyphen
        expect(text).not.toMatch(/[a-zäöüß]- (?!und |oder |bzw\.|sowie |aber |als )[a-zäöüß]/);
      }
    });
  });
});
