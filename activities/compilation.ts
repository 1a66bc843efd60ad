/** Compiling the year's annual report from the accepted reports in the database. */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ApplicationFailure, asyncLocalStorage } from '@temporalio/activity';
import { DateTime } from 'luxon';
import { acceptedChapterSourcesOfCycle, chapterFragmentStore } from '../src/db/queries/chapter-fragments';
import {
  cycleExists,
  findArchivedBefore,
  findCompiledReport,
  findCompiledReportByRequest,
  insertCompiledReport,
  listPartnersOfCycle,
  lockNextCompiledVersion,
  updateCompiledFormats,
} from '../src/db/queries/compilation';
import type { CompiledReportRow } from '../src/db/schema';
import { cycleStatisticsUpTo } from '../src/db/queries/cycle-history';
import { TypesettingInProgressError, whileTypesetting } from '../src/db/queries/typesetting-lock';
import { acceptedReportsFingerprint, indicatorYearsBefore } from '../src/db/queries/indicator-years';
import { indicatorTally } from '../src/domain/indicator-years';
import { chapterRendererFingerprint } from '../src/documents/chapter-renderer';
import { compileReport, fileChapterSink, type AcceptedReport } from '../src/documents/compile';
import { cycleStatisticsSection } from '../src/documents/cycle-statistics';
import type { MissingReport } from '../src/documents/model';
import { ArchiveInputMissingError, loadArchiveInput, removeArchiveInput, saveArchiveInput, archiveInputPaths } from '../src/documents/archive-input';
import { archiveState, isArchiveFormat, storedWithArchivePending, withArchiveFormats, type FormatStates } from '../src/documents/format-states';
import { chapterThreadReader, orderArtefacts, renderTextFormats, startRenderPool, typesetArchiveVolumes, type Artefact, type RenderStep } from '../src/documents/render/index';
import { defaultVolumeThreads } from '../src/documents/render/volume-pool';
import { loadReportTexts, ReportTextsError } from '../src/documents/texts';
import type { ActivityDeps } from './deps';
import { keepAlive } from './keep-alive';

export type CompileAnnualReportInput = {
  year: number;
  /** Idempotency key: the same key returns the version it made instead of making another. */
  requestId?: string;
  /** The "Stand" date (YYYY-MM-DD); today in the configured time zone when absent. */
  asOf?: string;
  /** A JSON file with the editable title, preface and introduction; the built-in texts when absent. */
  textsFile?: string;
  /**
   * 'follow': store the version once its text formats and figures are written, with PDF and DOCX
   * pending for typesetArchiveFormats. 'inline' (when absent: the input of workflows that scheduled
   * this activity before the archive formats followed) typesets them here before returning.
   */
  archiveFormats?: 'follow' | 'inline';
};

export type CompiledReportVersion = {
  year: number;
  version: number;
  asOf: string;
  createdAt: string;
  partners: number;
  chapters: number;
  missing: MissingReport[];
  /** Absolute folder of the rendered files. */
  dir: string;
  artefacts: Artefact[];
  /** Each format's state: the text formats ready, PDF and DOCX pending, ready or failed (with the reason). */
  formats: FormatStates;
};

/** Where compiled versions live: <data dir>/compiled-reports/<year>/v<version>/. */
export const compiledReportsFolder = 'compiled-reports';

/**
 * A finished step of a compilation: reading the reports, each format, and 'stored' when the version
 * is stored with its text formats (benchmarks print these). `at` counts from the start of its activity.
 */
export type CompilationStep = {
  step: 'read' | 'stored' | RenderStep['format'];
  seconds: number;
  at: number;
  files: number;
  reused: number;
  /** The read step's chapters: how many were taken from stored fragments, how many were parsed and rendered. */
  chapters?: { fromFragments: number; rendered: number };
};

/** Where a compilation has got to: told to the worker as heartbeat details and to `onStep`. */
type Progress = (step: CompilationStep) => void;

/**
 * Beyond the real dependencies, for benchmarks and tests: `onStep` hears each finished step,
 * `chaptersPerVolume` and `threads` change how PDF and DOCX are split and typeset.
 */
export type CompilationOptions = { onStep?: (step: CompilationStep) => void; chaptersPerVolume?: number; threads?: number };

