/** The time-skipping test server in use: a month passes in a moment, activities still run for real. */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { thirtyDayTimerWorkflow } from '../fixtures/workflows/thirty-day-timer';
import { bundleOf, createReportingWorld, type ReportingWorld } from '../support/reporting-world';

const testWorkflows = fileURLToPath(new URL('../fixtures/workflows/index.ts', import.meta.url));
let world: ReportingWorld;

beforeAll(async () => {
  world = await createReportingWorld();
});

afterAll(async () => {
  await world.teardown();
});

it('completes a workflow with a 30-day timer in seconds of wall time', async () => {
  const bundle = await bundleOf(testWorkflows);
  const wallStart = Date.now();
  const result = await world.withWorker(
    () =>
      world.env.client.workflow.execute(thirtyDayTimerWorkflow, {
        taskQueue: world.taskQueue,
        workflowId: `thirty-days-${wallStart}`,
      }),
    { bundle },
  );
  const wallSeconds = (Date.now() - wallStart) / 1000;
  expect(result.sleptMs).toBeGreaterThanOrEqual(30 * 24 * 3600 * 1000);
  expect(result.partners).toBe(1); // the activity read the real database after the timer
  expect(wallSeconds).toBeLessThan(20); // a real month could never pass here; typically about 1 s
});
