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
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import type { CompiledReportVersion } from '../../activities/compilation';
import type { CycleCompilationView, CycleProgressView } from '../../workflows/contracts/cycle';
import { storeCycle } from '../cli/cycle-opening';
import { findCompiledReport, findCompiledReportByRequest, listCompiledReports } from '../db/queries/compilation';
import type { CompiledReportRow } from '../db/schema';
import { archiveFormatOfFile, archiveState, stateOf, type ArchiveFormat, type FormatState } from '../documents/format-states';
import { joinRuleSchema } from '../domain/cycle-settings';
import { cycleProgress, openCycleWorkflow, requestCompile, requestTypesetArchive } from '../temporal/cycle-client';
import { findCycleStatus, type CycleStatus } from '../db/queries/cycle-status';
import { listPartners } from '../db/queries/partners';
import { cycleExists, listOverrides } from '../db/queries/reporting';
import { defaultReportingPolicyFor } from '../domain/default-policy';
import { groupByDueDate, planCycleSends, type DueDateGroup } from '../domain/cycle-plan';
import { localDateSchema } from '../domain/local-date';
import { reportingPolicySchema, type ReportingPolicy } from '../domain/policy';
import type { AppDeps } from './context';
import type { Outcome } from './reporting-service';
import { isWorkflowWaitOver } from './workflow-wait';

