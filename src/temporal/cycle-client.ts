/**
 * Talking to the year's cycle workflow: open it (starting it if it does not run yet), follow an
 * opening's progress, ask for a compile. The CLI, the web pages and the API all come through here.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import {
  compileCycleUpdate,
  typesetArchiveUpdate,
  type TypesetArchiveArgs,
  cycleProgressQuery,
  cycleWorkflowType,
  openCycleSignal,
  type CompileCycleArgs,
  type CycleCompilationView,
  type CycleProgressView,
  type CycleSweepView,
  type CycleWorkflow,
} from '../../workflows/contracts/cycle';
import { ReportYear, WorkflowKind } from '../../workflows/contracts/search-attributes';
import { cycleWorkflowId } from './workflow-ids';

function startOptions(taskQueue: string, year: number) {
  return {
    workflowId: cycleWorkflowId(year),
    taskQueue,
    args: [{ year }] as [{ year: number }],
    staticSummary: `Reporting cycle ${year}`,
    // A cycle whose workflow ended (or failed) may be opened again: its reports' ids keep it idempotent.
    workflowIdReusePolicy: 'ALLOW_DUPLICATE' as const,
    typedSearchAttributes: [
      { key: WorkflowKind, value: 'cycle' },
      { key: ReportYear, value: year },
    ],
  };
}

/**
 * Opens the year's cycle: starts its workflow if none runs, else reuses it, and asks it for one
 * pass over the active partners (one atomic call, so two openers never start two workflows).
 * The request id names this opening in the workflow's progress.
 */
export async function openCycleWorkflow(client: Client, taskQueue: string, year: number, by?: string): Promise<{ handle: WorkflowHandle<CycleWorkflow>; requestId: string }> {
  const requestId = randomUUID();
  const handle = await client.workflow.signalWithStart<CycleWorkflow, [{ requestId: string; by?: string }]>(cycleWorkflowType, {
    ...startOptions(taskQueue, year),
    signal: openCycleSignal,
    signalArgs: [{ requestId, ...(by !== undefined && { by }) }],
  });
  return { handle: client.workflow.getHandle<CycleWorkflow>(handle.workflowId), requestId };
}

/** The year's cycle workflow, started (without opening anything) if none runs: for a compile of a cycle opened before it existed. */
export async function cycleWorkflowHandle(client: Client, taskQueue: string, year: number): Promise<WorkflowHandle<CycleWorkflow>> {
  try {
    await client.workflow.start<CycleWorkflow>(cycleWorkflowType, startOptions(taskQueue, year));
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return client.workflow.getHandle<CycleWorkflow>(cycleWorkflowId(year));
}

export async function cycleProgress(client: Client, year: number): Promise<CycleProgressView> {
  return client.workflow.getHandle<CycleWorkflow>(cycleWorkflowId(year)).query(cycleProgressQuery);
}

/**
 * Waits until the opening named `requestId` has been swept, calling `progress` with each view
 * (the CLI's progress bar reads `sweep.opened` of `sweep.total`).
 */
export async function waitForOpening(
  handle: WorkflowHandle<CycleWorkflow>,
  requestId: string,
  progress: (view: CycleProgressView) => void = () => undefined,
  pollMs = 500,
): Promise<CycleSweepView> {
  for (;;) {
    const view = await handle.query(cycleProgressQuery);
    progress(view);
    if (view.doneRequests.includes(requestId) && view.sweep) return view.sweep;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Queues a compile in the cycle workflow and returns at once; the version appears in its progress (and the database) when done. */
export async function requestCompile(client: Client, taskQueue: string, year: number, args: CompileCycleArgs): Promise<CycleCompilationView> {
  const handle = await cycleWorkflowHandle(client, taskQueue, year);
  return handle.executeUpdate(compileCycleUpdate, { args: [args] });
}

/** Queues typesetting a version's PDF and DOCX again (after they failed); returns at once. */
export async function requestTypesetArchive(client: Client, taskQueue: string, year: number, args: TypesetArchiveArgs): Promise<{ version: number; status: 'queued' }> {
  const handle = await cycleWorkflowHandle(client, taskQueue, year);
  return handle.executeUpdate(typesetArchiveUpdate, { args: [args] });
}
