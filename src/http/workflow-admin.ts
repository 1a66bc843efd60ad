/**
 * What admins do with workflows: list them by search attributes, read a history as a timeline,
 * open the same workflow in the Temporal Web UI, cancel or terminate one with a reason (audited).
 */
import { WorkflowNotFoundError } from '@temporalio/common';
import { recordAudit } from '../db/queries/audit';
import { historyTimeline, type TimelineRow } from '../temporal/history-timeline';
import { visibilityQuery, type WorkflowFilters } from '../temporal/visibility-query';
import { nowOf, type AppDeps } from './context';

export const workflowActions = ['cancel', 'terminate'] as const;
export type WorkflowAction = (typeof workflowActions)[number];

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

export async function workflowHistory(
  deps: AppDeps,
  workflowId: string,
): Promise<{ workflowId: string; temporalUiUrl: string; status: string; events: TimelineRow[] } | undefined> {
  try {
    const handle = deps.temporal.workflow.getHandle(workflowId);
    // One after the other: for an unknown id describe() says so as WorkflowNotFoundError, while
    // fetchHistory() fails with a bare gRPC NOT_FOUND that, racing ahead, would read as a fault.
    const description = await handle.describe();
    const history = await handle.fetchHistory();
    return { workflowId, temporalUiUrl: temporalUiUrl(deps, workflowId), status: description.status.name, events: historyTimeline(history) };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

export async function runWorkflowAction(
  deps: AppDeps,
  workflowId: string,
  action: WorkflowAction,
  reason: string,
  actor: string,
): Promise<{ ok: true } | { ok: false; status: 404 | 409; errors: string[] }> {
  const handle = deps.temporal.workflow.getHandle(workflowId);
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return { ok: false, status: 409, errors: [`id: the workflow is ${description.status.name.toLowerCase()}, not running`] };
    if (action === 'cancel') await handle.cancel();
    else await handle.terminate(reason);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { ok: false, status: 404, errors: ['id: no such workflow'] };
    throw error;
  }
  await recordAudit(deps.db, { occurredAt: nowOf(deps), actor, entityType: 'workflow', entityId: workflowId, action, details: { reason } });
  return { ok: true };
}
