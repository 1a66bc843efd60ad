/**
 * Workflow threads enter a workflow's context without the SDK's 5 s timeout (WORKER_DEADLOCK_DETECTION
 * off, the default; src/temporal/workflow-threads.ts): a workflow task that runs longer than that
 * completes instead of failing as a "potential deadlock".
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spin, spinningWorkflow } from '../fixtures/workflows/spinning';
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
