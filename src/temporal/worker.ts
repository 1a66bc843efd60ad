import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { sql } from 'drizzle-orm';
import { createActivities, createDocumentActivities, type ActivityDeps } from '../../activities';
import { documentsTaskQueue } from '../../workflows/contracts/task-queues';
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
    dataConverter: dataConverter ?? productDataConverter(deps),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath, bundlerOptions: { preloadModules: workflowPreloadModules } }),
    ...rest,
  });
}

/** The product's encrypting converter, with the partner keys from the database. */
function productDataConverter(deps: ActivityDeps) {
  return partnerflowDataConverter({ payloadKeys: deps.config.payloadKeys, partnerKeys: partnerDataKeyStore(deps.db, deps.config.payloadKeys) });
}

/**
 * Creates (does not run) the documents worker: the typesetting activity alone, on the documents
 * queue beside `taskQueue`, one volume set at a time (it already typesets on a thread per core).
 */
export async function createDocumentsWorker(
  options: Pick<PartnerflowWorkerOptions, 'connection' | 'namespace' | 'taskQueue' | 'deps' | 'dataConverter' | 'shutdownGraceTime' | 'shutdownForceTime'>,
): Promise<Worker> {
  const { connection, namespace, taskQueue, deps, dataConverter, ...rest } = options;
  return Worker.create({
    connection,
    namespace,
    taskQueue: documentsTaskQueue(taskQueue),
    activities: createDocumentActivities(deps),
    dataConverter: dataConverter ?? productDataConverter(deps),
    maxConcurrentActivityTaskExecutions: 1,
    ...rest,
  });
}

/** Runs the worker(s) of WORKER_ROLE until `signal` aborts (Ctrl-C in the CLI or the dev stack). */
export async function runWorker(options: {
  config: Config;
  db: Database;
  mailer: Mailer;
  signal?: AbortSignal;
  /** Receives the workers once created, e.g. for a readiness check of their state. */
  onCreated?: (workers: Worker[]) => void;
}): Promise<void> {
  const { config, db, mailer, signal, onCreated } = options;
  const { role } = config.worker;
  if (signal?.aborted) return;
  const withWorkflows = role !== 'documents';
  // Side by side: a cached bundle loads in the time the connection takes; a stale one is rebuilt (seconds).
  const [loaded, connected] = await Promise.allSettled([
    withWorkflows ? loadWorkflowBundle(config.binaries.cacheDir) : Promise.resolve(undefined),
    NativeConnection.connect({ address: config.temporal.address }),
  ]);
  if (connected.status === 'rejected') throw connected.reason;
  const connection = connected.value;
  if (loaded.status === 'rejected') {
    await connection.close();
    throw loaded.reason;
  }
  try {
    const shared = {
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      // No faults unless a fault drill set FAULT_INJECTION for this worker process.
      deps: { db, mailer, config, faults: faultsFor(config.faultInjection) },
      shutdownGraceTime: WORKER_SHUTDOWN_GRACE_MS,
      shutdownForceTime: WORKER_SHUTDOWN_FORCE_MS,
    };
    const workers: Worker[] = [];
    if (loaded.value) workers.push(await createPartnerflowWorker({ ...shared, workflowBundle: loaded.value.bundle, ...workerTuning(config.worker) }));
    if (role !== 'workflows') workers.push(await createDocumentsWorker(shared));
    onCreated?.(workers);
    // The SDK may already be shutting down on its own signal handlers; a second shutdown throws.
    const stop = () => {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    };
    if (signal?.aborted) return;
    signal?.addEventListener('abort', stop, { once: true });
    try {
      // One worker failing stops the others, so the process ends and its supervisor sees it.
      await Promise.all(workers.map((worker) => worker.run().catch((error: unknown) => (stop(), Promise.reject(error)))));
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  } finally {
    await connection.close();
  }
}

/** A worker process is ready when its database answers and each of its workers polls its task queue. */
export function workerReadiness(db: Database, workers: () => Worker[]): Record<string, ReadinessCheck> {
  return {
    database: async () => (await db.execute(sql`select 1`), true),
    worker: async () => {
      const running = workers();
      return running.length > 0 && running.every((worker) => worker.getState() === 'RUNNING');
    },
  };
}
