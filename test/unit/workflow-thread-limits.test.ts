/**
 * The SDK's workflow thread gets the heap bound of the worker settings (WORKER_WORKFLOW_HEAP_MB,
 * src/temporal/workflow-threads.ts); other worker threads of the process start as asked.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { afterEach, expect, it } from 'vitest';
import { prepareWorkflowThreads } from '../../src/temporal/workflow-threads';

const require = createRequire(import.meta.url);
const sdkWorkflowThread = require.resolve('@temporalio/worker/lib/workflow/workflow-worker-thread.js');
const started: Worker[] = [];

function start(filename: string, options?: ConstructorParameters<typeof Worker>[1]): Worker {
  // Read from the module at call time, as the SDK does, so the replaced constructor is the one used.
  const { Worker: Current } = require('node:worker_threads') as typeof import('node:worker_threads');
  const thread = new Current(filename, options);
  started.push(thread);
  return thread;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((thread) => thread.terminate()));
});

it("bounds the SDK workflow thread's old generation, and a later worker's settings apply to the threads it starts", () => {
  prepareWorkflowThreads({ deadlockDetection: false, stackTraces: false, workflowHeapMb: 200 });
  expect(start(sdkWorkflowThread).resourceLimits?.maxOldGenerationSizeMb).toBe(200);
  prepareWorkflowThreads({ deadlockDetection: true, stackTraces: true, workflowHeapMb: 300 });
  expect(start(sdkWorkflowThread).resourceLimits?.maxOldGenerationSizeMb).toBe(300);
});

it('leaves other worker threads as they were asked for', () => {
  prepareWorkflowThreads({ deadlockDetection: false, stackTraces: false, workflowHeapMb: 200 });
  const other = start('setInterval(() => {}, 1000)', { eval: true });
  expect(other.resourceLimits?.maxOldGenerationSizeMb).not.toBe(200);
});
