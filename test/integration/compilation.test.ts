import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompilationActivities, type CompiledReportVersion } from '../../activities/compilation';
import { loadConfig } from '../../src/config';
import { listCompiledReports } from '../../src/db/queries/compilation';
import { importPartnerFile } from '../../src/db/queries/partners';
import { insertReportVersion, saveReportState, setReview, upsertCycle } from '../../src/db/queries/reporting';
import { emailLedger, organisations, reportingCycles } from '../../src/db/schema';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { importDemoPartners, openCycleOf, readFixture } from '../support/compiled-report-world';

/**
 * compileAnnualReport on real PostgreSQL: the 28 seed partners, a 2018 cycle with reports in
 * every state, two compilations around a late acceptance, and the versions both kept.
 */
const dueAt = new Date('2018-03-31T22:00:00Z');

describe('compileAnnualReport', () => {
  let database: TestDatabase;
  let dataDir: string;
  let compile: ReturnType<typeof createCompilationActivities>['compileAnnualReport'];
  let cycleId: number;
  const reportIds = new Map<number, number>();

  async function organisationId(number: number): Promise<number> {
    const [row] = await database.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.number, number));
    if (!row) throw new Error(`no partner ${number}`);
    return row.id;
  }

  async function report(number: number, status: 'accepted' | 'submitted' | 'overdue' | 'revision_requested', escalationLevel = 0) {
    const id = await saveReportState(database.db, {
      cycleId,
      organisationId: await organisationId(number),
      phase: status,
      dueAt,
      escalationLevel,
      workflowId: `annual-report/${number}/2018`,
    });
    reportIds.set(number, id);
    return id;
  }

  async function version(number: number, v: number, content: unknown, review?: 'accepted' | 'revision_requested') {
    const annualReportId = reportIds.get(number);
    if (annualReportId === undefined) throw new Error(`no report row for ${number}`);
    await insertReportVersion(database.db, {
      annualReportId,
      version: v,
      reference: `JB-2018-${number}-V${v}`,
      submittedAt: new Date(`2018-03-${10 + v}T09:00:00Z`),
      content,
    });
    if (review) await setReview(database.db, { annualReportId, version: v, review, comment: undefined, reviewedAt: new Date('2018-04-20T10:00:00Z') });
  }

  async function reminderSent(number: number, occurrence: number) {
    await database.db.insert(emailLedger).values({
      idempotencyKey: `annual-report/${number}/2018:reminder:${occurrence}`,
      messageId: `<reminder-${number}-${occurrence}@test.example>`,
      workflowId: `annual-report/${number}/2018`,
      recipientEmail: `partner-${number}@test.example`,
      template: 'report-reminder',
      subject: 'Erinnerung',
      status: 'sent',
    });
  }

  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  /** Each file of a version with its checksum and size, as found on disk. */
  const files = (compiled: CompiledReportVersion) =>
    Object.fromEntries(
      compiled.artefacts.map((a) => {
        const bytes = readFileSync(join(compiled.dir, a.fileName));
        return [a.fileName, { bytes: bytes.length, sha256: sha256(bytes) }];
      }),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'partnerflow-data-'));
    const config = loadConfig({ DATABASE_URL: database.url, PARTNERFLOW_DATA_DIR: dataDir });
    compile = createCompilationActivities({ db: database.db, config }).compileAnnualReport;
    await importDemoPartners(database.db);
    cycleId = await openCycleOf(database.db, 2018);

    await report(2, 'accepted');
    await version(2, 1, readFixture('02-kreis-lippe.json'), 'accepted');
    // LVR: a first version sent back, the second accepted; only the second may appear.
    await report(16, 'accepted');
    await version(16, 1, readFixture('minimal.json'), 'revision_requested');
    await version(16, 2, readFixture('16-landschaftsverband-rheinland.json'), 'accepted');
    await reminderSent(16, 1);
    // Soest submitted, not yet accepted.
    await report(5, 'submitted');
    await version(5, 1, readFixture('22-bezirksregierung-muenster.json'));
    // Volkshochschulen: nothing, reminded twice, escalated.
    await report(6, 'overdue', 2);
    await reminderSent(6, 1);
    await reminderSent(6, 2);
  });

  afterAll(async () => {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let first: CompiledReportVersion;

  it('includes only accepted reports and lists every other partner with where its report stands', async () => {
    first = await compile({ year: 2018, asOf: '2018-09-30', requestId: 'first' });
    expect(first).toMatchObject({ year: 2018, version: 1, asOf: '2018-09-30', partners: 28, chapters: 2 });
    expect(first.missing).toHaveLength(26);
    expect(first.missing.find((m) => m.number === 5)).toEqual({ number: 5, organisation: 'Kreis Soest', standing: 'submitted' });
    expect(first.missing.find((m) => m.number === 6)?.standing).toBe('overdue');
    expect(first.missing.find((m) => m.number === 1)?.standing).toBe('not_started');
    expect(first.dir).toBe(join(dataDir, 'compiled-reports', '2018', 'v1'));

    const markdown = readFileSync(join(first.dir, 'jahresbericht-2018.md'), 'utf8');
    const lippe = markdown.indexOf('## Bericht des Kreises Lippe');
    const lvr = markdown.indexOf('## Bericht des Landschaftsverbandes Rheinland');
    expect(lippe).toBeGreaterThan(markdown.indexOf('Stand 30.09.2018'));
    expect(lvr).toBeGreaterThan(lippe);
    expect(markdown).not.toContain('Bericht des Kreises Soest');
    // The revised LVR report, not the version that was sent back.
    expect(markdown.slice(lvr)).toContain('Mitarbeitende des LVR');
    expect(markdown.slice(lvr)).not.toContain('Die Maßnahmen der Beitrittserklärung wurden wie vereinbart fortgeführt.');
  });

  it('takes reminders from the email ledger and escalations from the reports into the figures', () => {
    const json = JSON.parse(readFileSync(join(first.dir, 'jahresbericht-2018-zahlen.json'), 'utf8')) as {
      statistics: { remindersSent: number; partnersEscalated: { count: number }; submitted: { count: number }; onTime: { count: number; of: number } };
      partners: { number: number; remindersSent: number; escalationLevel: number; firstSubmittedAt: unknown }[];
    };
    expect(json.statistics.remindersSent).toBe(3);
    expect(json.statistics.partnersEscalated.count).toBe(1);
    expect(json.statistics.submitted.count).toBe(3);
    expect(json.statistics.onTime).toEqual({ count: 3, of: 3 });
    expect(json.partners.find((p) => p.number === 6)).toMatchObject({ remindersSent: 2, escalationLevel: 2, firstSubmittedAt: { stated: false } });
    expect(json.partners.find((p) => p.number === 16)?.firstSubmittedAt).toEqual({ stated: true, value: '2018-03-11T09:00:00.000Z' });
  });

  it('stores files whose size and checksum the row records', () => {
    // Five charts: standings, punctuality, indicators, the step before each submission (one cycle: no trend across years), indicators per year.
    // Seven CSV files: the year's three tables, the years compared, the steps before the submissions, the indicators per year and their values.
    expect(first.artefacts.map((a) => a.format).sort()).toEqual(['csv', 'csv', 'csv', 'csv', 'csv', 'csv', 'csv', 'docx', 'html', 'json', 'md', 'pdf', 'svg', 'svg', 'svg', 'svg', 'svg', 'xlsx']);
    expect(files(first)).toEqual(Object.fromEntries(first.artefacts.map((a) => [a.fileName, { bytes: a.bytes, sha256: a.sha256 }])));
  });

  it('makes a new version after a correction and keeps the earlier one as it was', async () => {
    const before = files(first);
    const soest = reportIds.get(5);
    if (soest === undefined) throw new Error('no report row for 5');
    await setReview(database.db, { annualReportId: soest, version: 1, review: 'accepted', comment: undefined, reviewedAt: new Date('2018-09-01T10:00:00Z') });
    await report(5, 'accepted');

    const second = await compile({ year: 2018, asOf: '2018-09-30', requestId: 'second' });
    expect(second).toMatchObject({ version: 2, chapters: 3 });
    expect(second.missing.some((m) => m.number === 5)).toBe(false);
    expect(second.dir).toBe(join(dataDir, 'compiled-reports', '2018', 'v2'));
    expect(readFileSync(join(second.dir, 'jahresbericht-2018.md'), 'utf8')).toContain('## Bericht des Kreises Soest');

    const stored = await listCompiledReports(database.db, 2018);
    expect(stored.map((r) => [r.version, r.chapters, r.missing.length])).toEqual([
      [1, 2, 26],
      [2, 3, 25],
    ]);
    expect(files(first)).toEqual(before);
  });

  it('returns the version it already made when retried with the same request id', async () => {
    const again = await compile({ year: 2018, asOf: '2018-09-30', requestId: 'first' });
    expect(again.version).toBe(1);
    expect((await listCompiledReports(database.db, 2018)).map((r) => r.version)).toEqual([1, 2]);
  });

  it('runs from the command line: `partnerflow cycle compile --year 2018 --out DIR --json` makes version 3 and copies its files', async () => {
    const out = mkdtempSync(join(tmpdir(), 'partnerflow-out-'));
    try {
      const env = { ...process.env, DATABASE_URL: database.url, PARTNERFLOW_DATA_DIR: dataDir };
      const { stdout } = await promisify(execFile)(
        'node',
        ['bin/partnerflow.js', 'cycle', 'compile', '--year', '2018', '--as-of', '2018-09-30', '--out', out, '--json'],
        { env, timeout: 120_000 },
      );
      const printed = JSON.parse(stdout) as CompiledReportVersion;
      expect(printed).toMatchObject({ year: 2018, version: 3, chapters: 3, dir: out });
      const pdf = printed.artefacts.find((a) => a.format === 'pdf');
      expect(pdf && sha256(readFileSync(join(out, pdf.fileName)))).toBe(pdf?.sha256);

      const refused = await promisify(execFile)('node', ['bin/partnerflow.js', 'cycle', 'compile', '--year', '2031'], { env }).catch(
        (e: unknown) => e as { code: number; stderr: string },
      );
      expect(refused).toMatchObject({ code: 1, stderr: 'year: no reporting cycle for 2031\n' });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses a year without a reporting cycle, without retrying', async () => {
    const error = await compile({ year: 2030, requestId: 'none' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ nonRetryable: true, type: 'CycleNotFound', message: 'year: no reporting cycle for 2030' });
  });

  it('clears staging folders that a crashed compilation left a day ago, and leaves a running one alone', async () => {
    const abandoned = join(dataDir, 'compiled-reports', '.staging-crashed');
    const running = join(dataDir, 'compiled-reports', '.staging-running');
    mkdirSync(abandoned, { recursive: true });
    mkdirSync(running, { recursive: true });
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    utimesSync(abandoned, twoDaysAgo, twoDaysAgo);
    const next = await compile({ year: 2018, asOf: '2018-09-30', requestId: 'after-crash' });
    expect(next.version).toBe(4);
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(running)).toBe(true);
  });
});
