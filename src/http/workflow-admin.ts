/**
 * What admins do with workflows: list them by search attributes, read a history as a timeline,
 * open the same workflow in the Temporal Web UI, cancel or terminate one with a reason, retry a
 * failed one (all audited).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { recordAudit } from '../db/queries/audit';
import { adminReadingCodec } from '../temporal/admin-codec';
import { decodeHistoryPayloads } from '../temporal/history-decoding';
import { detailedHistoryTimeline, type DetailedTimelineRow } from '../temporal/history-timeline';
import { partnerNumberOfWorkflowId } from '../temporal/workflow-ids';
import { visibilityQuery, type WorkflowFilters } from '../temporal/visibility-query';
import { nowOf, type AppDeps } from './context';

export const workflowActions = ['cancel', 'terminate', 'retry'] as const;
export type WorkflowAction = (typeof workflowActions)[number];
/** What each action needs the workflow to be: running to stop it, failed or timed out to retry it. */
export const actionableStatuses: Record<WorkflowAction, readonly string[]> = {
  cancel: ['RUNNING'],
  terminate: ['RUNNING'],
  retry: ['FAILED', 'TIMED_OUT'],
};

/** The Temporal Web UI page of one workflow (the dev server's UI runs beside its frontend). */
export function temporalUiUrl(deps: Pick<AppDeps, 'config'>, workflowId: string): string {
  const { temporal } = deps.config;
  const host = temporal.address.split(':')[0] ?? 'localhost';
  // The admin's browser runs on the same machine as a local server: one name for loopback.
  const shown = host === '127.0.0.1' || host === '[::1]' ? 'localhost' : host;
  return `http://${shown}:${temporal.uiPort}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export type WorkflowRow = {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  startTime: string;
  closeTime?: string;
  temporalUiUrl: string;
};

export async function listWorkflows(deps: AppDeps, filters: WorkflowFilters, limit = 200): Promise<WorkflowRow[]> {
  const rows: WorkflowRow[] = [];
  const query = visibilityQuery(filters);
  for await (const execution of deps.temporal.workflow.list(query === '' ? {} : { query })) {
    rows.push({
      workflowId: execution.workflowId,
      runId: execution.runId,
      type: execution.type,
      status: execution.status.name,
      startTime: execution.startTime.toISOString(),
      ...(execution.closeTime ? { closeTime: execution.closeTime.toISOString() } : {}),
      temporalUiUrl: temporalUiUrl(deps, execution.workflowId),
    });
    if (rows.length >= limit) break;
  }
  return rows;
}

/**
 * A workflow's history for an admin, its payloads decrypted (they hold partners' data) and shown as
 * JSON. Reading a partner's decrypted data is audited, as erasure and every partner link use are:
 * who read which partner's workflow, and when.
 */
export async function workflowHistory(
  deps: AppDeps,
  workflowId: string,
  reader: string,
): Promise<{ workflowId: string; temporalUiUrl: string; status: string; events: DetailedTimelineRow[] } | undefined> {
  let status: string;
  let events: DetailedTimelineRow[];
  try {
    const handle = deps.temporal.workflow.getHandle(workflowId);
    // One after the other: for an unknown id describe() says so as WorkflowNotFoundError, while
    // fetchHistory() fails with a bare gRPC NOT_FOUND that, racing ahead, would read as a fault.
    const description = await handle.describe();
    const history = await decodeHistoryPayloads(await handle.fetchHistory(), adminReadingCodec(deps));
    status = description.status.name;
    events = detailedHistoryTimeline(history);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
  const partnerNumber = partnerNumberOfWorkflowId(workflowId);
  await recordAudit(deps.db, {
    occurredAt: nowOf(deps),
    actor: reader,
    // Its own entity type: reads sit beside, not among, the changes made to the workflow.
    entityType: 'workflow_history',
    entityId: workflowId,
    action: 'read',
    details: { decoded: true, ...(partnerNumber !== undefined && { partnerNumber }) },
  });
  return { workflowId, temporalUiUrl: temporalUiUrl(deps, workflowId), status, events };
}

export async function runWorkflowAction(
  deps: AppDeps,
  workflowId: string,
  action: WorkflowAction,
  reason: string,
  actor: string,
): Promise<{ ok: true } | { ok: false; status: 404 | 409; errors: string[] }> {
  const handle = deps.temporal.workflow.getHandle(workflowId);
  let details: Record<string, unknown> = { reason };
  try {
    const description = await handle.describe();
    const allowed = actionableStatuses[action];
    if (!allowed.includes(description.status.name)) {
      const wanted = action === 'retry' ? 'failed or timed out' : 'running';
      return { ok: false, status: 409, errors: [`id: the workflow is ${description.status.name.toLowerCase().replace('_', ' ')}, not ${wanted}`] };
    }
    if (action === 'cancel') await handle.cancel();
    else if (action === 'terminate') await handle.terminate(reason);
    else details = { reason, ...(await resetFailedRun(deps, workflowId, description.runId, reason)) };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { ok: false, status: 404, errors: ['id: no such workflow'] };
    throw error;
  }
  await recordAudit(deps.db, { occurredAt: nowOf(deps), actor, entityType: 'workflow', entityId: workflowId, action, details });
  return { ok: true };
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * The point a failed run is retried from, as Temporal's reset takes it (a completed workflow
 * task): the task that scheduled the activity that failed, so that activity runs again; without
 * one (the workflow's own code failed, or it timed out), the last completed workflow task.
 */
export function resetPointOf(events: HistoryEvent[]): number | undefined {
  const failed = [...events].reverse().find((e) => e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes);
  const scheduledId = Number((failed?.activityTaskFailedEventAttributes ?? failed?.activityTaskTimedOutEventAttributes)?.scheduledEventId ?? 0);
  const scheduled = events.find((e) => Number(e.eventId) === scheduledId)?.activityTaskScheduledEventAttributes;
  if (scheduled?.workflowTaskCompletedEventId) return Number(scheduled.workflowTaskCompletedEventId);
  const lastTask = [...events].reverse().find((e) => e.workflowTaskCompletedEventAttributes);
  return lastTask ? Number(lastTask.eventId) : undefined;
}

/**
 * Retries a failed run with Temporal's reset, its documented remedy once the cause is fixed: the
 * history up to the point is kept (emails already sent are not sent again), the rest runs anew
 * with the current code and data, under the same workflow id.
 */
async function resetFailedRun(deps: AppDeps, workflowId: string, runId: string, reason: string): Promise<{ resetToEventId: number; newRunId: string }> {
  const history = await deps.temporal.workflow.getHandle(workflowId, runId).fetchHistory();
  const point = resetPointOf(history.events ?? []);
  if (point === undefined) throw new Error(`${workflowId}: no completed workflow task to reset to`);
  const response: temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse = await deps.temporal.workflowService.resetWorkflowExecution({
    namespace: deps.config.temporal.namespace,
    workflowExecution: { workflowId, runId },
    reason,
    // An int64 field: protobufjs takes a plain number, its typings name only Long.
    workflowTaskFinishEventId: point as never,
    requestId: randomUUID(),
  });
  return { resetToEventId: point, newRunId: response.runId ?? '' };
}
