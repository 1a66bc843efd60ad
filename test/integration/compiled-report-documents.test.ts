import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { compileReport, memoryChapterSink } from '../../src/documents/compile';
import { statisticsSummary, type CompiledReport, type PartnerChapter } from '../../src/documents/model';
import { figureTables } from '../../src/documents/render/figures';
import { renderAllFormats, renderTextFormats, startRenderPool, type Artefact } from '../../src/documents/render/index';
import { loadReportTexts } from '../../src/documents/texts';
import { provisionVeraPdf, validatePdfA2b } from '../../src/documents/verapdf';
import { cycleStories, demoPartners, fixturePartners, fixtureReports, readFixture } from '../support/compiled-report-world';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The overview as printed in the network's 2018 report ("Stand 30.09.2018"): number and accession date. */
const seedOverview: [number, string][] = [
  [1, '26.03.2012'], [2, '15.08.2012'], [3, '23.08.2012'], [4, '23.08.2012'], [5, '14.11.2012'], [6, '28.11.2012'],
  [7, '28.11.2012'], [8, '07.01.2013'], [9, '13.03.2013'], [10, '13.03.2013'], [11, '05.06.2013'], [12, '09.07.2013'],
  [13, '18.07.2013'], [14, '18.11.2013'], [15, '16.07.2014'], [16, '21.04.2015'], [17, '13.05.2015'], [18, '27.05.2015'],
  [19, '27.05.2015'], [20, '28.05.2015'], [21, '03.11.2015'], [22, '25.08.2016'], [23, '28.09.2016'], [24, '26.11.2016'],
  [25, '18.01.2017'], [26, '01.12.2017'], [27, '14.03.2018'], [28, '13.09.2018'],
];

const headingOf = (number: number) => demoPartners.find((p) => p.number === number)?.reportHeading;

