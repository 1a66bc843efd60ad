import { formatIssues } from './domain/issues';
import { faultInjectionSchema, type FaultInjection } from './faults';
import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The one reader of process.env. Everything else receives a parsed `Config`.
 * A bad value stops start-up with one line per variable naming it and the reason.
 */

const logLevels = ['debug', 'info', 'warn', 'error'] as const;
const logFormats = ['json', 'pretty'] as const;

const timeOfDay = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time of day as HH:MM (00:00 to 23:59, or 24:00)');

const url = (protocols: string[]) =>
  z
    .string()
    .url('must be a URL')
    .refine((value) => protocols.some((p) => value.startsWith(`${p}:`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

/** Signs report links in development only; a public deployment must set its own. */

/** Encrypts Temporal payloads in development only (32 bytes, published here, so refused in public). */
const devPayloadKeys = 'dev-1:ZGV2LW9ubHktcGF5bG9hZC1rZXktMzItYnl0ZXMhISE=';
const devPayloadKey = Buffer.from(devPayloadKeys.split(':')[1] ?? '', 'base64');

/** Lets an admin decode histories in development only; a public deployment must set its own. */
const devCodecAdminToken = 'dev-only-codec-admin-token';

/** `id:base64key,id:base64key`: the first encrypts, all decrypt, so a new key is added in front and old ones retire later. */
const payloadKeyList = z.string().transform((value, ctx) => {
  const keys: PayloadKey[] = [];
  for (const entry of value.split(',').map((part) => part.trim())) {
    const match = /^([A-Za-z0-9._-]{1,64}):([A-Za-z0-9+/]+={0,2})$/.exec(entry);
    const key = match?.[2] === undefined ? undefined : Buffer.from(match[2], 'base64');
    if (!match?.[1] || key?.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'must be a list of id:key, each key 32 bytes in base64 (openssl rand -base64 32)' });
      return z.NEVER;
    }
    if (keys.some((known) => known.id === match[1])) {
      ctx.addIssue({ code: 'custom', message: `key id ${match[1]} appears twice` });
      return z.NEVER;
    }
    keys.push({ id: match[1], key });
  }
  return keys;
});

/**
 * What a worker process runs: `workflows`, every workflow and activity but typesetting (it keeps
 * the reminders going with bounded memory); `documents`, the typesetting alone (gigabytes for a
 * large cycle, in a process of its own); `all`, both (one process for development and tests).
 */
export const workerRoles = ['all', 'workflows', 'documents'] as const;
export type WorkerRole = (typeof workerRoles)[number];

const envSchema = z.object({
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  PARTNERFLOW_DATA_DIR: z.string().min(1).default('.data'),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port, e.g. localhost:7233')
    .default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('partnerflow'),
  SMTP_URL: url(['smtp', 'smtps']).default('smtp://localhost:2525'),
  /** The SMTP login, kept out of SMTP_URL so a secret store can hold the password alone. */
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  MAIL_FROM: z
    .string()
    .regex(/^(.+<[^@\s]+@[^@\s]+>|[^@\s]+@[^@\s]+)$/, 'must be an address, e.g. "Partnerflow <noreply@example.org>"')
    .default('Partnernetzwerk NRW stärkt Vielfalt <partnernetzwerk@example.org>'),
  PUBLIC_BASE_URL: url(['http', 'https']).default('http://localhost:3000'),
  DEFAULT_TIMEZONE: z
    .string()
    .refine(isKnownTimeZone, { message: 'must be an IANA time zone, e.g. Europe/Berlin' })
    .default('Europe/Berlin'),
  SENDING_WINDOW_START: timeOfDay.default('08:00'),
  SENDING_WINDOW_END: timeOfDay.default('17:00'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  LOG_FORMAT: z.enum(logFormats).optional(),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).default(9464),
  PAYLOAD_KEYS: z.string().default(devPayloadKeys).pipe(payloadKeyList),
  CODEC_ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').default(devCodecAdminToken),
  CODEC_SERVER_PORT: z.coerce.number().int().min(1).max(65535).default(8234),
  TEMPORAL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  DATA_RETENTION_YEARS: z.coerce.number().int().min(1).max(100).default(10),
  MAIL_CATCHER_PORT: z.coerce.number().int().min(1).max(65535).default(2525),
  MAIL_CATCHER_WEB_PORT: z.coerce.number().int().min(1).max(65535).default(8025),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  PARTNERFLOW_CACHE: z.string().min(1).optional(),
  TEMPORAL_CLI_PATH: z.string().refine(isExecutableFile, { message: 'must be the path of an executable file' }).optional(),
  FAULT_INJECTION: faultInjectionSchema.optional(),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2, 'must be at least 2').max(100_000).default(1_000),
  // Workflow tasks run one at a time on the worker's one workflow thread; a task taken but queued
  // behind others still runs its 10 s timeout, so a CPU-bound worker takes few at once.
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2, 'must be at least 2').max(1_000).default(10),
  WORKER_WORKFLOW_TASK_POLLERS: z.coerce.number().int().min(2, 'must be at least 2').max(500).default(5),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(100),
  // off: workflow threads enter a workflow's context without the SDK's 5 s timeout (src/temporal/workflow-threads.ts).
  WORKER_DEADLOCK_DETECTION: z.enum(['on', 'off'], { message: 'must be on or off' }).default('off'),
  // off: the SDK's promise hook for the Web UI's call stack stays out (src/temporal/workflow-thread-no-stack-traces.cjs).
  WORKER_STACK_TRACES: z.enum(['on', 'off'], { message: 'must be on or off' }).default('off'),
  WORKER_ROLE: z.enum(workerRoles, { message: 'must be all, workflows or documents' }).default('all'),
  // Unset: sized from the cache (workflowHeapMbFor); src/temporal/workflow-threads.ts says why.
  WORKER_WORKFLOW_HEAP_MB: z.coerce.number().int().min(128, 'must be at least 128').max(65_536).optional(),
  CYCLE_START_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(20),
  // An HTTP request's wait on Temporal (src/http/workflow-wait.ts): past it, 503 instead of no answer.
  HTTP_WORKFLOW_WAIT_SECONDS: z.coerce.number().int().min(1, 'must be at least 1').max(300, 'must be at most 300').default(20),
});

