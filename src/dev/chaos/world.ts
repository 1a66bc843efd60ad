import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, type Config, type WorkerRole } from '../../config';
import { createDb, type Database } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { partnerDataKeyStore } from '../../db/queries/partner-data-keys';
import { findTemporalServer, temporalServerVersion } from '../../temporal/binaries';
import { partnerflowDataConverter } from '../../temporal/data-converter';
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from '../postgres';
import { freePort } from '../ports';
import { freeServerPorts, startTemporalPostgresServer, type TemporalPostgresServer, type TemporalServerPorts } from '../temporal-postgres';
import { loadTemporalTopology } from '../topology';
import { startWorkerProcess, type WorkerProcess } from '../worker-processes';
import { documentsTaskQueue } from '../../../workflows/contracts/task-queues';
import { startMessageIdSink, type MessageIdSink } from './message-id-sink';

/**
 * The production topology of `npm run stack`, part by part, so a drill can SIGKILL any part and
 * start it again on the same data and ports: embedded PostgreSQL (ours and Temporal's databases),
 * Temporal server 1.29.1 on it, N `partnerflow worker` processes, and the drill's SMTP sink.
 * Everything lives in a temporary folder that stop() removes.
 */

export type ChaosWorker = WorkerProcess & {
  /** Milliseconds from spawn until the server listed it as a poller of the workflow task queue. */
  polling: Promise<number>;
};

export type ChaosWorld = {
  config: Config;
  db: Database;
  client: Client;
  sink: MessageIdSink;
  /** Worker processes that have not exited, in order of start. */
  liveWorkers(): ChaosWorker[];
  /**
   * `faultInjection`: FAULT_INJECTION for this process only (e.g. 'notice.afterSmtpAccepted:kill');
   * `role`: what it runs (WORKER_ROLE), the world's when absent.
   */
  startWorker(options?: { faultInjection?: string; role?: WorkerRole }): Promise<ChaosWorker>;
  killWorker(worker: ChaosWorker): Promise<void>;
  killTemporal(): Promise<void>;
  /** Starts the server again on the same database and ports; resolves once it answers. */
  restartTemporal(): Promise<void>;
  temporalRunning(): boolean;
  /** SIGKILLs the postmaster and every backend, as a crashed host or a killed container would. */
  killPostgres(): Promise<void>;
  restartPostgres(): Promise<void>;
  /** The last lines the parts logged, to explain a failed drill. */
  recentLog(): string[];
  stop(): Promise<void>;
};

const logKept = 200;

