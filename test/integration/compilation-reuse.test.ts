import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { MockActivityEnvironment } from '@temporalio/testing';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompilationActivities, type CompilationStep, type CompiledReportVersion } from '../../activities/compilation';
import { KEEP_ALIVE_MS } from '../../activities/keep-alive';
import { loadConfig } from '../../src/config';
import { findCompiledReport, listCompiledReports } from '../../src/db/queries/compilation';
import type { FaultInjector } from '../../src/faults';
import { importPartnerFile } from '../../src/db/queries/partners';
import { insertReportVersion, saveReportState, setReview, upsertCycle } from '../../src/db/queries/reporting';
import { organisations, reportingCycles } from '../../src/db/schema';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import { importDemoPartners, openCycleOf, readFixture } from '../support/compiled-report-world';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * A correction after the compiled report went out: Kreis Lippe sends a revised report, staff
 * accept it, the report is compiled again. Four accepted reports in volumes of two chapters:
 * Lippe's volume is typeset anew, the other volume is taken over from the version before, and
 * the version before stays as it was.
 */
const correction = 'Berichtigung: Die Zahl der Fortbildungen war falsch übertragen.';

describe('compiling again after a correction', () => {
  let database: TestDatabase;
  let dataDir: string;
  let cycleId: number;
  const steps: CompilationStep[] = [];
  let compile: ReturnType<typeof createCompilationActivities>['compileAnnualReport'];
  let config: ReturnType<typeof loadConfig>;

  async function acceptedReport(number: number, content: unknown) {
    const [organisation] = await database.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.number, number));
    if (!organisation) throw new Error(`no partner ${number}`);
    const annualReportId = await saveReportState(database.db, {
      cycleId,
      organisationId: organisation.id,
      phase: 'accepted',
      dueAt: new Date('2018-03-31T22:00:00Z'),
      escalationLevel: 0,
      workflowId: `annual-report/${number}/2018`,
    });
    await accept(annualReportId, number, 1, content);
    return annualReportId;
  }

  async function accept(annualReportId: number, number: number, version: number, content: unknown) {
    await insertReportVersion(database.db, {
      annualReportId,
      version,
      reference: `JB-2018-${number}-V${version}`,
      submittedAt: new Date(`2018-03-${10 + version}T09:00:00Z`),
      content,
    });
    await setReview(database.db, { annualReportId, version, review: 'accepted', comment: undefined, reviewedAt: new Date('2018-04-20T10:00:00Z') });
  }

  const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
  const artefact = (compiled: CompiledReportVersion, fileName: string) => {
    const found = compiled.artefacts.find((a) => a.fileName === fileName);
    if (!found) throw new Error(`version ${compiled.version} has no ${fileName}`);
    return found;
  };
  const stepsOf = (format: string) => steps.filter((s) => s.step === format);

  let lippe: number;
  let first: CompiledReportVersion;
  let firstChecksums: Record<string, string>;
  let second: CompiledReportVersion;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'partnerflow-data-'));
    config = loadConfig({ DATABASE_URL: database.url, PARTNERFLOW_DATA_DIR: dataDir });
    compile = createCompilationActivities({ db: database.db, config, chaptersPerVolume: 1, onStep: (step) => steps.push(step) })
      .compileAnnualReport;
    await importDemoPartners(database.db);
    cycleId = await openCycleOf(database.db, 2018);
    lippe = await acceptedReport(2, readFixture('02-kreis-lippe.json'));
    await acceptedReport(10, readFixture('10-polizeipraesidium-gelsenkirchen.json'));
    await acceptedReport(16, readFixture('16-landschaftsverband-rheinland.json'));
    await acceptedReport(22, readFixture('22-bezirksregierung-muenster.json'));

    first = await compile({ year: 2018, asOf: '2018-09-30', requestId: 'before-correction' });
    firstChecksums = Object.fromEntries(first.artefacts.map((a) => [a.fileName, sha256(join(first.dir, a.fileName))]));
    steps.length = 0;

    // Lippe's revised report: the same report with one more paragraph, accepted as version 2.
    const revised = readFixture('02-kreis-lippe.json') as { blocks?: unknown[] };
    revised.blocks = [...(revised.blocks ?? []), { kind: 'text', text: correction }];
    await accept(lippe, 2, 2, revised);
    second = await compile({ year: 2018, asOf: '2018-09-30', requestId: 'after-correction' });
  }, 240_000);

  afterAll(async () => {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('typesets the corrected chapter\'s volume anew and takes the unchanged volumes over from the version before', () => {
    expect(second.version).toBe(2);
    for (const extension of ['pdf', 'docx']) {
      const band = (n: number) => `jahresbericht-2018-band-0${n}.${extension}`;
      // Volume 1 holds Lippe's chapter: new content, a new key, new bytes.
      expect(artefact(second, band(1)).contentKey).not.toBe(artefact(first, band(1)).contentKey);
      expect(artefact(second, band(1)).sha256).not.toBe(artefact(first, band(1)).sha256);
      // Volumes 2 and 3 did not change: typeset anew, their creation date alone would change their bytes.
      for (const unchanged of [2, 3]) {
        expect(artefact(second, band(unchanged)).contentKey).toBe(artefact(first, band(unchanged)).contentKey);
        expect(artefact(second, band(unchanged)).sha256).toBe(artefact(first, band(unchanged)).sha256);
        expect(sha256(join(second.dir, band(unchanged)))).toBe(artefact(first, band(unchanged)).sha256);
      }
      // The last volume prints the statistics across cycles, which count the revised version.
      expect(artefact(second, band(4)).contentKey).not.toBe(artefact(first, band(4)).contentKey);
    }
    expect(stepsOf('pdf')).toMatchObject([{ files: 4, reused: 2 }]);
    expect(stepsOf('docx')).toMatchObject([{ files: 4, reused: 2 }]);
  });

  it('carries the correction in every format of the new version', async () => {
    expect(readFileSync(join(second.dir, 'jahresbericht-2018.md'), 'utf8')).toContain(correction);
    expect(readFileSync(join(second.dir, 'jahresbericht-2018.html'), 'utf8')).toContain(correction);
    const docx = (await mammoth.extractRawText({ path: join(second.dir, 'jahresbericht-2018-band-01.docx') })).value;
    expect(docx).toContain(correction);
    const stale = (await mammoth.extractRawText({ path: join(first.dir, 'jahresbericht-2018-band-01.docx') })).value;
    expect(stale).not.toContain(correction);
  });

  it('keeps the version before as it was', async () => {
    expect((await listCompiledReports(database.db, 2018)).map((r) => r.version)).toEqual([1, 2]);
    expect(Object.fromEntries(first.artefacts.map((a) => [a.fileName, sha256(join(first.dir, a.fileName))]))).toEqual(firstChecksums);
    expect(readFileSync(join(first.dir, 'jahresbericht-2018.html'), 'utf8')).not.toContain(correction);
  });

  it('typesets everything anew when a report is accepted that was not in the version before, heartbeating each step and while a step is slow', async () => {
    // Accepting Soest adds a chapter after Lippe's and takes it off the missing list: every volume after it shifts, volume 1 lists one fewer missing.
    await acceptedReport(5, readFixture('minimal.json'));
    steps.length = 0;
    // The first volume placed takes as long as two keep-alive beats and a half: a slow step.
    let slowed = false;
    const slowFirstVolume: FaultInjector = {
      async at(point) {
        if (point !== 'compilation.afterVolumePlaced' || slowed) return;
        slowed = true;
        await new Promise((resolve) => setTimeout(resolve, 2.5 * KEEP_ALIVE_MS));
      },
    };
    const slowCompile = createCompilationActivities({ db: database.db, config, chaptersPerVolume: 1, faults: slowFirstVolume, onStep: (step) => steps.push(step) });
    const worker = new MockActivityEnvironment();
    const heartbeats: unknown[] = [];
    worker.on('heartbeat', (details: unknown) => heartbeats.push(details));
    const third: CompiledReportVersion = await worker.run(slowCompile.compileAnnualReport, { year: 2018, asOf: '2018-09-30', requestId: 'soest-accepted' });
    expect(third.chapters).toBe(5);
    expect(stepsOf('pdf')).toMatchObject([{ files: 5, reused: 0 }]);
    expect(stepsOf('docx')).toMatchObject([{ files: 5, reused: 0 }]);
    // Each finished step told at once, in order; in between, the step before told again by the
    // keep-alive (at least twice while the first volume took its time), so the worker stays alive
    // for its workflow's 30 s heartbeat timeout however long a step takes.
    expect(slowed).toBe(true);
    const beats = heartbeats.filter((details) => details !== undefined);
    const told = beats.filter((details, i) => details !== beats[i - 1]);
    expect(told).toEqual(steps);
    expect(beats.length - told.length).toBeGreaterThanOrEqual(2);
    expect(steps.map((s) => s.step).sort()).toEqual(['docx', 'figures', 'html+md', 'pdf', 'read', 'stored', 'svg']);
  }, 240_000);

  it('stores a version with its text formats and PDF/DOCX pending; typesetting them crashes half-way, the retry typesets only what is missing, then they are ready', async () => {
    // Münster corrects its report: its volume and the statistics' are typeset anew, the others taken over.
    const [münster] = await database.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.number, 22));
    const annualReport = await database.db.execute<{ id: number }>(sql`select id from annual_reports where organisation_id = ${münster?.id}`);
    const revised = readFixture('22-bezirksregierung-muenster.json') as { blocks?: unknown[] };
    revised.blocks = [...(revised.blocks ?? []), { kind: 'text', text: correction }];
    await accept(annualReport[0]?.id ?? 0, 22, 2, revised);

    let placed = 0;
    let crashAt = 3;
    const crashAfterThird: FaultInjector = {
      at(point, key) {
        if (point !== 'compilation.afterVolumePlaced') return;
        placed += 1;
        if (placed === crashAt) throw new Error(`injected crash after placing ${key}`);
      },
    };
    const followed: CompilationStep[] = [];
    const activities = createCompilationActivities({ db: database.db, config, faults: crashAfterThird, chaptersPerVolume: 1, onStep: (step) => followed.push(step) });
    const stored = await activities.compileAnnualReport({ year: 2018, asOf: '2018-09-30', requestId: 'archive-follows', archiveFormats: 'follow' });
    expect(stored.formats).toMatchObject({ html: { state: 'ready' }, md: { state: 'ready' }, xlsx: { state: 'ready' }, pdf: { state: 'pending' }, docx: { state: 'pending' } });
    expect(stored.artefacts.map((a) => a.format)).not.toContain('pdf');
    expect(stored.artefacts.map((a) => a.format)).not.toContain('docx');
    expect(readFileSync(join(stored.dir, 'jahresbericht-2018.html'), 'utf8')).toContain(correction);
    expect(followed.map((s) => s.step)).toEqual(expect.arrayContaining(['read', 'html+md', 'figures', 'stored']));
    expect(followed.map((s) => s.step)).not.toContain('pdf');

    // A worker's first of five attempts crashes: the next attempt may mend it, so the version stays pending.
    const firstAttempt = new MockActivityEnvironment({ attempt: 1, retryPolicy: { maximumAttempts: 5 } });
    await expect(firstAttempt.run(activities.typesetArchiveFormats, { year: 2018, version: stored.version })).rejects.toThrow('injected crash after placing');
    expect((await findCompiledReport(database.db, 2018, stored.version))?.formats.pdf).toMatchObject({ state: 'pending' });
    // The last attempt (here: in-process, as the CLI typesets) crashes too: now it is failed, with the reason.
    crashAt = placed + 1;
    await expect(activities.typesetArchiveFormats({ year: 2018, version: stored.version })).rejects.toThrow('injected crash after placing');
    const failed = await findCompiledReport(database.db, 2018, stored.version);
    expect(failed?.formats.pdf).toMatchObject({ state: 'failed', reason: expect.stringContaining('injected crash') });
    // Nothing half-typeset is listed: the version still offers its text formats only.
    expect(failed?.artefacts).toEqual(stored.artefacts);

    followed.length = 0;
    // Two processes at once (the worker's and the CLI's): one typesets, the other is refused at once.
    const otherProcess = createCompilationActivities({ db: database.db, config, chaptersPerVolume: 1, onStep: (step) => followed.push(step) });
    const both = await Promise.allSettled([
      activities.typesetArchiveFormats({ year: 2018, version: stored.version }),
      otherProcess.typesetArchiveFormats({ year: 2018, version: stored.version }),
    ]);
    const refused = both.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : []));
    expect(refused).toEqual([expect.stringContaining('another process is typesetting its PDF and DOCX right now')]);
    const ready = both.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []))[0] as CompiledReportVersion;
    // Asked once the first is done, the other process finds them ready.
    expect(await otherProcess.typesetArchiveFormats({ year: 2018, version: stored.version })).toEqual(ready);
    expect(ready.formats).toMatchObject({ pdf: { state: 'ready' }, docx: { state: 'ready' }, html: { state: 'ready' } });
    const volumes = ready.artefacts.filter((a) => a.format === 'pdf' || a.format === 'docx');
    expect(volumes.map((a) => a.fileName)).toEqual([1, 2, 3, 4, 5].map((n) => `jahresbericht-2018-band-0${n}.pdf`).concat([1, 2, 3, 4, 5].map((n) => `jahresbericht-2018-band-0${n}.docx`)));
    // Each file listed once, whole: its checksum is the file's, a PDF is a PDF.
    for (const volume of volumes) expect(sha256(join(ready.dir, volume.fileName))).toBe(volume.sha256);
    for (const volume of volumes.filter((a) => a.format === 'pdf')) expect(readFileSync(join(ready.dir, volume.fileName)).subarray(0, 5).toString()).toBe('%PDF-');
    // The three volumes placed before the crash were kept, not typeset again; the rest typeset or taken over.
    const taken = followed.filter((s) => s.step === 'pdf' || s.step === 'docx').reduce((sum, s) => sum + s.reused, 0);
    expect(taken).toBeGreaterThanOrEqual(3);
    expect(readdirSync(ready.dir).filter((name) => name.endsWith('.part') || name === '.archive-input')).toEqual([]);
    expect((await mammoth.extractRawText({ path: join(ready.dir, 'jahresbericht-2018-band-05.docx') })).value).toContain(correction);
    // Asked again (a retried activity): nothing changes.
    expect(await activities.typesetArchiveFormats({ year: 2018, version: stored.version })).toEqual(ready);
  }, 240_000);
});
