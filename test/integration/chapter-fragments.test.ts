import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompilationActivities, type CompilationStep, type CompiledReportVersion } from '../../activities/compilation';
import { createReportingActivities } from '../../activities/reporting';
import { loadConfig, type Config } from '../../src/config';
import { createMailer } from '../../src/email/transport';
import { noFaults } from '../../src/faults';
import { importPartnerFile } from '../../src/db/queries/partners';
import { storeChapterFragments, unpackFragment } from '../../src/db/queries/chapter-fragments';
import { erasePartner } from '../../src/db/queries/privacy';
import { insertReportVersion, saveReportState, setReview, upsertCycle } from '../../src/db/queries/reporting';
import { chapterFragments, organisations, reportingCycles, reportVersions } from '../../src/db/schema';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import { chapterRendererFingerprint } from '../../src/documents/chapter-renderer';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { importDemoPartners, openCycleOf, readFixture } from '../support/compiled-report-world';

/**
 * Chapter fragments on real PostgreSQL: the first compilation renders each accepted report and
 * stores its fragment, later ones take the fragments, and whatever changed what a chapter prints
 * (the renderer, the version row, a correction, the partner's heading) is rendered anew.
 */
const dueAt = new Date('2018-03-31T22:00:00Z');

describe('chapter fragments', () => {
  let database: TestDatabase;
  let dataDir: string;
  let compile: (requestId: string) => Promise<{ version: CompiledReportVersion; chapters: CompilationStep['chapters'] }>;
  let cycleId: number;
  let renderer: string;
  let config: Config;
  const reportIds = new Map<number, number>();

  async function organisationId(number: number): Promise<number> {
    const [row] = await database.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.number, number));
    if (!row) throw new Error(`no partner ${number}`);
    return row.id;
  }

  async function acceptedVersion(number: number, v: number, content: unknown): Promise<number> {
    let annualReportId = reportIds.get(number);
    if (annualReportId === undefined) {
      const workflowId = `annual-report/${number}/2018`;
      annualReportId = await saveReportState(database.db, { cycleId, organisationId: await organisationId(number), phase: 'accepted', dueAt, escalationLevel: 0, workflowId });
      reportIds.set(number, annualReportId);
    }
    await insertReportVersion(database.db, { annualReportId, version: v, reference: `JB-2018-${number}-V${v}`, submittedAt: new Date(`2018-03-${10 + v}T09:00:00Z`), content });
    await setReview(database.db, { annualReportId, version: v, review: 'accepted', comment: undefined, reviewedAt: new Date('2018-04-20T10:00:00Z') });
    const [row] = await database.db.select({ id: reportVersions.id }).from(reportVersions).where(eq(reportVersions.reference, `JB-2018-${number}-V${v}`));
    if (!row) throw new Error(`no version ${v} of ${number}`);
    return row.id;
  }

  /** A version's files as text, the XLSX left out (it carries its creation time), with the spool the PDF and DOCX are typeset from. */
  const contents = (compiled: CompiledReportVersion) =>
    Object.fromEntries(
      [...compiled.artefacts.map((a) => a.fileName).filter((name) => !name.endsWith('.xlsx')), '.archive-input/chapters.jsonl'].map((name) => [
        name.replace(`-v${compiled.version}`, ''),
        readFileSync(join(compiled.dir, name), 'utf8'),
      ]),
    );
  const fragmentRows = () => database.db.select().from(chapterFragments).orderBy(chapterFragments.reportVersionId);
  const rowOf = async (versionId: number) => {
    const [row] = await database.db.select().from(chapterFragments).where(eq(chapterFragments.reportVersionId, versionId));
    if (!row) throw new Error(`no fragment of version ${versionId}`);
    return row;
  };
  const fragmentOf = async (versionId: number) => {
    const row = await rowOf(versionId);
    return unpackFragment(row.body, row.partLengths);
  };
  const keyOf = async (versionId: number) => {
    const { sourceXmin, organisation, reportHeading, partnerNumber } = await rowOf(versionId);
    return { versionId, sourceXmin, organisation, reportHeading, partnerNumber };
  };

  let lippeV1: number;
  let lvrV1: number;
  let cold: CompiledReportVersion;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'partnerflow-data-'));
    config = loadConfig({ DATABASE_URL: database.url, PARTNERFLOW_DATA_DIR: dataDir });
    compile = async (requestId) => {
      const steps: CompilationStep[] = [];
      const activities = createCompilationActivities({ db: database.db, config, onStep: (step) => steps.push(step) });
      const version = await activities.compileAnnualReport({ year: 2018, asOf: '2018-09-30', requestId, archiveFormats: 'follow' });
      return { version, chapters: steps.find((s) => s.step === 'read')?.chapters };
    };
    await importDemoPartners(database.db);
    cycleId = await openCycleOf(database.db, 2018);
    lippeV1 = await acceptedVersion(2, 1, readFixture('02-kreis-lippe.json'));
    await acceptedVersion(4, 1, readFixture('04-stadt-duisburg.json'));
    lvrV1 = await acceptedVersion(16, 1, readFixture('16-landschaftsverband-rheinland.json'));
    renderer = await chapterRendererFingerprint();
  });

  afterAll(async () => {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('renders every chapter at the first compilation and stores one fragment per accepted version, keyed by the renderer', async () => {
    const first = await compile('cold');
    cold = first.version;
    expect(first.chapters).toEqual({ fromFragments: 0, rendered: 3 });
    const rows = await fragmentRows();
    expect(rows.map((r) => [r.partnerNumber, r.renderer])).toEqual([
      [2, renderer],
      [4, renderer],
      [16, renderer],
    ]);
    expect(renderer).toMatch(/^[0-9a-f]{64}$/);
    // What the fragment holds is what the version prints.
    const lippe = await fragmentOf(lippeV1);
    expect(lippe.html).toContain('<h2>Bericht des Kreises Lippe</h2>');
    expect(readFileSync(join(cold.dir, 'jahresbericht-2018.html'), 'utf8')).toContain(lippe.html);
    expect(readFileSync(join(cold.dir, '.archive-input', 'chapters.jsonl'), 'utf8')).toContain(`${lippe.chapter}\n`);
  });

  it('takes the stored fragments at the next compilation, and its files are byte for byte those of the compilation that rendered them', async () => {
    const warm = await compile('warm');
    expect(warm.chapters).toEqual({ fromFragments: 3, rendered: 0 });
    expect(contents(warm.version)).toEqual(contents(cold));
  });

  it('prints what the fragment holds: the fragment is what a compilation uses, not a second rendering', async () => {
    await storeChapterFragments(database.db, renderer, [{ ...(await keyOf(lippeV1)), fragment: { ...(await fragmentOf(lippeV1)), html: '<section>Aus dem Fragment</section>\n' } }]);
    const marked = await compile('marked');
    expect(readFileSync(join(marked.version.dir, 'jahresbericht-2018.html'), 'utf8')).toContain('<section>Aus dem Fragment</section>');
    await database.db.delete(chapterFragments).where(eq(chapterFragments.reportVersionId, lippeV1));
    const rendered = await compile('rendered-again');
    expect(rendered.chapters).toEqual({ fromFragments: 2, rendered: 1 });
    expect(contents(rendered.version)).toEqual(contents(cold));
  });

  it('never uses a fragment of another renderer: a stale one is rendered anew and replaced', async () => {
    // As an older renderer would have stored it (which replaces today's fragment of that version).
    const stale = { ...(await fragmentOf(lippeV1)), html: '<section>Veraltet</section>\n', markdown: 'Veraltet\n' };
    await storeChapterFragments(database.db, 'an-older-renderer', [{ ...(await keyOf(lippeV1)), fragment: stale }]);
    expect((await fragmentRows()).map((r) => r.renderer)).toEqual(['an-older-renderer', renderer, renderer]);
    const fresh = await compile('after-renderer-change');
    expect(fresh.chapters).toEqual({ fromFragments: 2, rendered: 1 });
    expect(readFileSync(join(fresh.version.dir, 'jahresbericht-2018.html'), 'utf8')).not.toContain('Veraltet');
    expect(contents(fresh.version)).toEqual(contents(cold));
    expect((await fragmentRows()).map((r) => r.renderer)).toEqual([renderer, renderer, renderer]);
  });

  it('gives a correction\'s new version a fragment of its own and leaves the earlier version\'s as it was', async () => {
    const [before] = await database.db.select().from(chapterFragments).where(eq(chapterFragments.reportVersionId, lvrV1));
    const corrected = readFixture('16-landschaftsverband-rheinland.json') as { sections: { blocks: unknown[] }[] };
    corrected.sections[0]?.blocks.push({ kind: 'text', text: 'Berichtigung vom 1. Juni 2018: eine Zahl war falsch übertragen.' });
    const lvrV2 = await acceptedVersion(16, 2, corrected);

    const after = await compile('after-correction');
    expect(after.chapters).toEqual({ fromFragments: 2, rendered: 1 });
    expect(readFileSync(join(after.version.dir, 'jahresbericht-2018.md'), 'utf8')).toContain('Berichtigung vom 1. Juni 2018');
    const rows = await fragmentRows();
    expect(rows.map((r) => r.reportVersionId)).toContain(lvrV2);
    expect((await fragmentOf(lvrV2)).markdown).toContain('Berichtigung vom 1. Juni 2018');
    expect(rows.find((r) => r.reportVersionId === lvrV1)).toEqual(before);
    expect((await compile('after-correction-again')).chapters).toEqual({ fromFragments: 3, rendered: 0 });
  });

  it('renders anew when the version row or the partner\'s heading changed since the fragment was made', async () => {
    // Any update of the row changes its xmin, even one that writes the same content (as an erasure or a repair by hand would write).
    await database.db.execute(sql`update report_versions set content = content where id = ${lippeV1}`);
    expect((await compile('after-row-update')).chapters).toEqual({ fromFragments: 2, rendered: 1 });
    await database.db.update(organisations).set({ reportHeading: 'Bericht des Kreises Lippe, neu gefasst' }).where(eq(organisations.number, 2));
    const renamed = await compile('after-heading-change');
    expect(renamed.chapters).toEqual({ fromFragments: 2, rendered: 1 });
    expect(readFileSync(join(renamed.version.dir, 'jahresbericht-2018.md'), 'utf8')).toContain('## Bericht des Kreises Lippe, neu gefasst');
    expect((await compile('after-heading-change-again')).chapters).toEqual({ fromFragments: 3, rendered: 0 });
  });

  it('renders the fragment when a version is accepted, so the next compilation renders nothing', async () => {
    const caritas = await organisationId(7);
    const annualReportId = await saveReportState(database.db, { cycleId, organisationId: caritas, phase: 'accepted', dueAt, escalationLevel: 0, workflowId: 'annual-report/7/2018' });
    await insertReportVersion(database.db, { annualReportId, version: 1, reference: 'JB-2018-7-V1', submittedAt: new Date('2018-03-11T09:00:00Z'), content: readFixture('07-caritasverband-kreis-unna.json') });
    const reviews = createReportingActivities({ db: database.db, config, mailer: createMailer(config.smtp), faults: noFaults });
    await reviews.recordReview({ partnerNumber: 7, year: 2018, version: 1, review: 'accepted', by: 'staff:referat', at: '2018-04-21T10:00:00.000Z' });

    expect((await fragmentRows()).filter((r) => r.partnerNumber === 7).map((r) => r.renderer)).toEqual([renderer]);
    const after = await compile('after-acceptance');
    expect(after.chapters).toEqual({ fromFragments: 4, rendered: 0 });
    expect(readFileSync(join(after.version.dir, 'jahresbericht-2018.md'), 'utf8')).toContain('Caritas');
  });

  it('removes the fragments of an erased partner\'s versions with the erasure', async () => {
    await erasePartner(database.db, { partnerNumber: 2, reason: 'Austritt, Antrag auf Löschung', actor: 'staff:admin' });
    const rows = await fragmentRows();
    expect(rows.some((r) => r.partnerNumber === 2)).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
    expect(readdirSync(join(dataDir, 'compiled-reports', '2018')).length).toBeGreaterThan(5);
  });
});