/** `role`: what the N workers started with the world run (WORKER_ROLE; default all). */
export async function startChaosWorld(options: { workers: number; role?: WorkerRole; log: (line: string) => void }): Promise<ChaosWorld> {
  const cacheConfig = loadConfig({ PARTNERFLOW_CACHE: process.env.PARTNERFLOW_CACHE });
  const binaries = findTemporalServer(cacheConfig.binaries.cacheDir);
  if (!binaries) {
    throw new Error(`no Temporal server ${temporalServerVersion} in ${cacheConfig.binaries.cacheDir}: run \`npm run provision -- --server\` first`);
  }
  const topology = loadTemporalTopology();
  const dataDir = mkdtempSync(join(tmpdir(), 'partnerflow-chaos-'));
  // Run as root, PostgreSQL runs as its own user, who must be able to enter the folder.
  chmodSync(dataDir, 0o755);
  const recent: string[] = [];
  const logFor = (part: string) => (line: string) => {
    recent.push(`[${part}] ${line}`);
    recent.splice(0, Math.max(0, recent.length - logKept));
  };
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const postgresPort = await freePort();
    const startPostgres = () =>
      startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: postgresPort, persistent: true, onLog: logFor('postgres') });
    let postgres: RunningPostgres = await startPostgres();
    stops.push(() => postgres.stop());
    const databaseUrl = await ensureDatabase(postgres.adminUrl, 'partnerflow');
    await migrateDatabase(databaseUrl);
    const database = createDb(databaseUrl);
    stops.push(() => database.close());

    const ports: TemporalServerPorts = await freeServerPorts();
    const startTemporal = () =>
      startTemporalPostgresServer({
        binaries,
        topology,
        adminUrl: postgres.adminUrl,
        rootDir: join(dataDir, 'temporal-server'),
        ports,
        onLog: logFor('temporal'),
      });
    let temporal: TemporalPostgresServer = await startTemporal();
    stops.push(() => temporal.stop());

    const sink = await startMessageIdSink();
    stops.push(() => sink.stop());

    const config = loadConfig({
      PARTNERFLOW_DATA_DIR: dataDir,
      PARTNERFLOW_CACHE: process.env.PARTNERFLOW_CACHE,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: topology.namespace,
      TEMPORAL_TASK_QUEUE: `chaos-${Date.now()}`,
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      // Warnings and errors only: a drill makes thousands of sends, and the table is the result.
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    });
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({
      connection,
      namespace: config.temporal.namespace,
      dataConverter: partnerflowDataConverter({ payloadKeys: config.payloadKeys, partnerKeys: partnerDataKeyStore(database.db, config.payloadKeys) }),
    });

    const workers: ChaosWorker[] = [];
    const exitedWorkers = new Set<ChaosWorker>();
    stops.push(async () => void (await Promise.all(workers.map((w) => w.stop()))));
    const startWorker = async ({ faultInjection, role = options.role ?? 'all' }: { faultInjection?: string; role?: WorkerRole } = {}) => {
      const number = workers.length + 1;
      const spawnedAt = Date.now();
      const started = startWorkerProcess(number, config, logFor(`worker ${number}`), await freePort(), {
        env: { FAULT_INJECTION: faultInjection },
        role,
      });
      const polled = waitForPoller(client, config, role, `${started.pid}@`, started.exited);
      const worker: ChaosWorker = { ...started, polling: polled.then(() => Date.now() - spawnedAt) };
      worker.polling.catch(() => undefined);
      void started.exited.then(() => exitedWorkers.add(worker));
      workers.push(worker);
      return worker;
    };
    for (let i = 0; i < options.workers; i += 1) await startWorker();
    await Promise.all(workers.map((w) => w.polling));
    options.log(`production topology up: PostgreSQL, Temporal ${temporalServerVersion} on it, ${options.workers} worker processes, SMTP sink`);

    return {
      config,
      db: database.db,
      client,
      sink,
      liveWorkers: () => workers.filter((w) => !exitedWorkers.has(w)),
      startWorker,
      async killWorker(worker) {
        process.kill(worker.pid, 'SIGKILL');
        await worker.exited;
      },
      async killTemporal() {
        process.kill(temporal.pid, 'SIGKILL');
        await waitUntilGone(temporal.pid);
      },
      async restartTemporal() {
        // The killed server's stop() finds nothing left to stop; the new one replaces it.
        temporal = await startTemporal();
      },
      temporalRunning: () => isRunning(temporal.pid),
      async killPostgres() {
        const backends = childrenOf(postgres.pid);
        process.kill(postgres.pid, 'SIGKILL');
        for (const pid of backends) killQuietly(pid);
        await waitUntilGone(postgres.pid);
        for (const pid of backends) await waitUntilGone(pid);
      },
      async restartPostgres() {
        const previous = postgres;
        // The dead server's handle only needs to forget its process.
        await previous.stop().catch(() => undefined);
        postgres = await startPostgres();
      },
      recentLog: () => [...recent],
      stop,
    };
  } catch (error) {
    await stop();
    // The parts' last lines say why the world did not come up (a worker that never polled, say).
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(recent.length > 0 ? `${message}; the parts' last lines:\n${recent.slice(-40).join('\n')}` : message, { cause: error });
  }
}

/** Until the server lists a poller whose identity starts with `prefix` (the SDK's `<pid>@<host>`). */
async function waitForPoller(client: Client, config: Config, role: WorkerRole, prefix: string, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  let answer = 'no answer yet';
  // A documents worker polls the documents queue's activities alone; every other role the workflow tasks.
  const queue =
    role === 'documents'
      ? { name: documentsTaskQueue(config.temporal.taskQueue), type: 2 } // TASK_QUEUE_TYPE_ACTIVITY
      : { name: config.temporal.taskQueue, type: 1 }; // TASK_QUEUE_TYPE_WORKFLOW
  for (const deadline = Date.now() + 120_000; Date.now() < deadline && !gone; await sleep(100)) {
    try {
      const { pollers } = await client.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace,
        taskQueue: { name: queue.name },
        taskQueueType: queue.type,
      });
      if (pollers.some((p) => p.identity?.startsWith(prefix))) return;
      answer = `pollers: ${pollers.map((p) => p.identity).join(', ') || 'none'}`;
    } catch (error) {
      // The server may be down in a drill; ask again.
      answer = error instanceof Error ? error.message : String(error);
    }
  }
  throw new Error(gone ? `worker ${prefix} exited before it polled` : `worker ${prefix} did not poll within 120 s (the server's last answer: ${answer})`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

async function waitUntilGone(pid: number): Promise<void> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(50)) {
    if (!isRunning(pid) || isZombie(pid)) return;
  }
  throw new Error(`process ${pid} still runs 15 s after SIGKILL`);
}

function isZombie(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return true;
  }
}

/** Direct children of `pid` (PostgreSQL's backends and helpers), from /proc. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return children;
}
