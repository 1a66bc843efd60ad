/**
 * The reporting cycle as the web sees it: preview (a dry run of the plan), open, status, compile and
 * the compiled versions' files. A thin layer over the functions the CLI's `cycle` commands use
 * (storing and starting, the status query, the compile activity), so both act the same; the one
 * place to re-point when those functions move.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { createCompilationActivities, type CompiledReportVersion } from '../../activities/compilation';
import { describeStarts, startCycleReports, storeCycle, type CycleStarts } from '../cli/cycle-opening';
import { findCompiledReport, listCompiledReports } from '../db/queries/compilation';
import { findCycleStatus, type CycleStatus } from '../db/queries/cycle-status';
import { listPartners } from '../db/queries/partners';
import { cycleExists, listOverrides } from '../db/queries/reporting';
import { defaultReportingPolicyFor } from '../domain/default-policy';
import { groupByDueDate, planCycleSends, type DueDateGroup } from '../domain/cycle-plan';
import { localDateSchema } from '../domain/local-date';
import { reportingPolicySchema, type ReportingPolicy } from '../domain/policy';
import type { AppDeps } from './context';
import type { Outcome } from './reporting-service';

/** What staff give to preview or open a cycle; the year is the route's. Defaults as `cycle open`. */
export const cycleOpeningSchema = z
  .strictObject({
    dueDate: localDateSchema,
    periodStart: localDateSchema.optional(),
    periodEnd: localDateSchema.optional(),
    /** A reminder policy as `cycle open --policy` reads it; the built-in one when absent. */
    policy: reportingPolicySchema.optional(),
  })
  .refine((o) => o.periodStart === undefined || o.periodEnd === undefined || o.periodStart <= o.periodEnd, { path: ['periodEnd'], message: 'must not be before periodStart' });
export type CycleOpeningInput = z.input<typeof cycleOpeningSchema>;
type CycleOpening = z.output<typeof cycleOpeningSchema> & { year: number };

function policyOf(deps: AppDeps, opening: CycleOpening): ReportingPolicy {
  return opening.policy ?? defaultReportingPolicyFor({ timezone: deps.config.timezone, sendingWindow: deps.config.sendingWindow });
}

/** One due date's plan and the partners it is for (partners share a few due dates). */
export type PlannedGroup = DueDateGroup;
export type CyclePreview = { year: number; dueDate: string; timezone: string; steps: number; partners: number; warnings: string[]; groups: PlannedGroup[] };

/**
 * The dry run of `cycle open`: per due date (an override already stored for the year wins over
 * the cycle's), the sends its reports would plan, in the policy's calendar. Stores and starts nothing.
 */
export async function previewCycle(deps: AppDeps, opening: CycleOpening): Promise<CyclePreview> {
  const policy = policyOf(deps, opening);
  const partners = (await listPartners(deps.db)).filter((partner) => partner.status === 'active');
  const plan = planCycleSends({ dueDate: opening.dueDate, policy, partners, overrides: await listOverrides(deps.db, opening.year) });
  return {
    year: opening.year,
    dueDate: opening.dueDate,
    timezone: plan.timezone,
    steps: plan.steps,
    partners: partners.length,
    warnings: plan.warnings,
    groups: groupByDueDate(plan.partners),
  };
}

export type CycleOpened = { year: number; dueDate: string; partners: number; summary: string } & CycleStarts;

/** Stores the cycle as open and starts every active partner's report once; opening again starts nothing twice. */
export async function openCycle(deps: AppDeps, opening: CycleOpening): Promise<CycleOpened> {
  const policy = policyOf(deps, opening);
  const partners = await storeCycle(deps.config, { ...opening, policy }, true);
  const starts = await startCycleReports(deps.temporal, deps.config, opening.year, partners);
  return { year: opening.year, dueDate: opening.dueDate, partners: partners.length, ...starts, summary: describeStarts(starts).trim() };
}

export function cycleStatus(deps: AppDeps, year: number): Promise<CycleStatus | undefined> {
  return findCycleStatus(deps.db, year);
}

/** A compiled version as the web shows it: where its files live stays on the server. */
export type CompiledVersionView = Omit<CompiledReportVersion, 'dir'>;

/**
 * Compiles the year's report from the accepted reports as a new version (earlier ones stay), in
 * this process as `cycle compile` does. `requestId` makes a retried request return its version.
 */
export async function compileCycle(deps: AppDeps, input: { year: number; asOf?: string; requestId?: string }): Promise<Outcome<CompiledVersionView>> {
  try {
    const { dir: _dir, ...version } = await createCompilationActivities(deps).compileAnnualReport(input);
    return { ok: true, value: version };
  } catch (error) {
    if (error instanceof ApplicationFailure && error.nonRetryable) return { ok: false, status: error.type === 'CycleNotFound' ? 404 : 422, errors: error.message.split('\n') };
    throw error;
  }
}

export async function compiledVersions(deps: AppDeps, year: number): Promise<CompiledVersionView[] | undefined> {
  if (!(await cycleExists(deps.db, year))) return undefined;
  const rows = await listCompiledReports(deps.db, year);
  // Newest first: the version staff want is usually the last one made.
  return [...rows].reverse().map((row) => ({
    year: row.year,
    version: row.version,
    asOf: row.asOf,
    createdAt: row.createdAt.toISOString(),
    partners: row.partners,
    chapters: row.chapters,
    missing: row.missing,
    artefacts: row.artefacts,
  }));
}

const contentTypes: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  svg: 'image/svg+xml',
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** One file of one stored version, only if the version lists it (no path from the request reaches the disk). */
export async function compiledFile(deps: AppDeps, year: number, version: number, fileName: string): Promise<{ body: ReadableStream; contentType: string; bytes: number; fileName: string } | undefined> {
  const row = await findCompiledReport(deps.db, year, version);
  const artefact = row?.artefacts.find((a) => a.fileName === fileName);
  if (!row || !artefact) return undefined;
  const path = join(resolve(deps.config.dataDir), row.storageDir, artefact.fileName);
  const bytes = (await stat(path)).size;
  return { body: Readable.toWeb(createReadStream(path)) as ReadableStream, contentType: contentTypes[artefact.format] ?? 'application/octet-stream', bytes, fileName: artefact.fileName };
}
