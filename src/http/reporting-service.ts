/**
 * What the API and the pages do with an annual report, in one place: submit, decide, read its
 * status and timeline. Update failures become "field: reason" lines with an HTTP status, so bad
 * input is a 4xx wherever it comes from.
 */
import { WorkflowNotFoundError } from '@temporalio/common';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { createHash } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { annualReports, reportingCycles, reportVersions } from '../db/schema';
import { annualReportWorkflowId } from '../temporal/workflow-ids';
import { isWorkflowWaitOver } from './workflow-wait';
import {
  acceptReportUpdate,
  grantExtensionUpdate,
  reportStatusQuery,
  reportTimelineQuery,
  requestRevisionUpdate,
  submitReportUpdate,
  waiveReportUpdate,
  type AnnualReportWorkflow,
  type ReportStatusView,
  type SubmissionReceipt,
  type TimelineEntry,
} from '../../workflows/contracts/annual-report';

export type Refusal = { ok: false; status: 404 | 409 | 422; errors: string[] };
export type Outcome<T> = { ok: true; value: T } | Refusal;

export type ReportRef = { partnerNumber: number; year: number };

function handle(client: Client, ref: ReportRef) {
  return client.workflow.getHandle<AnnualReportWorkflow>(annualReportWorkflowId(ref.partnerNumber, ref.year));
}

/** Update and query failures the caller caused, as 4xx; anything else is thrown on. */
export function refusalOf(error: unknown): Refusal {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const lines = (error.cause.message || 'state: refused').split('\n');
    return { ok: false, status: error.cause.type === 'InvalidState' ? 409 : 422, errors: lines };
  }
  if (error instanceof WorkflowNotFoundError) {
    return { ok: false, status: 404, errors: ['report: there is no report workflow for this partner and year'] };
  }
  throw error;
}

async function attempt<T>(client: Client, ref: ReportRef, run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) return refusalOf(error);
    // No worker answered in time: a 503 (app.ts), not a question to the same absent worker.
    if (isWorkflowWaitOver(error)) throw error;
    // Not found, or ended? Asked of the workflow itself: an Update to an ended workflow reads as
    // "not found", and one for an unknown partner fails earlier, in the payload codec (no data key).
    const ended = await handle(client, ref)
      .describe()
      .then((description) => description.status.name)
      .catch((failure: unknown) => (failure instanceof WorkflowNotFoundError ? 'unknown' : undefined));
    if (ended === 'unknown') return refusalOf(new WorkflowNotFoundError('no such workflow', annualReportWorkflowId(ref.partnerNumber, ref.year), undefined));
    if (ended === undefined || ended === 'RUNNING' || !(error instanceof WorkflowNotFoundError)) return refusalOf(error);
    return { ok: false, status: 409, errors: [`state: the report's workflow has ended (${ended.toLowerCase()}); nothing can change any more`] };
  }
}

export function submitReport(client: Client, ref: ReportRef, report: unknown, submittedBy: string): Promise<Outcome<SubmissionReceipt>> {
  return attempt(client, ref, () => handle(client, ref).executeUpdate(submitReportUpdate, { args: [{ report, submittedBy }] }));
}

export const decisions = ['accept', 'revision', 'extension', 'waiver'] as const;
export type Decision = (typeof decisions)[number];

/** The decision's arguments go to the workflow unparsed: its Update validator is the one parser. */
export function decide(client: Client, ref: ReportRef, decision: Decision, args: unknown): Promise<Outcome<ReportStatusView>> {
  const h = handle(client, ref);
  return attempt(client, ref, () => {
    // The validators parse with zod; typed as the contract's args only for the compiler.
    switch (decision) {
      case 'accept':
        return h.executeUpdate(acceptReportUpdate, { args: [args as never] });
      case 'revision':
        return h.executeUpdate(requestRevisionUpdate, { args: [args as never] });
      case 'extension':
        return h.executeUpdate(grantExtensionUpdate, { args: [args as never] });
      case 'waiver':
        return h.executeUpdate(waiveReportUpdate, { args: [args as never] });
    }
  });
}

export function reportStatus(client: Client, ref: ReportRef): Promise<Outcome<ReportStatusView>> {
  return attempt(client, ref, () => handle(client, ref).query(reportStatusQuery));
}

export function reportTimeline(client: Client, ref: ReportRef): Promise<Outcome<TimelineEntry[]>> {
  return attempt(client, ref, () => handle(client, ref).query(reportTimelineQuery));
}

/**
 * What names the portal form's submission Update (request-update-ids.ts): the partner, the year, how
 * many versions are stored and the report itself. Posting the same form again after a 503 joins the
 * first Update; a submission after a stored version (a revision) is a new one, even if unchanged.
 */
export async function formSubmissionSeed(db: Database, ref: ReportRef & { organisationId: number }, body: unknown): Promise<string> {
  const [stored] = await db
    .select({ versions: count() })
    .from(reportVersions)
    .innerJoin(annualReports, eq(annualReports.id, reportVersions.annualReportId))
    .innerJoin(reportingCycles, eq(reportingCycles.id, annualReports.cycleId))
    .where(and(eq(annualReports.organisationId, ref.organisationId), eq(reportingCycles.year, ref.year)));
  const content = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  return `portal:${ref.partnerNumber}:${ref.year}:${stored?.versions ?? 0}:${content}`;
}

/** The stored copy of one of this organisation's submitted versions of `year`, by its reference number. */
export async function findSubmittedVersion(db: Database, organisationId: number, year: number, reference: string) {
  const [row] = await db
    .select({ version: reportVersions })
    .from(reportVersions)
    .innerJoin(annualReports, eq(annualReports.id, reportVersions.annualReportId))
    .innerJoin(reportingCycles, eq(reportingCycles.id, annualReports.cycleId))
    .where(and(eq(reportVersions.reference, reference), eq(annualReports.organisationId, organisationId), eq(reportingCycles.year, year)));
  return row?.version;
}