export function createCompilationActivities({
  db,
  config,
  faults,
  onStep,
  chaptersPerVolume,
  threads,
}: Pick<ActivityDeps, 'db' | 'config'> & Partial<Pick<ActivityDeps, 'faults'>> & CompilationOptions) {
  const dataDir = resolve(config.dataDir);
  const view = (row: CompiledReportRow): CompiledReportVersion => ({
    year: row.year,
    version: row.version,
    asOf: row.asOf,
    createdAt: row.createdAt.toISOString(),
    partners: row.partners,
    chapters: row.chapters,
    missing: row.missing,
    dir: join(dataDir, row.storageDir),
    artefacts: row.artefacts,
    formats: row.formats,
  });

  /**
   * Runs a compilation step kept alive (activities/keep-alive.ts): each finished step is sent as
   * heartbeat details at once, and again every few seconds until the next, so its workflow's short
   * heartbeat timeout notices a dead worker within seconds however long a step takes (PDF and DOCX
   * of a large cycle take minutes). Outside a worker the steps only reach `onStep`.
   */
  const whileAlive = async <T>(run: (progress: Progress) => Promise<T>): Promise<T> => {
    const activity = asyncLocalStorage.getStore();
    const alive = keepAlive();
    try {
      return await run((step) => {
        alive.working(step);
        activity?.heartbeat(step);
        onStep?.(step);
      });
    } finally {
      alive.stop();
    }
  };

  /**
   * Typesets the PDF and DOCX volumes of a stored version into its folder and marks them ready.
   * Safe to retry: each volume is moved into place whole and its content key noted, so a retry
   * skips the volumes already there; a version already ready is returned as it is. A failure marks
   * them failed with the reason (and is thrown on, so the caller's retries still apply).
   */
  const typesetArchiveFormats = (input: { year: number; version: number }): Promise<CompiledReportVersion> => whileAlive((progress) => typeset(input, progress));

  /** typesetArchiveFormats, telling its steps to `progress` (compileAnnualReport's own when it typesets inline). */
  const typeset = async (input: { year: number; version: number }, progress: Progress): Promise<CompiledReportVersion> => {
    const row = await findCompiledReport(db, input.year, input.version);
    if (!row) throw ApplicationFailure.nonRetryable(`version: no compiled report ${input.year} version ${input.version}`, 'CompiledReportNotFound');
    const dir = join(dataDir, row.storageDir);
    if (archiveState(row.formats).state === 'ready') {
      // An attempt that died after marking them ready may have left the input behind.
      await removeArchiveInput(dir);
      return view(row);
    }
    try {
      return await whileTypesetting(db, row.id, () => typesetLocked(input, dir, progress));
    } catch (error) {
      // Retryable: by the next attempt the other process will have made them ready (or failed).
      if (error instanceof TypesettingInProgressError) throw ApplicationFailure.retryable(error.message, error.code);
      throw error;
    }
  };

  /** typesetArchiveFormats under the version's lock: read again, as another process may have just finished. */
  const typesetLocked = async (input: { year: number; version: number }, dir: string, progress: Progress): Promise<CompiledReportVersion> => {
    const row = await findCompiledReport(db, input.year, input.version);
    if (!row) throw ApplicationFailure.nonRetryable(`version: no compiled report ${input.year} version ${input.version}`, 'CompiledReportNotFound');
    if (archiveState(row.formats).state === 'ready') {
      await removeArchiveInput(dir);
      return view(row);
    }
    if (archiveState(row.formats).state === 'failed') {
      await updateCompiledFormats(db, row.id, { formats: withArchiveFormats(row.formats, { state: 'pending', since: new Date().toISOString() }) });
    }
    try {
      const report = await loadArchiveInput(dir);
      const previous = await findArchivedBefore(db, input.year, input.version);
      const started = performance.now();
      const volumes = await typesetArchiveVolumes(report, dir, {
        createdAt: row.createdAt,
        chaptersPerVolume,
        threads,
        keysDir: archiveInputPaths(dir).keys,
        onPlaced: (fileName) => faults?.at('compilation.afterVolumePlaced', `${input.year}/v${input.version}/${fileName}`),
        previous: previous && { dir: join(dataDir, previous.storageDir), artefacts: previous.artefacts },
        onStep: ({ format, ...rest }) => progress({ step: format, ...rest, at: (performance.now() - started) / 1000 }),
      });
      const textFiles = row.artefacts.filter((a) => !isArchiveFormat(a.format));
      const ready = await updateCompiledFormats(db, row.id, {
        formats: withArchiveFormats(row.formats, { state: 'ready', at: new Date().toISOString() }),
        artefacts: orderArtefacts([...volumes, ...textFiles]),
      });
      await removeArchiveInput(dir);
      return view(ready);
    } catch (error) {
      // Without its input no attempt can typeset the version: compiling again is the way.
      const failure = error instanceof ArchiveInputMissingError ? ApplicationFailure.nonRetryable(error.message, error.code) : error;
      // Failed only once no attempt follows: between Temporal's attempts the version stays pending,
      // so staff are not shown a failure (with a retry button) that the next attempt may mend.
      if (isLastAttempt(failure)) {
        const reason = error instanceof Error ? error.message : String(error);
        // The original error matters more than a failed note of it (the database may be what failed).
        await updateCompiledFormats(db, row.id, { formats: withArchiveFormats(row.formats, { state: 'failed', reason, at: new Date().toISOString() }) }).catch(() => undefined);
      }
      throw failure;
    }
  };

  /**
   * Renders the year's compiled report and stores it as a new version; earlier versions stay.
   * The text formats and figures are written first and the version stored with them; PDF and
   * DOCX follow (see `archiveFormats` in the input). Safe to retry: keyed by `requestId` (one
   * version per key); files are rendered into a staging folder and moved into place in the
   * transaction that numbers the version.
   */
  const compile = async (input: CompileAnnualReportInput, progress: Progress): Promise<CompiledReportVersion> => {
    const requestId = input.requestId ?? randomUUID();
    const inline = (input.archiveFormats ?? 'inline') === 'inline';
    const done = await findCompiledReportByRequest(db, requestId);
    if (done) return inline ? typeset({ year: done.year, version: done.version }, progress) : view(done);
    if (!(await cycleExists(db, input.year))) {
      throw ApplicationFailure.nonRetryable(`year: no reporting cycle for ${input.year}`, 'CycleNotFound');
    }
    let texts;
    try {
      texts = loadReportTexts(input.textsFile);
    } catch (error) {
      if (error instanceof ReportTextsError) throw ApplicationFailure.nonRetryable(error.message, error.code);
      throw error;
    }
    const asOf = input.asOf ?? DateTime.now().setZone(config.timezone).toISODate();
    if (asOf === null) throw new Error('compileAnnualReport: could not compute today in the configured time zone');

    await removeAbandonedStaging(join(dataDir, compiledReportsFolder));
    const staging = join(dataDir, compiledReportsFolder, `.staging-${randomUUID()}`);
    await mkdir(staging, { recursive: true });
    // Started before the reports are read, so the render threads load their libraries meanwhile; the reports are read on them.
    // One core fewer than there are: this thread is busy too (the database, writing what comes back), and a thread costs a
    // second of CPU to start. At most four: each holds a heap of its own, and four read 10,000 reports in about a second.
    const readingThreads = Math.max(1, Math.min((threads ?? defaultVolumeThreads) - 1, 4));
    const pool = startRenderPool(readingThreads);
    let stored: CompiledReportRow;
    try {
      const spool = join(staging, 'chapters.jsonl');
      // The chapters' HTML and Markdown, written while reading; put into their documents, then removed.
      const chapterBodies = { html: join(staging, 'chapters.html.part'), markdown: join(staging, 'chapters.md.part') };
      const started = performance.now();
      // Before the reports are read: see acceptedReportsFingerprint.
      const fingerprint = await acceptedReportsFingerprint(db, input.year);
      const renderer = await chapterRendererFingerprint();
      const fragments = chapterFragmentStore(db, renderer);
      const chapterCounts = { fromFragments: 0, rendered: 0 };
      const counted = async function* (reports: AsyncIterable<AcceptedReport>) {
        for await (const report of reports) {
          chapterCounts['fragment' in report ? 'fromFragments' : 'rendered'] += 1;
          yield report;
        }
      };
      const indicators = indicatorTally(input.year);
      const report = await compileReport({
        year: input.year,
        asOf,
        texts,
        partners: await listPartnersOfCycle(db, input.year),
        // Each report as the fragment an earlier compilation rendered from the same version row (its chapter's
        // text, written as it is), else as JSON text, parsed and rendered on a render thread and its fragment
        // stored for the next compilation. Pages of 500 (two held, about 12 MB of reports or 30 MB of fragments
        // with the seed's): fewer round trips while the threads keep up (measured faster than 200 at 2,000 partners).
        reports: counted(acceptedChapterSourcesOfCycle(db, input.year, renderer, 500)),
        reader: chapterThreadReader(pool, readingThreads, fragments),
        sink: fileChapterSink(spool, chapterBodies),
        cycleStatistics: await cycleStatisticsSection(await cycleStatisticsUpTo(db, input.year)),
        earlierIndicatorYears: await indicatorYearsBefore(db, input.year),
        indicators,
      });
      const read = (performance.now() - started) / 1000;
      progress({ step: 'read', seconds: read, at: read, files: 0, reused: 0, chapters: chapterCounts });
      const artefacts = await renderTextFormats(report, staging, {
        pool,
        chapterBodies,
        onStep: ({ format, at, ...rest }) => progress({ step: format, at: read + at, ...rest }),
      });
      await Promise.all([rm(chapterBodies.html), rm(chapterBodies.markdown)]);
      // The chapters stay with the version until its PDF and DOCX are typeset from them.
      await saveArchiveInput(staging, report, spool);
      const chapters = report.overview.rows.filter((row) => row.reportIncluded).length;
      stored = await db.transaction(async (tx) => {
        const version = await lockNextCompiledVersion(tx, input.year);
        const storageDir = join(compiledReportsFolder, String(input.year), `v${version}`);
        const target = join(dataDir, storageDir);
        // A folder without a row is what an earlier attempt left when its commit failed: replace it.
        await rm(target, { recursive: true, force: true });
        await mkdir(join(target, '..'), { recursive: true });
        await rename(staging, target);
        return insertCompiledReport(tx, {
          year: input.year,
          version,
          requestId,
          asOf,
          partners: report.overview.rows.length,
          chapters,
          missing: report.missing,
          artefacts,
          formats: storedWithArchivePending(
            artefacts.map((a) => a.format),
            new Date(),
          ),
          storageDir,
          indicators: { fingerprint, year: indicators.summary() },
        });
      });
      progress({ step: 'stored', seconds: 0, at: (performance.now() - started) / 1000, files: artefacts.length, reused: 0 });
      // The last fragments were written while the text formats were; none outlives the activity.
      await fragments.settle();
    } finally {
      await pool.close();
      await rm(staging, { recursive: true, force: true });
    }
    return inline ? typeset({ year: stored.year, version: stored.version }, progress) : view(stored);
  };

  return {
    /** Compiles the year's report as a new version (see compile), kept alive while it runs. */
    compileAnnualReport: (input: CompileAnnualReportInput): Promise<CompiledReportVersion> => whileAlive((progress) => compile(input, progress)),

    typesetArchiveFormats,
  };
}

/** A staging folder a day old belongs to a compilation whose process died; nothing will finish it. */
async function removeAbandonedStaging(folder: string): Promise<void> {
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  const entries = await readdir(folder).catch(() => []);
  for (const entry of entries.filter((name) => name.startsWith('.staging-'))) {
    const path = join(folder, entry);
    const modified = await stat(path).then((s) => s.mtimeMs).catch(() => Date.now());
    if (modified < dayAgo) await rm(path, { recursive: true, force: true });
  }
}

/**
 * Whether an activity's failure is final: not retryable, the retry policy's last attempt, or run
 * outside a worker (the CLI typesets in-process, once).
 */
function isLastAttempt(error: unknown): boolean {
  const activity = asyncLocalStorage.getStore();
  if (!activity) return true;
  if (error instanceof ApplicationFailure && error.nonRetryable) return true;
  const { attempt, retryPolicy } = activity.info;
  // A server that does not tell the policy: marked failed at once, as a person can retry it.
  if (!retryPolicy) return true;
  // Unlimited attempts (0): only a non-retryable failure is final.
  const maximumAttempts = retryPolicy.maximumAttempts ?? 0;
  return maximumAttempts > 0 && attempt >= maximumAttempts;
}
