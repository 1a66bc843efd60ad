/** Compiling the year's annual report from the accepted reports in the database. */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ApplicationFailure, asyncLocalStorage } from '@temporalio/activity';
import { DateTime } from 'luxon';
import {
  acceptedReportsOfCycle,
  cycleExists,
  findCompiledReport,
  findCompiledReportByRequest,
  insertCompiledReport,
  listPartnersOfCycle,
  lockNextCompiledVersion,
} from '../src/db/queries/compilation';
import type { CompiledReportRow } from '../src/db/schema';
import { cycleStatisticsUpTo } from '../src/db/queries/cycle-history';
import { acceptedReportsFingerprint, indicatorYearsBefore } from '../src/db/queries/indicator-years';
import { indicatorTally } from '../src/domain/indicator-years';
import { compileReport, fileChapterSink } from '../src/documents/compile';
import { cycleStatisticsSection } from '../src/documents/cycle-statistics';
import type { MissingReport } from '../src/documents/model';
import { renderAllFormats, startRenderPool, type Artefact, type RenderStep } from '../src/documents/render/index';
import { loadReportTexts, ReportTextsError } from '../src/documents/texts';
import type { ActivityDeps } from './deps';

export type CompileAnnualReportInput = {
  year: number;
  /** Idempotency key: the same key returns the version it made instead of making another. */
  requestId?: string;
  /** The "Stand" date (YYYY-MM-DD); today in the configured time zone when absent. */
  asOf?: string;
  /** A JSON file with the editable title, preface and introduction; the built-in texts when absent. */
  textsFile?: string;
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
};

/** Where compiled versions live: <data dir>/compiled-reports/<year>/v<version>/. */
export const compiledReportsFolder = 'compiled-reports';

/** A finished step of a compilation: reading the reports, then each format (benchmarks print these). */
export type CompilationStep = { step: 'read' | RenderStep['format']; seconds: number; at: number; files: number; reused: number };

/**
 * Beyond the real dependencies, for benchmarks and tests: `onStep` hears each finished step,
 * `chaptersPerVolume` and `threads` change how PDF and DOCX are split and typeset.
 */
export type CompilationOptions = { onStep?: (step: CompilationStep) => void; chaptersPerVolume?: number; threads?: number };

export function createCompilationActivities({
  db,
  config,
  onStep,
  chaptersPerVolume,
  threads,
}: Pick<ActivityDeps, 'db' | 'config'> & CompilationOptions) {
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
  });

  return {
    /**
     * Renders every format of the year's compiled report and stores it as a new version; earlier
     * versions stay. Safe to retry: keyed by `requestId` (one version per key); files are rendered
     * into a staging folder and moved into place in the transaction that numbers the version.
     */
    async compileAnnualReport(input: CompileAnnualReportInput): Promise<CompiledReportVersion> {
      // Progress as heartbeat details when run by a worker (PDF and DOCX of a large cycle take minutes).
      const activity = asyncLocalStorage.getStore();
      const progress = (step: CompilationStep) => {
        activity?.heartbeat(step);
        onStep?.(step);
      };
      const requestId = input.requestId ?? randomUUID();
      const done = await findCompiledReportByRequest(db, requestId);
      if (done) return view(done);
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
      // Started before the reports are read, so the render threads load their libraries meanwhile.
      const pool = startRenderPool();
      try {
        const spool = join(staging, 'chapters.jsonl');
        const started = performance.now();
        // Before the reports are read: see acceptedReportsFingerprint.
        const fingerprint = await acceptedReportsFingerprint(db, input.year);
        const indicators = indicatorTally(input.year);
        const report = await compileReport({
          year: input.year,
          asOf,
          texts,
          partners: await listPartnersOfCycle(db, input.year),
          reports: acceptedReportsOfCycle(db, input.year),
          sink: fileChapterSink(spool),
          cycleStatistics: await cycleStatisticsSection(await cycleStatisticsUpTo(db, input.year)),
          earlierIndicatorYears: await indicatorYearsBefore(db, input.year),
          indicators,
        });
        const read = (performance.now() - started) / 1000;
        progress({ step: 'read', seconds: read, at: read, files: 0, reused: 0 });
        // The newest version so far: its PDF and DOCX volumes whose content has not changed are taken over.
        const previous = await findCompiledReport(db, input.year);
        const artefacts = await renderAllFormats(report, staging, {
          createdAt: new Date(),
          chaptersPerVolume,
          threads,
          pool,
          previous: previous && { dir: join(dataDir, previous.storageDir), artefacts: previous.artefacts },
          onStep: ({ format, at, ...rest }) => progress({ step: format, at: read + at, ...rest }),
        });
        await rm(spool);
        const chapters = report.overview.rows.filter((row) => row.reportIncluded).length;
        const stored = await db.transaction(async (tx) => {
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
            storageDir,
            indicators: { fingerprint, year: indicators.summary() },
          });
        });
        return view(stored);
      } finally {
        await pool.close();
        await rm(staging, { recursive: true, force: true });
      }
    },
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
