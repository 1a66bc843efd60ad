/**
 * The SDK's workflow threads, started without a watchdog per entry into a workflow's context.
 *
 * The SDK runs workflows on worker threads and enters a workflow's V8 context several times per
 * activation, each time with a 5 s `timeout` (its deadlock detection: a workflow task whose code
 * runs longer fails). Node enforces a vm timeout by starting and joining an OS thread with an
 * event loop of its own on every call (nodejs/node#47739; measured here 38 µs of CPU and 0.1 ms
 * of wall time per entry on an idle machine, much more under load): at a thousand report starts
 * that was half of the workflow thread's busy time. The SDK offers no option to leave the timeout
 * out, so its workflow threads get a preload that drops it (workflow-thread-preload.cjs).
 *
 * What is given up: a workflow whose code never yields now blocks its workflow thread instead of
 * failing its task after 5 s; the server's workflow task timeout (10 s) still moves the task on.
 * Our workflows are deterministic code of our own, lint-restricted, without unbounded loops.
 * WORKER_DEADLOCK_DETECTION=on keeps the SDK's behaviour (e.g. while developing a workflow).
 */
import workerThreads from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

/** Beside this module in src/temporal/ and, copied by scripts/build-cli.ts, in dist/cli/. */
export const workflowThreadPreload = fileURLToPath(new URL('./workflow-thread-preload.cjs', import.meta.url));

// The thread the SDK starts for its workflows (threaded-vm.ts: `new Worker(require.resolve('./workflow-worker-thread'))`).
const sdkWorkflowThread = /[\\/]@temporalio[\\/]worker[\\/]lib[\\/]workflow[\\/]workflow-worker-thread\.js$/;

let installed = false;

/**
 * From now on, workflow threads the SDK starts in this process load the preload. Only the SDK's
 * workflow thread file is touched; every other worker thread starts as asked. Idempotent, and
 * never undone: two workers created at once in one process must not restore each other's state.
 */
export function dropWorkflowEntryTimeouts(): void {
  if (installed) return;
  installed = true;
  const Original = workerThreads.Worker;
  class WorkflowThreadAware extends Original {
    constructor(filename: string | URL, options?: workerThreads.WorkerOptions) {
      const sdkThread = sdkWorkflowThread.test(filename instanceof URL ? fileURLToPath(filename) : filename);
      super(filename, sdkThread ? { ...options, execArgv: [...(options?.execArgv ?? process.execArgv), '--require', workflowThreadPreload] } : options);
    }
  }
  // The SDK reads `Worker` from the module object when it starts a thread, so replacing it there is seen.
  (workerThreads as { Worker: typeof workerThreads.Worker }).Worker = WorkflowThreadAware;
}

/** Applies WORKER_DEADLOCK_DETECTION before a worker is created: off drops the entry timeouts. */
export function prepareWorkflowThreads(settings: { deadlockDetection: boolean }): void {
  if (!settings.deadlockDetection) dropWorkflowEntryTimeouts();
}
