/**
 * What each cached workflow costs the worker, measured on the SDK's own sandbox: the workflow
 * bundle is loaded into the SDK's reusable V8 context (`ReusableVMWorkflowCreator`, the one
 * `Worker` uses; preloading and freezing included), then N annual reports are created there and
 * given their first two activations from a recorded history (start, then the loaded reporting
 * context), as a worker's cache holds them after their first tasks. No server, database or SMTP:
 * only workflow code runs, so the figures are the workflow's own (heap after a full GC, CPU per
 * first task) and which modules each workflow evaluated for itself.
 */
import { readFileSync } from 'node:fs';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { msToTs } from '@temporalio/common/lib/time';
import proto, { type coresdk, type temporal } from '@temporalio/proto';
// The SDK's sandbox itself (not part of its public API, so pinned by the SDK version in package.json).
import { ReusableVMWorkflowCreator } from '@temporalio/worker/lib/workflow/reusable-vm';
import type { WorkflowCreateOptions } from '@temporalio/worker/lib/workflow/interface';
import { z } from 'zod';

export type WorkflowMemoryFigures = {
  workflows: number;
  /** Heap the N workflows hold, after a full GC, divided by N. */
  heapBytesPerWorkflow: number;
  /** CPU (user + system) of the first workflow's activations (two; three with a submission), and the mean over all. */
  firstTaskCpuMs: number;
  meanTaskCpuMs: number;
  /** Modules the last workflow evaluated for itself (the rest are shared by all). */
  ownModules: string[];
};

const historySchema = z.object({
  events: z.array(
    z.looseObject({
      eventType: z.string(),
      eventTime: z.string(),
      workflowExecutionStartedEventAttributes: z
        .looseObject({ workflowType: z.object({ name: z.string() }), input: z.object({ payloads: z.array(z.unknown()) }) })
        .optional(),
      activityTaskCompletedEventAttributes: z.looseObject({ result: z.object({ payloads: z.array(z.unknown()) }) }).optional(),
    }),
  ),
});

const jsonPayloadSchema = z.object({ metadata: z.record(z.string(), z.string()), data: z.string() });

/** A JSON payload of a history file (plain, not encrypted) as the sandbox receives it. */
function payloadOf(raw: unknown): temporal.api.common.v1.IPayload {
  const { metadata, data } = jsonPayloadSchema.parse(raw);
  return {
    metadata: Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(data, 'base64'),
  };
}

/**
 * The start and the first activity result of a recorded annual report (e.g.
 * test/fixtures/histories/annual-report-never-submitted.json): what its first two tasks receive.
 */
export function firstTasksOf(historyFile: string): { workflowType: string; startedAt: Date; input: temporal.api.common.v1.IPayload[]; contextAt: Date; context: temporal.api.common.v1.IPayload } {
  const { events } = historySchema.parse(JSON.parse(readFileSync(historyFile, 'utf8')));
  const started = events[0];
  const completed = events.find((event) => event.activityTaskCompletedEventAttributes);
  const start = started?.workflowExecutionStartedEventAttributes;
  const result = completed?.activityTaskCompletedEventAttributes?.result.payloads[0];
  if (!started || !start || !completed || result === undefined) throw new Error(`${historyFile}: no start and completed activity`);
  return {
    workflowType: start.workflowType.name,
    startedAt: new Date(started.eventTime),
    input: start.input.payloads.map(payloadOf),
    contextAt: new Date(completed.eventTime),
    context: payloadOf(result),
  };
}

const timestamp = (at: Date) => msToTs(at.getTime());

/** A value as the SDK's default converter puts it into a payload (the codec encrypts outside the sandbox). */
const jsonPayload = (value: unknown): temporal.api.common.v1.IPayload => ({
  metadata: { encoding: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify(value)),
});

/** Forces a full collection. V8 gives `gc` to contexts created after the flag is set. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

/**
 * `submission`: the submit Update's argument (`{ report, submittedBy }`); when given, each report
 * also receives it as a third task, as one that was submitted and awaits review is cached.
 */
