import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time.js';
import proto, { type temporal } from '@temporalio/proto';
import postgres from 'postgres';
import { stringify } from 'yaml';
import { searchAttributeRegistrations } from '../../workflows/contracts/search-attributes';
import type { TemporalServerBinaries } from '../temporal/binaries';
import { freePortsBelow } from './ports';
import { ensureDatabase } from './postgres';
import { spawnServer, untilReady } from './server-process';
import type { TemporalTopology } from './topology';

/**
 * Temporal server (the production build, not the dev server) on PostgreSQL: creates and migrates
 * its two databases with its sql tool, writes its config, starts it, then registers the namespace
 * and our search attributes, as docker-compose.yml's auto-setup and temporal-setup services do.
 */

export type TemporalServerPorts = {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
};

export type TemporalPostgresServerOptions = {
  binaries: TemporalServerBinaries;
  topology: TemporalTopology;
  /** A PostgreSQL URL whose user may create databases; Temporal's two go next to ours. */
  adminUrl: string;
  /** Holds the generated config (the server's --root). */
  rootDir: string;
  ports: TemporalServerPorts;
  onLog?: (line: string) => void;
  readyTimeoutMs?: number;
};

/** `pid`: the server process, for fault drills that kill it. */
export type TemporalPostgresServer = { address: string; pid: number; stop(): Promise<void> };

const host = '127.0.0.1';

/** The server's own defaults (its development-postgres12.yaml), with the frontend where TEMPORAL_ADDRESS points. */
export function standardServerPorts(frontend: number): TemporalServerPorts {
  return {
    frontend,
    frontendHttp: 7243,
    frontendMembership: 6933,
    history: 7234,
    historyMembership: 6934,
    matching: 7235,
    matchingMembership: 6935,
    worker: 7239,
    workerMembership: 6939,
  };
}

/** Free ports for a second server beside others (tests); all below 32768, as membership ports must be. */
export async function freeServerPorts(): Promise<TemporalServerPorts> {
  const [frontend, frontendHttp, frontendMembership, history, historyMembership, matching, matchingMembership, worker, workerMembership] =
    await freePortsBelow(9);
  return { frontend, frontendHttp, frontendMembership, history, historyMembership, matching, matchingMembership, worker, workerMembership } as TemporalServerPorts;
}

export async function startTemporalPostgresServer(opts: TemporalPostgresServerOptions): Promise<TemporalPostgresServer> {
  const { binaries, topology, adminUrl, rootDir, ports, onLog = () => {}, readyTimeoutMs = 90_000 } = opts;
  for (const port of Object.values(ports)) {
    if (port >= 32_768) throw new Error(`Temporal server port ${port}: must be below 32768 (membership ports are stored as smallint)`);
  }
  await setUpSchema(binaries, topology, adminUrl, onLog);
  writeServerConfig(rootDir, topology, adminUrl, ports);

  let ready = false;
  const server = spawnServer(binaries.server, ['--root', rootDir, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'], {
    name: 'Temporal server',
    recentLines: 30,
    stopGraceMs: 10_000,
    // The config logs at warn; of those, only errors after start-up are news (shards settle at first).
    onLine: (line) => {
      const error = ready ? serverError(line) : undefined;
      if (error) onLog(error);
    },
  });
  const address = `${host}:${ports.frontend}`;
  await untilReady(server, `Temporal server at ${address}`, { timeoutMs: readyTimeoutMs, intervalMs: 500 }, () => registerNamespace(address, topology));
  ready = true;
  return { address, pid: server.child.pid ?? -1, stop: server.stop };
}

/** create-database, setup-schema 0.0 (first time only), update-schema to the version the binary ships. */
async function setUpSchema(binaries: TemporalServerBinaries, topology: TemporalTopology, adminUrl: string, onLog: (line: string) => void) {
  const admin = new URL(adminUrl);
  const schemas = [
    { database: topology.databases.history, versioned: join(binaries.postgresSchemaDir, 'temporal', 'versioned') },
    { database: topology.databases.visibility, versioned: join(binaries.postgresSchemaDir, 'visibility', 'versioned') },
  ];
  for (const { database, versioned } of schemas) {
    const url = await ensureDatabase(adminUrl, database);
    const sql = postgres(url, { max: 1, onnotice: () => undefined });
    let initialised: boolean;
    try {
      const [row] = await sql<{ found: string | null }[]>`select to_regclass('schema_version')::text as found`;
      initialised = row?.found != null;
    } finally {
      await sql.end({ timeout: 5 });
    }
    const common = [
      '--plugin', topology.sqlPlugin,
      '--ep', admin.hostname,
      '-p', admin.port || '5432',
      '-u', decodeURIComponent(admin.username),
      '--db', database,
    ];
    // The password goes in the environment, out of the process list.
    const env = { ...process.env, SQL_PASSWORD: decodeURIComponent(admin.password) };
    if (!initialised) await runTool(binaries.sqlTool, [...common, 'setup-schema', '-v', '0.0'], env);
    await runTool(binaries.sqlTool, [...common, 'update-schema', '-d', versioned], env);
    onLog(`schema of ${database} is up to date`);
  }
}