export type Config = {
  /** Where to connect: DATABASE_URL, or the embedded PostgreSQL that `npm run dev` runs. */
  database: { url: string; embedded: boolean; embeddedPort: number };
  dataDir: string;
  /** `external`: TEMPORAL_ADDRESS / SMTP_URL were set, so the dev stack uses them instead of starting its own. */
  temporal: { address: string; namespace: string; taskQueue: string; uiPort: number; external: boolean };
  /** `auth`: SMTP_USER / SMTP_PASSWORD; absent when the server needs no login (or SMTP_URL carries it). */
  smtp: { url: string; from: string; external: boolean; auth?: { user: string; pass: string } };
  /** Where built Temporal binaries live, outside the repo; TEMPORAL_CLI_PATH overrides the lookup. */
  binaries: { cacheDir: string; temporalCliPath: string | undefined };
  publicBaseUrl: string;
  timezone: string;
  sendingWindow: { start: string; end: string };
  logLevel: (typeof logLevels)[number];
  /** Unset: pretty lines on a terminal, JSON lines otherwise (the logger decides; it sees the stream). */
  logFormat: (typeof logFormats)[number] | undefined;
  /** The worker's /metrics, /healthz and /readyz. */
  metricsPort: number;
  ports: { mailCatcherSmtp: number; mailCatcherWeb: number };
  /** Temporal payload encryption: `keys[0]` encrypts, every key decrypts (rotation). */
  payloadKeys: PayloadKey[];
  /** The codec endpoint the Web UI and CLI decode histories through; admins only. */
  codecServer: { port: number; adminToken: string; allowedOrigins: string[] };
  /** How long closed workflows stay in Temporal, and personal data of closed years in PostgreSQL. */
  retention: { closedWorkflowDays: number; dataYears: number };
  /** Fault drills only (`npm run chaos`): where the worker process kills itself; unset in production. */
  faultInjection: FaultInjection | undefined;
  /**
   * Worker tuning (the Temporal SDK's options of the same meaning). The cache is bounded so the
   * worker's memory is too: an evicted workflow is replayed from its short history when it wakes.
   */
  worker: {
    maxCachedWorkflows: number;
    maxConcurrentWorkflowTaskExecutions: number;
    workflowTaskPollers: number;
    maxConcurrentActivityTaskExecutions: number;
    /** The SDK's 5 s limit per entry into a workflow's context; off by default (workflow-threads.ts says why). */
    deadlockDetection: boolean;
    /** The SDK's stack traces of running workflows (the Web UI's call stack); off by default, as they cost a third of a start. */
    stackTraces: boolean;
    /** The workflow thread's old generation, in MB: bounded so V8 collects a wave's garbage early. */
    workflowHeapMb: number;
    /** What this worker process runs (workerRoles). */
    role: WorkerRole;
  };
  /** How many report workflows opening a cycle starts at once. */
  cycleStartConcurrency: number;
  /** The web server: how long a request waits for a worker to take its Update or answer its query. */
  web: { workflowWaitMs: number };
};

