/**
 * Workflow threads enter a workflow's context without the SDK's 5 s timeout (WORKER_DEADLOCK_DETECTION
 * off, the default; src/temporal/workflow-threads.ts): a workflow task that runs longer than that
 * completes instead of failing as a "potential deadlock". Without the SDK's promise hook
 * (WORKER_STACK_TRACES off, the default) the call stack query says stack traces are off; on, it
 * answers with the workflow's stack.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spin, spinningWorkflow } from '../fixtures/workflows/spinning';
import { thirtyDayTimerWorkflow } from '../fixtures/workflows/thirty-day-timer';
import { bundleOf, createReportingWorld, type ReportingWorld } from '../support/reporting-world';

const testWorkflows = fileURLToPath(new URL('../fixtures/workflows/index.ts', import.meta.url));
const sdkEntryTimeoutMs = 5_000;
let world: ReportingWorld;

beforeAll(async () => {
  world = await createReportingWorld();
});

afterAll(async () => {
  await world.teardown();
});

/** Rounds of `spin` that take about `cpuMs` of CPU here (CPU, not wall time: a loaded machine only makes the task longer). */
function roundsFor(cpuMs: number): number {
  const sample = 20_000_000;
  spin(sample); // warm up the JIT first
  const before = process.cpuUsage();
  spin(sample);
  const used = process.cpuUsage(before);
  return Math.ceil((sample * cpuMs * 1000) / Math.max(1, used.user + used.system));
}

it('completes a workflow task that runs longer than the SDK’s 5 s entry timeout', async () => {
  expect(world.config.worker.deadlockDetection).toBe(false);
  const rounds = roundsFor(sdkEntryTimeoutMs + 1_500);
  const workflowId = `spinning-${Date.now()}`;
  const started = Date.now();
  const result = await world.withWorker(
    () => world.env.client.workflow.execute(spinningWorkflow, { taskQueue: world.taskQueue, workflowId, args: [rounds], workflowTaskTimeout: '60 seconds' }),
    { bundle: await bundleOf(testWorkflows) },
  );
  const elapsedMs = Date.now() - started;

  expect(result).toBe(spin(rounds));
  // The task really held its thread past the SDK's limit (so the SDK's watchdog would have ended it)...
  expect(elapsedMs).toBeGreaterThan(sdkEntryTimeoutMs);
  // ...and it completed on its first attempt.
  const { events } = await world.env.client.workflow.getHandle(workflowId).fetchHistory();
  expect(events?.filter((event) => event.workflowTaskFailedEventAttributes)).toEqual([]);
}, 120_000);

function messages(error: unknown): string[] {
  if (!(error instanceof Error)) return [String(error)];
  return [error.message, ...(error.cause === undefined ? [] : messages(error.cause))];
}

/**
 * What the SDK's call stack query (the Web UI's "Call Stack") answers for a sleeping workflow, or
 * that it failed (the failure's message is sealed by our codec and reaches a bare client as
 * "Encoded failure"); and whether the SDK's metadata query answered meanwhile.
 */
async function callStackWith(stackTraces: boolean): Promise<{ stack: string; metadataAnswered: boolean }> {
  const workflowId = `sleeping-${stackTraces ? 'traced' : 'untraced'}-${Date.now()}`;
  const bundle = await bundleOf(testWorkflows);
  return world.withWorker(
    async () => {
      const handle = await world.env.client.workflow.start(thirtyDayTimerWorkflow, { taskQueue: world.taskQueue, workflowId });
      try {
        const stack = await handle.query<string>('__stack_trace').catch((error: unknown) => `failed: ${messages(error).join(': ')}`);
        const metadata = await handle.query<{ definition?: { type?: string } }>('__temporal_workflow_metadata');
        return { stack, metadataAnswered: metadata.definition?.type === 'thirtyDayTimerWorkflow' };
      } finally {
        await handle.terminate('test done');
      }
    },
    { bundle, config: { worker: { ...world.config.worker, stackTraces } } },
  );
}

it("keeps the SDK's promise hook out unless stack traces are asked for", async () => {
  expect(world.config.worker.stackTraces).toBe(false);
  const untraced = await callStackWith(false);
  expect(untraced.stack).toMatch(/^failed: Failed to query Workflow/);
  // The workflow answers other queries all the same: only the stack is off.
  expect(untraced.metadataAnswered).toBe(true);
  const traced = await callStackWith(true);
  expect(traced.stack).toContain('thirtyDayTimerWorkflow');
  expect(traced.metadataAnswered).toBe(true);
}, 120_000);