function writeServerConfig(rootDir: string, topology: TemporalTopology, adminUrl: string, ports: TemporalServerPorts): void {
  const admin = new URL(adminUrl);
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: topology.sqlPlugin,
      databaseName,
      connectAddr: `${admin.hostname}:${admin.port || '5432'}`,
      connectProtocol: 'tcp',
      user: decodeURIComponent(admin.username),
      password: decodeURIComponent(admin.password),
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, extra: Record<string, number> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: topology.historyShards,
      datastores: {
        'postgres-default': datastore(topology.databases.history, 20),
        'postgres-visibility': datastore(topology.databases.visibility, 10),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: host } },
    services: {
      frontend: service(ports.frontend, ports.frontendMembership, { httpPort: ports.frontendHttp }),
      history: service(ports.history, ports.historyMembership),
      matching: service(ports.matching, ports.matchingMembership),
      worker: service(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `${host}:${ports.frontend}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: join(rootDir, 'config', 'dynamicconfig.yaml'), pollInterval: '10s' },
  };
  // As in auto-setup's development config: a search attribute registered a moment ago is usable at once.
  const dynamicConfig = { 'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true, constraints: {} }] };
  mkdirSync(join(rootDir, 'config'), { recursive: true });
  // Holds the database password: readable by its owner only.
  writeFileSync(join(rootDir, 'config', 'development.yaml'), stringify(config), { mode: 0o600 });
  writeFileSync(join(rootDir, 'config', 'dynamicconfig.yaml'), stringify(dynamicConfig));
}

/** Registers the namespace and our search attributes (each only if missing), once the frontend answers. */
async function registerNamespace(address: string, topology: TemporalTopology): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    await ensureNamespace(connection, topology);
    await ensureSearchAttributes(connection, topology.namespace);
    // The frontend's namespace cache refreshes on its own clock; a worker must not poll before it knows the namespace.
    await connection.workflowService.describeNamespace({ namespace: topology.namespace });
  } finally {
    await connection.close();
  }
}

async function ensureNamespace(connection: Connection, topology: TemporalTopology): Promise<void> {
  const { namespaces } = await connection.workflowService.listNamespaces({ pageSize: 1000 });
  if (namespaces.some((n) => n.namespaceInfo?.name === topology.namespace)) return;
  await connection.workflowService.registerNamespace({
    namespace: topology.namespace,
    workflowExecutionRetentionPeriod: msToTs(`${topology.retentionHours}h`),
  });
}

async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = searchAttributeRegistrations.filter(({ name }) => !(name in (customAttributes ?? {})));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map(({ name, type }) => [name, indexedValueType(TypedSearchAttributes.toMetadataType(type))])),
  });
}

function indexedValueType(metadataType: string): temporal.api.enums.v1.IndexedValueType {
  // 'KeywordList' → INDEXED_VALUE_TYPE_KEYWORD_LIST
  const key = `INDEXED_VALUE_TYPE_${metadataType.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
  const value = proto.temporal.api.enums.v1.IndexedValueType[key as keyof typeof proto.temporal.api.enums.v1.IndexedValueType];
  if (value === undefined) throw new Error(`search attribute type ${metadataType}: no matching IndexedValueType`);
  return value;
}

function runTool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`temporal-sql-tool ${args.slice(args.indexOf('--db') + 2).join(' ')} failed (exit code ${code}):\n${output.join('').trim()}`));
    });
  });
}

/** "error: <msg>: <error>" from one of the server's JSON log lines at error level or worse; its Go stack trace is left out. */
function serverError(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { level?: unknown; msg?: unknown; error?: unknown };
    if (!['error', 'dpanic', 'panic', 'fatal'].includes(String(entry.level))) return undefined;
    return `${String(entry.level)}: ${String(entry.msg)}${entry.error === undefined ? '' : `: ${String(entry.error)}`}`;
  } catch {
    // Not JSON: a crash's raw output, which is news.
    return line;
  }
}
