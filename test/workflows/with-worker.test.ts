/**
 * The test worlds' withWorker after a test that timed out: that test's body still waits, and its
 * workers with it; the next withWorker stops them instead of failing to register on the same queue.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createReportingWorld, type ReportingWorld } from '../support/reporting-world';
import { loadedStatus } from '../support/workflow-story';

let world: ReportingWorld;

beforeAll(async () => {
  world = await createReportingWorld();
  await world.openCycle(2027, '2027-03-31');
});

afterAll(async () => {
  await world.teardown();
});

it('runs the next body after one that never ends', async () => {
  let entered: () => void = () => undefined;
  const inBody = new Promise<void>((resolve) => (entered = resolve));
  // As vitest leaves a test that timed out in its body: nothing awaits it any more.
  world.withWorker(() => (entered(), new Promise<never>(() => undefined))).catch(() => undefined);
  await inBody;
  const status = await world.withWorker(async () => loadedStatus(await world.startReport({ year: 2027 })));
  expect(status.phase).toBe('awaiting_submission');
});
