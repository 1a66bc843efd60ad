/**
 * The SDK's workflow threads, started without a watchdog per entry into a workflow's context and
 * with a bounded heap (prepareWorkflowThreads below says why).
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
/** The preload that keeps the SDK's promise hook out (workflow-thread-no-stack-traces.cjs), placed as the one above. */
export const workflowThreadNoStackTraces = fileURLToPath(new URL('./workflow-thread-no-stack-traces.cjs', import.meta.url));

// The thread the SDK starts for its workflows (threaded-vm.ts: `new Worker(require.resolve('./workflow-worker-thread'))`).
const sdkWorkflowThread = /[\\/]@temporalio[\\/]worker[\\/]lib[\\/]workflow[\\/]workflow-worker-thread\.js$/;

/** What the next workflow thread the SDK starts in this process gets (prepareWorkflowThreads). */
type ThreadSettings = { dropEntryTimeouts: boolean; stackTraces: boolean; heapMb: number | undefined };
let settings: ThreadSettings | undefined;

/**
 * From now on, workflow threads the SDK starts in this process get `next`: the preload that drops
 * the entry timeouts, and a bound on their heap. Only the SDK's workflow thread file is touched;
 * every other worker thread starts as asked. The constructor is replaced once and never restored:
 * two workers created at once in one process must not restore each other's state; each thread
 * takes the settings of the last call before it starts.
 */
function applyToWorkflowThreads(next: ThreadSettings): void {
  const installed = settings !== undefined;
  settings = next;
  if (installed) return;
  const Original = workerThreads.Worker;
  class WorkflowThreadAware extends Original {
    constructor(filename: string | URL, options?: workerThreads.WorkerOptions) {
      const sdkThread = sdkWorkflowThread.test(filename instanceof URL ? fileURLToPath(filename) : filename);
      super(filename, sdkThread && settings ? workflowThreadOptions(options, settings) : options);
    }
  }
  // The SDK reads `Worker` from the module object when it starts a thread, so replacing it there is seen.
  (workerThreads as { Worker: typeof workerThreads.Worker }).Worker = WorkflowThreadAware;
}

function workflowThreadOptions(
  options: workerThreads.WorkerOptions | undefined,
  { dropEntryTimeouts, stackTraces, heapMb }: ThreadSettings,
): workerThreads.WorkerOptions {
  const preloads = [...(dropEntryTimeouts ? [workflowThreadPreload] : []), ...(stackTraces ? [] : [workflowThreadNoStackTraces])];
  return {
    ...options,
    execArgv: [...(options?.execArgv ?? process.execArgv), ...preloads.flatMap((preload) => ['--require', preload])],
    resourceLimits: heapMb === undefined ? options?.resourceLimits : { ...options?.resourceLimits, maxOldGenerationSizeMb: heapMb },
  };
}

/**
 * Applies the worker settings before a worker is created: WORKER_DEADLOCK_DETECTION off drops the
 * entry timeouts; WORKER_STACK_TRACES off keeps the SDK's promise hook out (its cost is in
 * workflow-thread-no-stack-traces.cjs); WORKER_WORKFLOW_HEAP_MB bounds the workflow thread's old generation. Without the
 * bound V8 sizes the heap from the machine's memory (4 GB on a 24 GB machine) and lets a wave's garbage pile up
 * to several times the cached workflows' live state before it collects (at 10,000 partners: 615 MB
 * used, 174 MB after the collection). With it, V8 collects sooner and the process stays smaller.
 */
export function prepareWorkflowThreads(worker: { deadlockDetection: boolean; stackTraces: boolean; workflowHeapMb?: number }): void {
  applyToWorkflowThreads({ dropEntryTimeouts: !worker.deadlockDetection, stackTraces: worker.stackTraces, heapMb: worker.workflowHeapMb });
}
