/**
 * The benchmark's floor worker: the tiny workflows of test/fixtures/workflows/floor.ts on their
 * own task queue, with the same WORKER_* tuning as Partnerflow's worker, in a process of its own
 * (as Partnerflow's is). Started by `npm run bench`; prints "ready" once it polls, stops on SIGTERM.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../src/config';
import { loadWorkflowBundle } from '../src/temporal/workflow-bundle';
import { workerTuning } from '../src/temporal/worker';
import { prepareWorkflowThreads } from '../src/temporal/workflow-threads';
import type { FloorActivities } from '../test/fixtures/workflows/floor';

const floorWorkflowsPath = fileURLToPath(new URL('../test/fixtures/workflows/floor.ts', import.meta.url));

const config = loadConfig();
const [{ bundle }, connection] = await Promise.all([
  loadWorkflowBundle(config.binaries.cacheDir, { workflowsPath: floorWorkflowsPath }),
  NativeConnection.connect({ address: config.temporal.address }),
]);
const activities: FloorActivities = { touch: async () => undefined };
// As Partnerflow's worker does, so the floor differs from it by the workflows alone.
prepareWorkflowThreads(config.worker);
const worker = await Worker.create({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  workflowBundle: bundle,
  activities,
  ...workerTuning(config.worker),
});
const running = worker.run();
process.stdout.write('ready\n');
try {
  await running;
} finally {
  await connection.close();
}
