import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompilationActivities, type CompiledReportVersion } from '../../activities/compilation';
import { loadConfig } from '../../src/config';
import { importPartnerFile } from '../../src/db/queries/partners';
import { insertReportVersion, saveReportState, setReview, upsertCycle } from '../../src/db/queries/reporting';
import { acceptedReportsOfCycle } from '../../src/db/queries/compilation';
import { indicatorYearsBefore } from '../../src/db/queries/indicator-years';
import { compiledReports, organisations, reportingCycles } from '../../src/db/schema';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { importDemoPartners, openCycleOf, readFixture, reportWithFigureToFollow } from '../support/compiled-report-world';

/**
 * Two years of accepted reports on real PostgreSQL, compiled for 2018: the statistics chapter
 * and the figure exports compare the indicator categories of 2017 and 2018, with the partners
 * who did not state a category counted as "nicht angegeben".
 *
 * 2017: Lippe (share 25 %), LVR (share 26,5 %), Münster (no share) accepted; Soest only sent back.
 * 2018: Lippe (25 %), Münster accepted; partner 9 accepted with the share still to follow; LVR
 * submitted but not accepted (not counted).
 */
const share = 'Anteil Beschäftigte mit Einwanderungsgeschichte';

describe('indicators across partners and years in the compiled report', () => {
  let database: TestDatabase;
  let dataDir: string;
  let compiled: CompiledReportVersion;
  let compile: ReturnType<typeof createCompilationActivities>['compileAnnualReport'];
  const reportIds = new Map<string, number>();

  async function organisationId(number: number): Promise<number> {
    const [row] = await database.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.number, number));
    if (!row) throw new Error(`no partner ${number}`);
    return row.id;
  }

  const cycle = (year: number) => openCycleOf(database.db, year);

  async function report(year: number, cycleId: number, number: number, content: unknown, review: 'accepted' | 'revision_requested' | undefined) {
    const phase = review === 'accepted' ? 'accepted' : review === 'revision_requested' ? 'revision_requested' : 'submitted';
    const annualReportId = await saveReportState(database.db, {
      cycleId,
      organisationId: await organisationId(number),
      phase,
      dueAt: new Date(`${year}-03-31T22:00:00Z`),
      escalationLevel: 0,
      workflowId: `annual-report/${number}/${year}`,
    });
    await insertReportVersion(database.db, { annualReportId, version: 1, reference: `JB-${year}-${number}-V1`, submittedAt: new Date(`${year}-03-20T09:00:00Z`), content });
    if (review) await setReview(database.db, { annualReportId, version: 1, review, comment: undefined, reviewedAt: new Date(`${year}-04-20T10:00:00Z`) });
    reportIds.set(`${number}/${year}`, annualReportId);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'partnerflow-data-'));
    await importDemoPartners(database.db);
    const y2017 = await cycle(2017);
    await report(2017, y2017, 2, readFixture('02-kreis-lippe.json'), 'accepted');
    await report(2017, y2017, 16, readFixture('16-landschaftsverband-rheinland.json'), 'accepted');
    await report(2017, y2017, 22, readFixture('22-bezirksregierung-muenster.json'), 'accepted');
    await report(2017, y2017, 5, readFixture('02-kreis-lippe.json'), 'revision_requested');
    const y2018 = await cycle(2018);
    await report(2018, y2018, 2, readFixture('02-kreis-lippe.json'), 'accepted');
    await report(2018, y2018, 22, readFixture('22-bezirksregierung-muenster.json'), 'accepted');
    await report(2018, y2018, 9, reportWithFigureToFollow(), 'accepted');
    await report(2018, y2018, 16, readFixture('16-landschaftsverband-rheinland.json'), undefined);
    const config = loadConfig({ DATABASE_URL: database.url, PARTNERFLOW_DATA_DIR: dataDir });
    compile = createCompilationActivities({ db: database.db, config }).compileAnnualReport;
    compiled = await compile({ year: 2018, asOf: '2018-09-30', requestId: 'two-years' });
  }, 240_000);

  afterAll(async () => {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const file = (name: string) => readFileSync(join(compiled.dir, name), 'utf8');
  type Figures = { statisticsFigures: { id: string; columns: string[]; rows: (string | number)[][] }[] };
  const exported = (id: string) => {
    const table = (JSON.parse(file('jahresbericht-2018-zahlen.json')) as Figures).statisticsFigures.find((f) => f.id === id);
    if (!table) throw new Error(`no figures ${id}`);
    return table.rows.map((row) => Object.fromEntries(table.columns.map((column, index) => [column, row[index]])));
  };

  it('counts per category and year the partners who stated it, and the others as not stated', () => {
    const rows = exported('indicator-years').filter((row) => row.Kategorie === share);
    expect(rows).toEqual([
      expect.objectContaining({ Berichtsjahr: 2017, 'Partner mit angenommenem Bericht': 3, 'Partner mit Angabe': 2, 'Partner ohne Angabe (nicht angegeben)': 1, 'davon Kennzahl ohne Wert': 0 }),
      expect.objectContaining({ Berichtsjahr: 2018, 'Partner mit angenommenem Bericht': 3, 'Partner mit Angabe': 1, 'Partner ohne Angabe (nicht angegeben)': 2, 'davon Kennzahl ohne Wert': 1 }),
    ]);
    // Every category of the schema has its row in every year, even where nobody stated it.
    expect(exported('indicator-years').filter((row) => row.Berichtsjahr === 2017)).toHaveLength(12);
  });

  it('gives shares a median and no sum, per year', () => {
    const rows = exported('indicator-values').filter((row) => row.Kategorie === share);
    expect(rows).toEqual([
      expect.objectContaining({ Berichtsjahr: 2017, Einheit: '%', Anteil: 'ja', Werte: 2, Partner: 2, Summe: 'entfällt (Anteil)', Median: 25.75 }),
      expect.objectContaining({ Berichtsjahr: 2018, Einheit: '%', Anteil: 'ja', Werte: 1, Partner: 1, Summe: 'entfällt (Anteil)', Median: 25 }),
    ]);
  });

  it('prints the comparison in the statistics chapter of HTML and Markdown, with "nicht angegeben" where a year has no comparable value', () => {
    const markdown = file('jahresbericht-2018.md');
    const chapter = markdown.slice(markdown.indexOf('## Statistik des Berichtsjahres 2018'));
    expect(chapter).toContain('**Kennzahlen der Partner je Kategorie und Berichtsjahr**');
    expect(chapter).toContain(`| ${share} | 2017 | 2 von 3 (66,7 %) | 1 | 2 Zahlen |`);
    expect(chapter).toContain(`| ${share} | 2018 | 1 von 3 (33,3 %) | 2, davon 1 ohne Wert | 1 Zahl |`);
    expect(chapter).toContain(`| ${share} | % | 2017 | 2 (2) | entfällt (Anteil) | 25,75 |`);
    const html = file('jahresbericht-2018.html');
    expect(html).toContain('<caption>Vergleichbare Werte je Kategorie, Einheit und Berichtsjahr</caption>');
    expect(html).toContain('<figure id="chart-indicator-years">');
  });

  it('writes the comparison as CSV and the chart as SVG beside the report', () => {
    const csv = file('jahresbericht-2018-zahlen-indicator-years.csv');
    expect(csv.split('\n')[0]).toContain('Partner ohne Angabe (nicht angegeben)');
    expect(csv).toContain(`2017,${share},3,2,1,0`);
    expect(file('jahresbericht-2018-abbildung-indicator-years.svg')).toContain('<svg');
    expect(compiled.artefacts.map((a) => a.fileName)).toContain('jahresbericht-2018.pdf');
  });

  it('takes an earlier year from its compiled version while its accepted reports are unchanged, and counts it again after a correction', async () => {
    const shareOf = (years: Awaited<ReturnType<typeof indicatorYearsBefore>>) => years[0]?.categories.find((c) => c.category === 'workforce_share');
    await compile({ year: 2017, asOf: '2017-09-30', requestId: 'year-2017' });
    // Marks the stored count, to see which one the next compilation uses.
    await database.db
      .update(compiledReports)
      .set({ indicators: sql`jsonb_set(${compiledReports.indicators}, '{year,partnersReporting}', '99')` })
      .where(and(eq(compiledReports.year, 2017), eq(compiledReports.requestId, 'year-2017')));
    expect((await indicatorYearsBefore(database.db, 2018))[0]?.partnersReporting).toBe(99);

    // Münster's 2017 report is corrected: a second version, accepted, now with a share.
    const annualReportId = reportIds.get('22/2017');
    if (annualReportId === undefined) throw new Error('no 2017 report of partner 22');
    await insertReportVersion(database.db, { annualReportId, version: 2, reference: 'JB-2017-22-V2', submittedAt: new Date('2017-06-01T09:00:00Z'), content: readFixture('02-kreis-lippe.json') });
    await setReview(database.db, { annualReportId, version: 2, review: 'accepted', comment: undefined, reviewedAt: new Date('2017-06-02T09:00:00Z') });
    const years = await indicatorYearsBefore(database.db, 2018);
    expect(years[0]?.partnersReporting).toBe(3);
    expect(shareOf(years)).toMatchObject({ partnersStated: 3, partnersNotStated: 0 });
  });

  it('reads the accepted reports of a year in pages, in accession order, the newest accepted version of each', async () => {
    for (const pageSize of [1, 2, 3, 200]) {
      const read: { number: number; content: unknown }[] = [];
      for await (const report of acceptedReportsOfCycle(database.db, 2017, pageSize)) read.push(report);
      // Soest (5) was only sent back; Münster's (22) newest accepted version is the correction of the test before.
      expect(read.map((r) => r.number)).toEqual([2, 16, 22]);
      expect(read[2]?.content).toEqual(readFixture('02-kreis-lippe.json'));
    }
  });
});