/** Counts every figure in a report fixture by walking its JSON, independent of the mapping under test. */
function countFigures(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countFigures(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  return Object.entries(value).reduce(
    (sum, [key, child]) => sum + (key === 'figures' && Array.isArray(child) ? child.length : 0) + countFigures(child),
    0,
  );
}

describe('the compiled report of the seed fixtures', () => {
  let dir: string;
  let report: CompiledReport;
  let chapters: PartnerChapter[];
  let artefacts: Artefact[];
  const file = (suffix: string) => join(dir, `jahresbericht-2018${suffix}`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'partnerflow-compiled-'));
    report = await compileReport({
      year: 2018,
      asOf: '2018-09-30',
      texts: loadReportTexts(),
      partners: fixturePartners(),
      reports: fixtureReports(),
      sink: memoryChapterSink(),
    });
    chapters = [];
    for await (const chapter of report.chapters()) chapters.push(chapter);
    artefacts = await renderAllFormats(report, dir, { createdAt: new Date('2018-10-01T08:00:00Z') });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has one chapter per accepted report, in order of accession, headed with the stored genitive', () => {
    expect(chapters.map((c) => c.number)).toEqual([2, 9, 16, 22]);
    expect(chapters.map((c) => c.heading)).toEqual([2, 9, 16, 22].map(headingOf));
    expect(chapters[0]?.heading).toBe('Bericht des Kreises Lippe');
  });

  it('leaves out the report that was submitted but not accepted, and lists it with every other missing partner', () => {
    expect(chapters.some((c) => c.number === 5)).toBe(false);
    expect(report.missing.find((m) => m.number === 5)).toEqual({ number: 5, organisation: 'Kreis Soest', standing: 'submitted' });
    expect(report.missing.find((m) => m.number === 6)?.standing).toBe('overdue');
    expect(report.missing).toHaveLength(28 - 4);
    expect(new Set([...report.missing.map((m) => m.number), ...chapters.map((c) => c.number)]).size).toBe(28);
  });

  it('prints the overview as the seed does: all 28 partners by accession, ties by number, "Stand 30.09.2018"', () => {
    const rows = report.overview.rows.map((r) => [r.number, r.accessionDate.split('-').reverse().join('.')]);
    expect(rows).toEqual(seedOverview);
    expect(report.overview.rows.find((r) => r.number === 12)?.memberCities).toContain('Mülheim an der Ruhr');
    const markdown = readFileSync(file('.md'), 'utf8');
    expect(markdown).toContain('| 1 | Bezirksregierung Arnsberg | 26.03.2012 |');
    expect(markdown).toContain('| 12 | Städtekooperation Integration. Interkommunal (mit den Städten Bochum, Bottrop,');
    expect(markdown).toContain('Stand 30.09.2018');
    // The preface counts the partners from the same rows as the table.
    expect(markdown).toContain('mittlerweile 28 Behörden, Verbände und Unternehmen');
  });

  it('shows what a partner did not state as "nicht angegeben" in every document format', async () => {
    const followUp = report.indicatorFigures.find((f) => f.number === 9);
    expect(followUp).toMatchObject({ value: { stated: false }, valueText: { stated: false } });
    expect(followUp?.note).toEqual({ stated: true, value: 'wird nachgereicht bis März 2019' });
    const html = readFileSync(file('.html'), 'utf8');
    const gelsenkirchen = html.slice(html.indexOf('id="partner-9"'), html.indexOf('id="partner-16"'));
    expect(gelsenkirchen).toContain('nicht angegeben (wird nachgereicht bis März 2019)');
    expect(readFileSync(file('.md'), 'utf8')).toContain('nicht angegeben (wird nachgereicht bis März 2019)');
    const docxText = (await mammoth.extractRawText({ path: file('.docx') })).value;
    expect(docxText).toContain('nicht angegeben (wird nachgereicht bis März 2019)');
    // Lippe states its reporting period but not who wrote the report.
    const lippe = html.slice(html.indexOf('id="partner-2"'), html.indexOf('id="partner-9"'));
    expect(lippe).toContain('<strong>Berichtszeitraum:</strong> 2017/18');
    expect(lippe).toMatch(/<strong>Verfasst von:<\/strong> <[^>]+>nicht angegeben/);
  });

  it('marks a field of action the ministry assigned as the ministry\'s, not the partner\'s', async () => {
    const html = readFileSync(file('.html'), 'utf8');
    const gelsenkirchen = html.slice(html.indexOf('id="partner-9"'), html.indexOf('id="partner-16"'));
    expect(gelsenkirchen).toContain('<strong>Handlungsfeld (Zuordnung Ministerium):</strong> Strategie und Steuerung');
    expect(readFileSync(file('.md'), 'utf8')).toContain('*Handlungsfeld (Zuordnung Ministerium):* Strategie und Steuerung');
    const docxText = (await mammoth.extractRawText({ path: file('.docx') })).value;
    expect(docxText).toContain('Handlungsfeld (Zuordnung Ministerium): Strategie und Steuerung');
  });

  it('has figures that add up to the stories of the cycle and the fixtures', () => {
    const s = report.statistics;
    const submitted = Object.values(cycleStories).filter((story) => story.submittedAt !== undefined).length;
    expect(s.submitted).toEqual({ count: submitted, of: 28 });
    expect(s.accepted).toEqual({ count: 4, of: 28 });
    expect(s.onTime).toEqual({ count: 3, of: submitted });
    expect(s.remindersSent).toBe(1 + 3 + 2 + 2);
    expect(s.partnersEscalated).toEqual({ count: 3, of: 28 });
    expect(s.standings.reduce((sum, x) => sum + x.partners, 0)).toBe(28);
    const expectedIndicators =
      countFigures(readFixture('02-kreis-lippe.json')) +
      countFigures(readFixture('16-landschaftsverband-rheinland.json')) +
      countFigures(readFixture('22-bezirksregierung-muenster.json')) +
      1;
    expect(report.indicatorFigures).toHaveLength(expectedIndicators);
    expect(s.indicators.reduce((sum, c) => sum + c.stated + c.notStated, 0)).toBe(expectedIndicators);
    expect(s.indicators.reduce((sum, c) => sum + c.notStated, 0)).toBe(1);
    // Listed by partner in accession order, though the reports arrived newest first.
    expect([...new Set(report.indicatorFigures.map((f) => f.number))]).toEqual([2, 9, 16, 22]);
  });

  it('exports the same figures to CSV, XLSX and JSON', async () => {
    const tables = figureTables(report);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file('-zahlen.xlsx'));
    for (const table of tables) {
      const expected = [...table.rows()].map((row) => row.map(String));
      const csv = parseCsv(readFileSync(file(`-zahlen-${table.id}.csv`), 'utf8'), { bom: true }) as string[][];
      expect(csv[0]).toEqual(table.columns);
      expect(csv.slice(1)).toEqual(expected);
      const sheet = workbook.getWorksheet(table.title);
      const values: string[][] = [];
      // An empty cell has no value in the sheet; read it back as the empty string it was written from.
      sheet?.eachRow((row) =>
        values.push(table.columns.map((_column, index) => String((row.values as unknown[])[index + 1] ?? ''))),
      );
      expect(values[0]).toEqual(table.columns);
      expect(values.slice(1)).toEqual(expected);
    }
    const json = JSON.parse(readFileSync(file('-zahlen.json'), 'utf8')) as Record<string, unknown>;
    expect(json).toEqual({
      year: 2018,
      asOf: '2018-09-30',
      statistics: report.statistics,
      statisticsFigures: report.statisticsFigures,
      missing: report.missing,
      partners: report.partnerFigures,
      indicators: report.indicatorFigures,
    });
    // With the indicators per year: two more CSV files (indicator-years, indicator-values) and a chart.
    expect(artefacts.map((a) => a.format).sort()).toEqual(['csv', 'csv', 'csv', 'csv', 'csv', 'docx', 'html', 'json', 'md', 'pdf', 'svg', 'svg', 'svg', 'svg', 'xlsx']);
  });

  it('writes the same figure files whether the JSON and CSV part runs on this thread (one render thread) or on a second thread', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'partnerflow-compiled-two-threads-'));
    const pool = startRenderPool(2);
    try {
      const written = await renderTextFormats(report, elsewhere, { pool });
      const textFiles = written.filter((a) => a.format === 'json' || a.format === 'csv' || a.format === 'html' || a.format === 'md');
      expect(textFiles.length).toBeGreaterThan(4);
      for (const artefact of textFiles) {
        expect(readFileSync(join(elsewhere, artefact.fileName), 'utf8'), artefact.fileName).toBe(readFileSync(join(dir, artefact.fileName), 'utf8'));
      }
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(join(elsewhere, 'jahresbericht-2018-zahlen.xlsx'));
      expect(workbook.worksheets.map((sheet) => sheet.rowCount)).toEqual(figureTables(report).map((table) => [...table.rows()].length + 1));
    } finally {
      await pool.close();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('prints the year’s summary alike in DOCX, HTML and Markdown: every label beside its value, a rate with its percentage', async () => {
    const rows = statisticsSummary(report.statistics);
    expect(rows.some(([, value]) => / von \d+ \(\d+(,\d)? %\)$/.test(value))).toBe(true);
    const docx = (await mammoth.extractRawText({ path: file('.docx') })).value;
    const html = readFileSync(file('.html'), 'utf8');
    const markdown = readFileSync(file('.md'), 'utf8');
    for (const [label, value] of rows) {
      expect(docx).toContain(`${label}\n\n${value}`);
      expect(html).toContain(`<tr><th>${label}</th><td>${value}</td></tr>`);
      expect(markdown).toMatch(new RegExp(`\\| ${escapeRegExp(label)} +\\| ${escapeRegExp(value)} +\\|`));
    }
  });

  it('writes a DOCX that opens, with the overview, the chapters in order and the statistics', async () => {
    const text = (await mammoth.extractRawText({ path: file('.docx') })).value;
    const positions = ['Vorwort', 'Übersicht der Partner in der Reihenfolge ihres Beitritts', ...chapters.map((c) => c.heading), 'Statistik des Berichtsjahres 2018'].map(
      (heading) => text.indexOf(heading),
    );
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).not.toContain('Bericht des Kreises Soest');
    const html = (await mammoth.convertToHtml({ path: file('.docx') })).value;
    expect(html.match(/<img /g)).toHaveLength(report.charts.length);
    // A table keeps an empty paragraph below it for air, except where a chapter ends: a table that
    // filled its page pushed that paragraph onto a blank page before the next chapter's page break.
    const paragraphs = (await mammoth.convertToHtml({ path: file('.docx') }, { ignoreEmptyParagraphs: false })).value;
    expect(paragraphs).toContain('</table><p></p>');
    expect(paragraphs).not.toMatch(/<p><\/p><h1>/);
  });

  it('writes a PDF that veraPDF finds valid PDF/A-2b', async () => {
    const lib = await provisionVeraPdf(loadConfig().binaries.cacheDir, (line) => console.log(line));
    if (!lib) throw new Error('veraPDF could not be provisioned (needs java and mvn): run `npm run provision`');
    const verdict = await validatePdfA2b(lib, file('.pdf'));
    expect(verdict.profile).toBe('PDF/A-2B validation profile');
    expect(verdict.failedRules).toEqual([]);
    expect(verdict.compliant).toBe(true);
    // The fonts that cover the German text are embedded, not referenced.
    expect(readFileSync(file('.pdf')).toString('latin1')).toMatch(/\/FontFile2/);
  }, 120_000);

  it('splits PDF and DOCX into volumes when there are more chapters than a volume takes', async () => {
    const volumes = mkdtempSync(join(tmpdir(), 'partnerflow-volumes-'));
    try {
      const written = await renderAllFormats(report, volumes, { createdAt: new Date('2018-10-01T08:00:00Z'), chaptersPerVolume: 3 });
      const names = written.filter((a) => a.format === 'pdf' || a.format === 'docx').map((a) => a.fileName);
      expect(names).toEqual([
        'jahresbericht-2018-band-01.pdf',
        'jahresbericht-2018-band-02.pdf',
        'jahresbericht-2018-band-01.docx',
        'jahresbericht-2018-band-02.docx',
      ]);
      const first = (await mammoth.extractRawText({ path: join(volumes, 'jahresbericht-2018-band-01.docx') })).value;
      const second = (await mammoth.extractRawText({ path: join(volumes, 'jahresbericht-2018-band-02.docx') })).value;
      expect(first).toContain('Band 1 von 2');
      expect(first).toContain('Übersicht der Partner in der Reihenfolge ihres Beitritts');
      expect(chapters.slice(0, 3).every((c) => first.includes(c.heading))).toBe(true);
      expect(first).not.toContain(chapters[3]?.heading);
      expect(first).not.toContain('Statistik des Berichtsjahres');
      expect(second).toContain('Band 2 von 2');
      expect(second).not.toContain('Vorwort');
      expect(second).toContain(chapters[3]?.heading);
      expect(second).toContain('Statistik des Berichtsjahres 2018');
      const lib = await provisionVeraPdf(loadConfig().binaries.cacheDir, (line) => console.log(line));
      if (!lib) throw new Error('veraPDF could not be provisioned (needs java and mvn): run `npm run provision`');
      expect((await validatePdfA2b(lib, join(volumes, 'jahresbericht-2018-band-02.pdf'))).compliant).toBe(true);
    } finally {
      rmSync(volumes, { recursive: true, force: true });
    }
  }, 120_000);
});
