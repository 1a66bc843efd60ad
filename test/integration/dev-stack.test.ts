import '../support/quiet-temporal';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { count, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config';
import { createDb } from '../../src/db/client';
import { organisations, staff } from '../../src/db/schema';
import { startStack, type RunningStack } from '../../src/dev/stack';
import { namespaceRetentionDays } from '../../src/temporal/retention';
import { freePorts } from '../support/ports';

const demoPartnerCount = (JSON.parse(readFileSync('src/dev/demo-partners.json', 'utf8')) as { partners: unknown[] }).partners.length;

describe('npm run dev (startStack)', () => {
  let dataDir: string;
  let config: Config;
  let temporalPort: number;
  let stack: RunningStack | undefined;
  const lines: string[] = [];
  const start = () => startStack(config, { temporalPort, logFor: (part) => (line) => lines.push(`[${part}] ${line}`) });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'partnerflow-dev-'));
    // PostgreSQL runs as its own user and must be able to enter the folder.
    chmodSync(dataDir, 0o755);
    const [postgresPort, uiPort, smtpPort, mailWebPort, codecPort] = await freePorts(5);
    temporalPort = (await freePorts(1))[0]!;
    config = loadConfig({
      PARTNERFLOW_DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(postgresPort),
      TEMPORAL_UI_PORT: String(uiPort),
      MAIL_CATCHER_PORT: String(smtpPort),
      MAIL_CATCHER_WEB_PORT: String(mailWebPort),
      TEMPORAL_TASK_QUEUE: 'dev-stack-test',
      CODEC_SERVER_PORT: String(codecPort),
      TEMPORAL_RETENTION_DAYS: '12',
    });
    stack = await start();
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('serves the Temporal Web UI and the mail viewer', async () => {
    expect((await fetch(stack!.urls.temporalUi!)).status).toBe(200);
    expect((await fetch(stack!.urls.mailViewer!)).status).toBe(200);
  });

  it('keeps closed workflows for the configured retention, and serves the codec endpoint to admins only', async () => {
    const connection = await Connection.connect({ address: stack!.config.temporal.address });
    try {
      expect(await namespaceRetentionDays(connection, stack!.config.temporal.namespace)).toBe(12);
    } finally {
      await connection.close();
    }
    const decode = (headers: Record<string, string>) =>
      fetch(`${stack!.urls.codec}/decode`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"payloads":[]}' });
    expect((await decode({})).status).toBe(401);
    expect((await decode({ authorization: `Bearer ${stack!.config.codecServer.adminToken}` })).status).toBe(200);
    // The Web UI is told to decode through it (its settings name the endpoint the browser calls).
    const settings = (await (await fetch(`${stack!.urls.temporalUi}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
    const uiEndpoint = settings.Codec?.Endpoint ?? '';
    expect(uiEndpoint.startsWith(`${stack!.urls.codec}/`)).toBe(true);
    const viaUi = await fetch(`${uiEndpoint}/decode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"payloads":[]}' });
    expect(viaUi.status).toBe(200);
  });

  it('imports the demo partners and two ministry staff, with the caseworker assigned', async () => {
    const { db, close } = createDb(stack!.config.database.url);
    try {
      expect(await db.select({ n: count() }).from(organisations)).toEqual([{ n: demoPartnerCount }]);
      expect((await db.select({ role: staff.role }).from(staff)).map((s) => s.role).sort()).toEqual(['caseworker', 'head_of_unit']);
      expect(await db.$count(organisations, isNull(organisations.caseworkerId))).toBe(0);
    } finally {
      await close();
    }
  });

  it('runs a worker polling the task queue on the embedded Temporal server', async () => {
    await expect(workerPolls(stack!.config)).resolves.toBe(true);
  }, 90_000);

  it('picks up the same data on the next start, without importing the demo again', async () => {
    const workflowId = `dev-stack-restart-${Date.now()}`;
    await withClient(stack!.config, (client) =>
      // A type no worker knows: the execution just waits, which is all we need to find it again.
      client.workflow.start('notAWorkflowOfOurs', { taskQueue: 'nobody-polls-this', workflowId, args: [] }),
    );
    await stack!.stop();
    stack = undefined;
    lines.length = 0;

    stack = await start();
    expect(lines.filter((line) => line.startsWith('[demo]'))).toEqual([]);
    const description = await withClient(stack.config, (client) => client.workflow.getHandle(workflowId).describe());
    expect(description.status.name).toBe('RUNNING');
    const { db, close } = createDb(stack.config.database.url);
    try {
      expect(await db.select({ n: count() }).from(organisations)).toEqual([{ n: demoPartnerCount }]);
    } finally {
      await close();
    }
  }, 180_000);

  it('frees every port when it stops', async () => {
    const ports = [
      new URL(stack!.config.database.url).port,
      stack!.config.temporal.address.split(':')[1],
      new URL(stack!.urls.temporalUi!).port,
      new URL(stack!.config.smtp.url).port,
      new URL(stack!.urls.mailViewer!).port,
      new URL(stack!.urls.codec).port,
    ].map(Number);
    // Stopped the way a developer would: once the worker runs, not while it is still bundling.
    await workerPolls(stack!.config);
    await stack!.stop();
    stack = undefined;
    for (const port of ports) await expect(canListen(port), `port ${port}`).resolves.toBe(true);
  }, 120_000);
});

async function withClient<T>(config: Config, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: config.temporal.address });
  try {
    return await use(new Client({ connection, namespace: config.temporal.namespace }));
  } finally {
    await connection.close();
  }
}

/** True once a worker polls the stack's task queue (pollers are kept in memory, so a restart resets them). */
async function workerPolls(config: Config): Promise<boolean> {
  return withClient(config, async (client) => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(500)) {
      const { pollers } = await client.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace,
        taskQueue: { name: config.temporal.taskQueue },
        taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
      });
      if (pollers.length > 0) return true;
    }
    return false;
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
