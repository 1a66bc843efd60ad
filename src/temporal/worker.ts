import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { sql } from 'drizzle-orm';
import { createActivities, type ActivityDeps } from '../../activities';
import { faultsFor } from '../faults';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { partnerDataKeyStore } from '../db/queries/partner-data-keys';
import type { Mailer } from '../email/transport';
import type { ReadinessCheck } from '../observability/ops-server';
import { partnerflowDataConverter } from './data-converter';
import { loadWorkflowBundle, workflowPreloadModules, workflowsPath } from './workflow-bundle';
import { WORKER_SHUTDOWN_FORCE_MS, WORKER_SHUTDOWN_GRACE_MS } from './worker-shutdown';
import { prepareWorkflowThreads } from './workflow-threads';

export { workflowsPath };

export type PartnerflowWorkerOptions = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
} & Pick<
  WorkerOptions,
  | 'workflowBundle'
  | 'maxConcurrentActivityTaskExecutions'
  | 'maxCachedWorkflows'
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'workflowTaskPollerBehavior'
  | 'dataConverter'
  | 'shutdownGraceTime'
  | 'shutdownForceTime'
>;

export { WORKER_SHUTDOWN_GRACE_MS };

export type WorkerTuning = Required<
  Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions' | 'workflowTaskPollerBehavior' | 'maxConcurrentActivityTaskExecutions'>
>;

/**
 * The SDK options behind the WORKER_* settings. The cache is bounded, not sized from the heap
 * (the SDK's default would keep thousands of sleeping reports in memory on a large machine).
 */
export function workerTuning(settings: Config['worker']): WorkerTuning {
  return {
    maxCachedWorkflows: settings.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: settings.maxConcurrentWorkflowTaskExecutions,
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: settings.workflowTaskPollers },
    maxConcurrentActivityTaskExecutions: settings.maxConcurrentActivityTaskExecutions,
  };
}

/**
 * Creates (does not run) a worker hosting every workflow and activity. Tests use this too.
 * Its payloads are encrypted (codec.ts); a prebuilt `workflowBundle` must be bundled with
 * `failureConverterPath` so failures raised in workflow code are encoded as well.
 */
export async function createPartnerflowWorker(options: PartnerflowWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, deps, workflowBundle, dataConverter, ...rest } = options;
  prepareWorkflowThreads(deps.config.worker);
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    activities: createActivities(deps),
    dataConverter:
      dataConverter ??
      partnerflowDataConverter({
        payloadKeys: deps.config.payloadKeys,
        partnerKeys: partnerDataKeyStore(deps.db, deps.config.payloadKeys),
      }),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath, bundlerOptions: { preloadModules: workflowPreloadModules } }),
    ...rest,
  });
}

/** Runs the worker until `signal` aborts (Ctrl-C in the CLI or the dev stack). */
export async function runWorker(options: {
  config: Config;
  db: Database;
  mailer: Mailer;
  signal?: AbortSignal;
  /** Receives the worker once created, e.g. for a readiness check of its state. */
  onCreated?: (worker: Worker) => void;
}): Promise<void> {
  const { config, db, mailer, signal, onCreated } = options;
  if (signal?.aborted) return;
  // Side by side: a cached bundle loads in the time the connection takes; a stale one is rebuilt (seconds).
  const [loaded, connected] = await Promise.allSettled([
    loadWorkflowBundle(config.binaries.cacheDir),
    NativeConnection.connect({ address: config.temporal.address }),
  ]);
  if (connected.status === 'rejected') throw connected.reason;
  const connection = connected.value;
  if (loaded.status === 'rejected') {
    await connection.close();
    throw loaded.reason;
  }
  const { bundle } = loaded.value;
  try {
    const worker = await createPartnerflowWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      // No faults unless a fault drill set FAULT_INJECTION for this worker process.
      deps: { db, mailer, config, faults: faultsFor(config.faultInjection) },
      workflowBundle: bundle,
      shutdownGraceTime: WORKER_SHUTDOWN_GRACE_MS,
      shutdownForceTime: WORKER_SHUTDOWN_FORCE_MS,
      ...workerTuning(config.worker),
    });
    onCreated?.(worker);
    // The SDK may already be shutting down on its own signal handlers; a second shutdown throws.
    const stop = () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    };
    if (signal?.aborted) return;
    signal?.addEventListener('abort', stop, { once: true });
    try {
      await worker.run();
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  } finally {
    await connection.close();
  }
}

/** A worker process is ready when its database answers and its worker polls the task queue. */
export function workerReadiness(db: Database, worker: () => Worker | undefined): Record<string, ReadinessCheck> {
  return {
    database: async () => (await db.execute(sql`select 1`), true),
    worker: async () => worker()?.getState() === 'RUNNING',
  };
}