export async function measureWorkflowMemory(options: { bundleCode: string; historyFile: string; workflows: number; submission?: unknown }): Promise<WorkflowMemoryFigures> {
  const tasks = firstTasksOf(options.historyFile);
  const creator = await ReusableVMWorkflowCreator.create(
    { code: options.bundleCode, filename: 'workflow-bundle.js', sourceMap: { version: 3, file: 'workflow-bundle.js', sources: [], names: [], mappings: '' } },
    5_000,
    new Set(['openReport', 'loadReportingContext', 'recordReportState', 'storeReportVersion', 'recordReview', 'recordNoticeGivenUp', 'sendNotice']),
    undefined,
  );
  const cached: Awaited<ReturnType<typeof creator.createWorkflow>>[] = [];
  let ownModules: string[] = [];
  let firstTaskCpuMs = 0;
  try {
    collectGarbage();
    const heapBefore = getHeapStatistics().used_heap_size;
    const allStarted = process.cpuUsage();
    for (let i = 0; i < options.workflows; i += 1) {
      const runId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const started = process.cpuUsage();
      const workflow = await creator.createWorkflow(createOptions(tasks, runId, i));
      await expectCommands(workflow, activation(runId, tasks.startedAt, [
        { initializeWorkflow: { workflowId: `annual-report-bench-${i}`, workflowType: tasks.workflowType, arguments: tasks.input, randomnessSeed: i, attempt: 1, firstExecutionRunId: runId, startTime: timestamp(tasks.startedAt) } },
      ]), 'openReport');
      // The recorded history loaded its context with an activity; openReport returns the same.
      await expectCommands(workflow, activation(runId, tasks.contextAt, [{ resolveActivity: { seq: 1, isLocal: true, result: { completed: { result: tasks.context } } } }]));
      if (options.submission !== undefined) {
        // Validated (the report schema), accepted, then waiting for the activity that stores the version.
        const submittedAt = new Date(tasks.contextAt.getTime() + 60_000);
        const update = { id: `submit-${i}`, protocolInstanceId: `submit-${i}`, name: 'submitReport', input: [jsonPayload(options.submission)], meta: { updateId: `submit-${i}`, identity: 'bench' }, runValidator: true };
        await expectCommands(workflow, activation(runId, submittedAt, [{ doUpdate: update }]), 'storeReportVersion');
      }
      if (i === 0) firstTaskCpuMs = cpuMs(started);
      // The last one's: the first may also evaluate what a shared module builds once for the thread (report-submission.ts).
      if (i === options.workflows - 1) ownModules = [...(workflow as unknown as { activator: { moduleCache: Map<string, unknown> } }).activator.moduleCache.keys()];
      cached.push(workflow);
    }
    const meanTaskCpuMs = cpuMs(allStarted) / options.workflows;
    collectGarbage();
    const heapAfter = getHeapStatistics().used_heap_size;
    return { workflows: options.workflows, heapBytesPerWorkflow: (heapAfter - heapBefore) / options.workflows, firstTaskCpuMs, meanTaskCpuMs, ownModules };
  } finally {
    for (const workflow of cached) await workflow.dispose();
    // A workflow that failed mid-activation is not disposable: its error (thrown above) is the news.
    await creator.destroy().catch(() => undefined);
  }
}

function createOptions(tasks: ReturnType<typeof firstTasksOf>, runId: string, i: number): WorkflowCreateOptions {
  return {
    info: {
      workflowId: `annual-report-bench-${i}`,
      runId,
      workflowType: tasks.workflowType,
      searchAttributes: {},
      typedSearchAttributes: undefined as never,
      taskQueue: 'workflow-memory',
      namespace: 'default',
      firstExecutionRunId: runId,
      originalExecutionRunId: runId,
      startTime: tasks.startedAt,
      runStartTime: tasks.startedAt,
      taskTimeoutMs: 10_000,
      attempt: 1,
      historyLength: 3,
      historySize: 0,
      continueAsNewSuggested: false,
      targetWorkerDeploymentVersionChanged: false,
      suggestedContinueAsNewReasons: undefined,
      currentBuildId: '',
      unsafe: { now: () => Date.now(), isReplaying: false, isReplayingHistoryEvents: false, random: Math.random },
      priority: {},
    } as unknown as WorkflowCreateOptions['info'],
    randomnessSeed: [i],
    now: tasks.startedAt.getTime(),
    showStackTraceSources: false,
  };
}

/** `fromObject` turns plain numbers into the protobuf's Long fields (the randomness seed). */
function activation(runId: string, at: Date, jobs: Record<string, unknown>[]): coresdk.workflow_activation.IWorkflowActivation {
  return proto.coresdk.workflow_activation.WorkflowActivation.fromObject({ runId, timestamp: timestamp(at), isReplaying: false, historyLength: 3, jobs });
}

/** Activates the workflow and fails unless it completed the task (and scheduled `activityType`, remote or local, if given). */
async function expectCommands(
  workflow: { activate(a: coresdk.workflow_activation.IWorkflowActivation): Promise<coresdk.workflow_completion.IWorkflowActivationCompletion> },
  job: coresdk.workflow_activation.IWorkflowActivation,
  activityType?: string,
): Promise<void> {
  const completion = await workflow.activate(job);
  if (completion.failed) throw new Error(`workflow task failed: ${completion.failed.failure?.message ?? 'unknown'}`);
  const commands = completion.successful?.commands ?? [];
  const scheduled = (command: (typeof commands)[number]) => command.scheduleActivity?.activityType ?? command.scheduleLocalActivity?.activityType;
  if (activityType && !commands.some((command) => scheduled(command) === activityType)) {
    throw new Error(`the first task did not schedule ${activityType}: ${JSON.stringify(commands).slice(0, 300)}`);
  }
}