/** What staff give to preview or open a cycle; the year is the route's. Defaults as `cycle open`. */
export const cycleOpeningSchema = z
  .strictObject({
    dueDate: localDateSchema,
    periodStart: localDateSchema.optional(),
    periodEnd: localDateSchema.optional(),
    /** A reminder policy as `cycle open --policy` reads it; the built-in one when absent. */
    policy: reportingPolicySchema.optional(),
    /** The day the report compiles by itself and is emailed to staff; left as stored when absent. */
    compileOn: localDateSchema.optional(),
    /** Who still reports after joining during the cycle; left as stored (or the default) when absent. */
    joinRule: joinRuleSchema.optional(),
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

export type CycleOpened = { year: number; dueDate: string; partners: number; workflowId: string; requestId: string };

/**
 * Stores the cycle as open and asks its workflow (`cycle/<year>`, started if none runs) to start
 * every active partner's report, in batches; returns at once. Opening again starts nothing twice.
 */
export async function openCycle(deps: AppDeps, opening: CycleOpening, by?: string): Promise<CycleOpened> {
  const policy = policyOf(deps, opening);
  const settings = opening.compileOn !== undefined || opening.joinRule !== undefined ? { compileOn: opening.compileOn, joinRule: opening.joinRule } : undefined;
  const partners = await storeCycle(deps.config, { ...opening, policy, settings }, true);
  const { handle, requestId } = await openCycleWorkflow(deps.temporal, deps.config.temporal.taskQueue, opening.year, by);
  return { year: opening.year, dueDate: opening.dueDate, partners: partners.length, workflowId: handle.workflowId, requestId };
}

/** How long a compile request waits for the cycle workflow to accept it. */
const COMPILE_ACCEPT_DEADLINE_MS = 10_000;

/** How long a page waits for the cycle workflow's answer: a query waits for a worker, a page should not. */
const PROGRESS_DEADLINE_MS = 2000;

/**
 * The cycle workflow's progress (opening, compilations, joins), or undefined when no workflow
 * runs for the year or no worker answers in time (the page then shows the database's view only).
 */
export async function cycleProgressView(deps: AppDeps, year: number): Promise<CycleProgressView | undefined> {
  try {
    return await deps.temporal.withDeadline(Date.now() + PROGRESS_DEADLINE_MS, () => cycleProgress(deps.temporal, year));
  } catch (error) {
    if (error instanceof WorkflowNotFoundError || isWorkflowWaitOver(error)) return undefined;
    throw error;
  }
}

export function cycleStatus(deps: AppDeps, year: number): Promise<CycleStatus | undefined> {
  return findCycleStatus(deps.db, year);
}

/** A compiled version as the web shows it: where its files live stays on the server. */
export type CompiledVersionView = Omit<CompiledReportVersion, 'dir'>;

export type CompileRequested = { requestId: string; status: CycleCompilationView['status'] };

/**
 * Asks the cycle workflow to compile the year's report as a new version (earlier ones stay) and
 * returns at once: a large cycle takes minutes, which no request should wait for. `requestId`
 * makes a retried request name the same compile.
 */
export async function requestCycleCompile(deps: AppDeps, input: { year: number; asOf?: string; requestId?: string; by?: string }): Promise<Outcome<CompileRequested>> {
  if (!(await cycleExists(deps.db, input.year))) return { ok: false, status: 404, errors: [`year: no reporting cycle for ${input.year}`] };
  const requestId = input.requestId ?? randomUUID();
  try {
    // The Update is accepted by the workflow, so a worker must answer; without one, say so rather than hang.
    const queued = await deps.temporal.withDeadline(Date.now() + COMPILE_ACCEPT_DEADLINE_MS, () =>
      requestCompile(deps.temporal, deps.config.temporal.taskQueue, input.year, { requestId, ...(input.asOf !== undefined && { asOf: input.asOf }), ...(input.by !== undefined && { by: input.by }) }),
    );
    return { ok: true, value: { requestId, status: queued.status } };
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) return { ok: false, status: 422, errors: (error.cause?.message ?? error.message).split('\n') };
    // The server keeps the request: it compiles once a worker runs again (and shows in GET …/requests/{id} then).
    if (isWorkflowWaitOver(error)) return { ok: false, status: 409, errors: [`state: no worker has taken compile request ${requestId} yet; it runs when a worker is back`] };
    throw error;
  }
}

/**
 * `status` 'compiled': the version is stored and its text formats can be downloaded; `archive` says
 * where its PDF and DOCX stand (pending while typeset, then ready, or failed with the reason).
 */
export type CompileRequestView = { requestId: string; status: CycleCompilationView['status']; version?: CompiledVersionView; archive?: FormatState; errors?: string[] };

/** Where a compile request stands: its version once stored (the database), else what the cycle workflow says. */
export async function compileRequest(deps: AppDeps, year: number, requestId: string): Promise<CompileRequestView | undefined> {
  const stored = await findCompiledReportByRequest(deps.db, requestId);
  if (stored && stored.year === year) return { requestId, status: 'compiled', version: versionView(stored), archive: archiveState(stored.formats) };
  const entry = (await cycleProgressView(deps, year))?.compilations.find((c) => c.requestId === requestId);
  if (!entry) return undefined;
  return { requestId, status: entry.status, ...(entry.errors && { errors: entry.errors }) };
}

function versionView(row: CompiledReportRow): CompiledVersionView {
  return {
    year: row.year,
    version: row.version,
    asOf: row.asOf,
    createdAt: row.createdAt.toISOString(),
    partners: row.partners,
    chapters: row.chapters,
    missing: row.missing,
    artefacts: row.artefacts,
    formats: row.formats,
  };
}

export async function compiledVersions(deps: AppDeps, year: number): Promise<CompiledVersionView[] | undefined> {
  if (!(await cycleExists(deps.db, year))) return undefined;
  const rows = await listCompiledReports(deps.db, year);
  // Newest first: the version staff want is usually the last one made.
  return [...rows].reverse().map(versionView);
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

export type CompiledFile =
  | { kind: 'file'; body: ReadableStream; contentType: string; bytes: number; fileName: string }
  /** A PDF or DOCX of a version whose archive formats are still being typeset, or failed. */
  | { kind: 'archive-not-ready'; format: ArchiveFormat; state: FormatState };

/**
 * One file of one stored version, only if the version lists it (no path from the request reaches
 * the disk); a PDF or DOCX asked for while the version's archive formats are pending or failed
 * says so instead of "no such file".
 */
export async function compiledFile(deps: AppDeps, year: number, version: number, fileName: string): Promise<CompiledFile | undefined> {
  const row = await findCompiledReport(deps.db, year, version);
  if (!row) return undefined;
  const artefact = row.artefacts.find((a) => a.fileName === fileName);
  if (!artefact) {
    const format = archiveFormatOfFile(fileName);
    const state = format && stateOf(row.formats, format);
    return format && state && state.state !== 'ready' ? { kind: 'archive-not-ready', format, state } : undefined;
  }
  const path = join(resolve(deps.config.dataDir), row.storageDir, artefact.fileName);
  const bytes = (await stat(path)).size;
  return { kind: 'file', body: Readable.toWeb(createReadStream(path)) as ReadableStream, contentType: contentTypes[artefact.format] ?? 'application/octet-stream', bytes, fileName: artefact.fileName };
}

/** What a refused download says, in German for the pages and the API alike (staff read both). */
export function archiveNotReadyText(file: Extract<CompiledFile, { kind: 'archive-not-ready' }>): string {
  const name = file.format === 'pdf' ? 'PDF' : 'DOCX';
  return file.state.state === 'failed'
    ? `Die ${name}-Fassung konnte nicht gesetzt werden: ${file.state.reason}`
    : `Die ${name}-Fassung wird noch gesetzt. Bitte versuchen Sie es in einigen Minuten erneut.`;
}

export type TypesetRequested = { year: number; version: number; status: 'queued' };

/**
 * Asks the cycle workflow to typeset a version's PDF and DOCX again after they failed (then to
 * email staff with them) and returns at once; the versions list shows how it goes.
 */
export async function requestArchiveRetry(deps: AppDeps, input: { year: number; version: number; by?: string }): Promise<Outcome<TypesetRequested>> {
  const row = await findCompiledReport(deps.db, input.year, input.version);
  if (!row) return { ok: false, status: 404, errors: [`version: no compiled report ${input.year} version ${input.version}`] };
  const archive = archiveState(row.formats);
  if (archive.state !== 'failed') {
    const why = archive.state === 'ready' ? 'are ready' : 'are still being typeset';
    return { ok: false, status: 409, errors: [`version: the PDF and DOCX of version ${input.version} ${why}; only failed ones are typeset again`] };
  }
  try {
    const queued = await deps.temporal.withDeadline(Date.now() + COMPILE_ACCEPT_DEADLINE_MS, () =>
      requestTypesetArchive(deps.temporal, deps.config.temporal.taskQueue, input.year, { version: input.version, ...(input.by !== undefined && { by: input.by }) }),
    );
    return { ok: true, value: { year: input.year, version: queued.version, status: queued.status } };
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) return { ok: false, status: 422, errors: (error.cause?.message ?? error.message).split('\n') };
    if (isWorkflowWaitOver(error)) return { ok: false, status: 409, errors: [`state: no worker has taken the request yet; it runs when a worker is back`] };
    throw error;
  }
}
