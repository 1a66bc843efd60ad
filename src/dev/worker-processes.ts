import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Config, WorkerRole } from '../config';
import type { Log } from './log';

/**
 * Workers of the production topology: each its own process running `partnerflow worker`, as the
 * compose file's worker containers do, so one can be killed while the others keep working.
 */

export type WorkerProcess = {
  /** 1, 2, 3 … in order of start; also the prefix of its log lines. */
  number: number;
  pid: number;
  /** Its /metrics, /healthz and /readyz: each worker process serves its own. */
  metricsPort: number;
  /** Settles when the process has exited, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (the worker finishes its tasks and stops), then SIGKILL after the grace period. */
  stop(): Promise<void>;
};

const cliPath = fileURLToPath(new URL('../../bin/partnerflow.js', import.meta.url));
/** Within the stack's 15 s per part; a worker still busy after it is killed (its tasks are retried elsewhere). */
const stopGraceMs = 10_000;

/** The environment that makes `partnerflow worker` use exactly this configuration. */
export function workerEnvironment(config: Config): NodeJS.ProcessEnv {
  return {
    // Whatever else the operator set (and later settings) passes through unchanged.
    ...process.env,
    DATABASE_URL: config.database.url,
    TEMPORAL_ADDRESS: config.temporal.address,
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    SMTP_URL: config.smtp.url,
    MAIL_FROM: config.smtp.from,
    PUBLIC_BASE_URL: config.publicBaseUrl,
    DEFAULT_TIMEZONE: config.timezone,
    SENDING_WINDOW_START: config.sendingWindow.start,
    SENDING_WINDOW_END: config.sendingWindow.end,
    LOG_LEVEL: config.logLevel,
    PARTNERFLOW_DATA_DIR: config.dataDir,
    PARTNERFLOW_CACHE: config.binaries.cacheDir,
    WORKER_MAX_CACHED_WORKFLOWS: String(config.worker.maxCachedWorkflows),
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: String(config.worker.maxConcurrentWorkflowTaskExecutions),
    WORKER_WORKFLOW_TASK_POLLERS: String(config.worker.workflowTaskPollers),
    WORKER_MAX_CONCURRENT_ACTIVITIES: String(config.worker.maxConcurrentActivityTaskExecutions),
    WORKER_DEADLOCK_DETECTION: config.worker.deadlockDetection ? 'on' : 'off',
    WORKER_STACK_TRACES: config.worker.stackTraces ? 'on' : 'off',
    WORKER_WORKFLOW_HEAP_MB: String(config.worker.workflowHeapMb),
    WORKER_ROLE: config.worker.role,
  };
}

/**
 * `env`: variables for this process only, e.g. a fault drill's FAULT_INJECTION. `role`: what it
 * runs (WORKER_ROLE; default the configuration's).
 */
export function startWorkerProcess(
  number: number,
  config: Config,
  log: Log,
  metricsPort: number,
  { env = {}, role = config.worker.role }: { env?: NodeJS.ProcessEnv; role?: WorkerRole } = {},
): WorkerProcess {
  // WORKER_NODE_ARGS: Node flags for the worker processes alone, e.g. `--cpu-prof --cpu-prof-dir=DIR`
  // to profile a bench's worker (scripts/profile-summary.ts reads the result); NODE_OPTIONS refuses --cpu-prof.
  const nodeArgs = process.env.WORKER_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, cliPath, 'worker'], {
    // Two malloc arenas instead of glibc's eight per core: the SDK's core and Node's threads otherwise
    // each keep their own arena's freed memory (the Dockerfile sets the same).
    env: { MALLOC_ARENA_MAX: '2', ...workerEnvironment(config), METRICS_PORT: String(metricsPort), WORKER_ROLE: role, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C reaches the stack, which stops workers first and in order.
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', log);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (error) => {
      log(`could not start: ${error.message}`);
      resolve({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  void exited.then(() => process.off('exit', killOnExit));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const graceful = await Promise.race([exited.then(() => true), sleep(stopGraceMs, false, { ref: false })]);
    if (!graceful) {
      log(`did not stop within ${stopGraceMs / 1000} s; killing it`);
      child.kill('SIGKILL');
      await exited;
    }
  };
  return { number, pid: child.pid ?? -1, metricsPort, exited, stop };
}