export type PayloadKey = { id: string; key: Buffer };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Parses an environment (process.env by default, after an optional .env file). */
export function loadConfig(env: NodeJS.ProcessEnv = readProcessEnv()): Config {
  // Empty strings count as unset, the way shells and .env files usually mean them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(formatIssues(parsed.error, undefined, '(environment)'));
  }
  const e = parsed.data;
  if (e.SENDING_WINDOW_START >= e.SENDING_WINDOW_END) {
    throw new ConfigError([
      `SENDING_WINDOW_END: must be later than SENDING_WINDOW_START (${e.SENDING_WINDOW_START})`,
    ]);
  }
  if ((e.SMTP_USER === undefined) !== (e.SMTP_PASSWORD === undefined)) {
    const missing = e.SMTP_USER === undefined ? 'SMTP_USER' : 'SMTP_PASSWORD';
    const other = missing === 'SMTP_USER' ? 'SMTP_PASSWORD' : 'SMTP_USER';
    throw new ConfigError([`${missing}: must be set when ${other} is (the SMTP login needs both)`]);
  }
  if (e.WORKER_WORKFLOW_TASK_POLLERS > e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS) {
    throw new ConfigError([
      `WORKER_WORKFLOW_TASK_POLLERS: must not exceed WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (${e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS})`,
    ]);
  }
  if (e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS > e.WORKER_MAX_CACHED_WORKFLOWS) {
    throw new ConfigError([
      `WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: must not exceed WORKER_MAX_CACHED_WORKFLOWS (${e.WORKER_MAX_CACHED_WORKFLOWS})`,
    ]);
  }
  if (!isLocalUrl(e.PUBLIC_BASE_URL)) {
    // Development secrets are in the source: anyone could read the histories, or decode them
    // through the codec endpoint.
    const published = [
      ...(e.PAYLOAD_KEYS.some(({ key }) => key.equals(devPayloadKey)) ? ['PAYLOAD_KEYS'] : []),
      ...(e.CODEC_ADMIN_TOKEN === devCodecAdminToken ? ['CODEC_ADMIN_TOKEN'] : []),
    ];
    if (published.length > 0) {
      throw new ConfigError(
        published.map((name) => `${name}: must be set when PUBLIC_BASE_URL (${e.PUBLIC_BASE_URL}) is not a local address`),
      );
    }
  }
  return {
    database: {
      url: e.DATABASE_URL ?? embeddedDatabaseUrl(e.EMBEDDED_POSTGRES_PORT),
      embedded: e.DATABASE_URL === undefined,
      embeddedPort: e.EMBEDDED_POSTGRES_PORT,
    },
    dataDir: e.PARTNERFLOW_DATA_DIR,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiPort: e.TEMPORAL_UI_PORT,
      external: present.TEMPORAL_ADDRESS !== undefined,
    },
    smtp: {
      url: e.SMTP_URL,
      from: e.MAIL_FROM,
      external: present.SMTP_URL !== undefined,
      ...(e.SMTP_USER !== undefined && e.SMTP_PASSWORD !== undefined && { auth: { user: e.SMTP_USER, pass: e.SMTP_PASSWORD } }),
    },
    binaries: {
      cacheDir: e.PARTNERFLOW_CACHE ?? join(homedir(), '.cache', 'partnerflow'),
      temporalCliPath: e.TEMPORAL_CLI_PATH,
    },
    publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/+$/, ''),
    timezone: e.DEFAULT_TIMEZONE,
    sendingWindow: { start: e.SENDING_WINDOW_START, end: e.SENDING_WINDOW_END },
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    metricsPort: e.METRICS_PORT,
    ports: { mailCatcherSmtp: e.MAIL_CATCHER_PORT, mailCatcherWeb: e.MAIL_CATCHER_WEB_PORT },
    payloadKeys: e.PAYLOAD_KEYS,
    codecServer: {
      port: e.CODEC_SERVER_PORT,
      adminToken: e.CODEC_ADMIN_TOKEN,
      // The dev server's Web UI; a production UI's origin is added where the codec app is mounted.
      allowedOrigins: [`http://localhost:${e.TEMPORAL_UI_PORT}`, `http://127.0.0.1:${e.TEMPORAL_UI_PORT}`],
    },
    retention: { closedWorkflowDays: e.TEMPORAL_RETENTION_DAYS, dataYears: e.DATA_RETENTION_YEARS },
    faultInjection: e.FAULT_INJECTION,
    worker: {
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTaskExecutions: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      workflowTaskPollers: e.WORKER_WORKFLOW_TASK_POLLERS,
      maxConcurrentActivityTaskExecutions: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
      deadlockDetection: e.WORKER_DEADLOCK_DETECTION === 'on',
      stackTraces: e.WORKER_STACK_TRACES === 'on',
      workflowHeapMb: e.WORKER_WORKFLOW_HEAP_MB ?? workflowHeapMbFor(e.WORKER_MAX_CACHED_WORKFLOWS),
      role: e.WORKER_ROLE,
    },
    cycleStartConcurrency: e.CYCLE_START_CONCURRENCY,
    web: { workflowWaitMs: e.HTTP_WORKFLOW_WAIT_SECONDS * 1000 },
  };
}

/**
 * The workflow thread's heap for a cache of `cachedWorkflows`: a base for the SDK, the bundle and
 * one task's work, and 0.3 MB per cached workflow, half again what a cached report was measured to
 * hold after a collection (0.2 MB; docs/performance.md, Worker memory and start-up), so V8 never runs out but collects early.
 */
export function workflowHeapMbFor(cachedWorkflows: number): number {
  return Math.ceil(160 + 0.3 * cachedWorkflows);
}

/** The variables this module reads, for docs and for checking docker-compose. */
export const configVariables = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

/** The embedded server's superuser and database (local development only). */
export function embeddedDatabaseUrl(port: number, database = 'partnerflow'): string {
  return `postgres://postgres:password@127.0.0.1:${port}/${database}`;
}

function readProcessEnv(): NodeJS.ProcessEnv {
  // Variables already set win over .env, as with dotenv.
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}

function isLocalUrl(url: string): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
