import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config';
import { startMailCatcher, type MailCatcher } from '../../src/dev/mail-catcher';
import { freePort } from '../../src/dev/ports';
import { startStack, type RunningStack } from '../../src/dev/stack';
import { freeServerPorts } from '../../src/dev/temporal-postgres';
import { loadTemporalTopology } from '../../src/dev/topology';
import { findTemporalServer, temporalServerVersion } from '../../src/temporal/binaries';
import { partnerflowDataConverter } from '../../src/temporal/data-converter';
import { searchAttributeRegistrations } from '../../workflows/contracts/search-attributes';
import { documentsTaskQueue } from '../../workflows/contracts/task-queues';

// `npm run stack`'s topology from the outside: Temporal server 1.29.1 on embedded PostgreSQL, two
// worker processes on one task queue, SMTP behind a gate the test can close to hold an activity.

describe('the production topology (npm run stack)', () => {
  let dataDir: string;
  let stack: RunningStack | undefined;
  let catcher: MailCatcher;
  let gate: SmtpGate;
  let connection: Connection;
  let client: Client;
  const lines: string[] = [];

  beforeAll(async () => {
    const { binaries } = loadConfig();
    if (!findTemporalServer(binaries.cacheDir)) {
      // Fail, never skip: `npm test` provisions it (`tsx scripts/provision.ts --quiet --server`).
      throw new Error(`no Temporal server ${temporalServerVersion} in ${binaries.cacheDir}: run \`npm run provision -- --server\` (needs Go)`);
    }
    dataDir = mkdtempSync(join(tmpdir(), 'partnerflow-stack-'));
    // PostgreSQL runs as its own user and must be able to enter the folder.
    chmodSync(dataDir, 0o755);
    catcher = await startMailCatcher({ smtpPort: 0 });
    gate = await startSmtpGate(catcher.smtpPort);
    const ports = await freeServerPorts();
    const config: Config = loadConfig({
      PARTNERFLOW_DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      SMTP_URL: `smtp://127.0.0.1:${gate.port}`,
      TEMPORAL_TASK_QUEUE: `production-stack-${Date.now()}`,
      METRICS_PORT: String(await freePort()),
    });
    stack = await startStack(config, {
      topology: 'production',
      workers: 2,
      temporalPort: ports.frontend,
      temporalServerPorts: ports,
      logFor: (part) => (line) => lines.push(`[${part}] ${line}`),
    });
    connection = await Connection.connect({ address: stack.config.temporal.address });
    // Payloads are encrypted with the stack's keys, as every client of the product does.
    client = new Client({
      connection,
      namespace: stack.config.temporal.namespace,
      dataConverter: partnerflowDataConverter({ payloadKeys: stack.config.payloadKeys }),
    });
    await waitForPollers(client, stack, 2);
  }, 180_000);

  afterAll(async () => {
    await connection?.close();
    await stack?.stop();
    await gate?.stop();
    await catcher?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('runs Temporal 1.29.1 with the settings of docker-compose.yml and our search attributes', async () => {
    const topology = loadTemporalTopology();
    const info = await client.workflowService.getClusterInfo({});
    expect({ version: info.serverVersion, shards: info.historyShardCount }).toEqual({
      version: topology.serverVersion,
      shards: topology.historyShards,
    });
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: stack!.config.temporal.namespace });
    expect(Object.keys(customAttributes ?? {}).sort()).toEqual(searchAttributeRegistrations.map(({ name }) => name).sort());
    const namespace = await client.workflowService.describeNamespace({ namespace: stack!.config.temporal.namespace });
    expect(Number(namespace.config?.workflowExecutionRetentionTtl?.seconds)).toBe(topology.retentionHours * 3600);
  });

  it('typesets in the documents worker alone: it polls the documents queue, the two workers do not', async () => {
    const pollersOf = async (taskQueue: string) => {
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
        const { pollers } = await client.workflowService.describeTaskQueue({
          namespace: stack!.config.temporal.namespace,
          taskQueue: { name: taskQueue },
          taskQueueType: 2, // TASK_QUEUE_TYPE_ACTIVITY
        });
        const numbers = [...new Set(pollers.map((p) => processOf(stack!, p.identity ?? '')))].sort();
        if (numbers.length > 0) return numbers;
      }
      return [];
    };
    expect(await pollersOf(documentsTaskQueue(stack!.config.temporal.taskQueue))).toEqual(['documents worker']);
    const main = await pollersOf(stack!.config.temporal.taskQueue);
    expect(main).not.toContain('documents worker');
    expect(main.length).toBeGreaterThan(0);
  }, 120_000);

  it('shares the work between the two workers on one task queue', async () => {
    const handles = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        client.workflow.start('systemCheckWorkflow', {
          taskQueue: stack!.config.temporal.taskQueue,
          workflowId: `share-${i}-${Date.now()}`,
          args: [],
        }),
      ),
    );
    const results = await Promise.all(handles.map((handle) => handle.result() as Promise<{ smtp: string; documents: string }>));
    expect(results.every((result) => result.smtp.endsWith('ready'))).toBe(true);
    expect(results.every((result) => result.documents.startsWith(`documents worker on `))).toBe(true);

    const workflowTasks = new Set<string>();
    const activities = new Set<string>();
    for (const handle of handles) {
      for (const event of (await handle.fetchHistory()).events ?? []) {
        const workflowTask = event.workflowTaskStartedEventAttributes?.identity;
        const activity = event.activityTaskStartedEventAttributes?.identity;
        if (workflowTask) workflowTasks.add(workerNumber(stack!, workflowTask));
        if (activity) activities.add(processOf(stack!, activity));
      }
    }
    expect([...workflowTasks].sort()).toEqual(['worker 1', 'worker 2']);
    // The check's second activity is the documents worker's, on its own queue.
    expect([...activities].sort()).toEqual(['documents worker', 'worker 1', 'worker 2']);
  }, 120_000);

  it('finishes a workflow on the other worker when the one running its activity is killed', async () => {
    gate.close();
    const handle = await client.workflow.start('systemCheckWorkflow', {
      taskQueue: stack!.config.temporal.taskQueue,
      workflowId: `survive-${Date.now()}`,
      args: [],
    });
    // The activity now waits for the SMTP greeting on one worker: find which.
    let holder: string | undefined;
    for (const deadline = Date.now() + 30_000; holder === undefined && Date.now() < deadline; await sleep(100)) {
      const pending = (await handle.describe()).raw.pendingActivities?.[0];
      if (pending?.lastWorkerIdentity) holder = pending.lastWorkerIdentity;
    }
    expect(holder, 'an activity attempt started').toBeDefined();
    const killed = stack!.workerProcesses.find((w) => holder!.startsWith(`${w.pid}@`))!;
    process.kill(killed.pid, 'SIGKILL');
    await killed.exited;
    gate.open();

    const result = (await handle.result()) as { smtp: string };
    expect(result.smtp.endsWith('ready')).toBe(true);
    const started = (await handle.fetchHistory()).events?.find((e) => e.activityTaskStartedEventAttributes)?.activityTaskStartedEventAttributes;
    // The attempt on the killed worker timed out; the retry ran on the survivor.
    expect(started?.attempt).toBeGreaterThanOrEqual(2);
    expect(workerNumber(stack!, started?.identity ?? '')).not.toBe(`worker ${killed.number}`);

    // A replacement joins the same queue, as a supervisor (or the fault scripts) would start one.
    const replacement = await stack!.startWorker();
    await waitForPollerIdentity(client, stack!, `${replacement.pid}@`);
    expect(replacement.number).toBe(3);
  }, 120_000);
});

function processOf(stack: RunningStack, identity: string): string {
  return stack.documentsProcess && identity.startsWith(`${stack.documentsProcess.pid}@`) ? 'documents worker' : workerNumber(stack, identity);
}

function workerNumber(stack: RunningStack, identity: string): string {
  const worker = stack.workerProcesses.find((w) => identity.startsWith(`${w.pid}@`));
  return worker ? `worker ${worker.number}` : `unknown identity ${identity}`;
}

/** Until both worker processes poll the queue: work started earlier would all go to the first. */
async function waitForPollers(client: Client, stack: RunningStack, count: number): Promise<void> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: stack.config.temporal.namespace,
      taskQueue: { name: stack.config.temporal.taskQueue },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    });
    if (new Set(pollers.map((p) => p.identity)).size >= count) return;
  }
  throw new Error(`fewer than ${count} workers polled ${stack.config.temporal.taskQueue} within 60 s`);
}

async function waitForPollerIdentity(client: Client, stack: RunningStack, prefix: string): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: stack.config.temporal.namespace,
      taskQueue: { name: stack.config.temporal.taskQueue },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    });
    if (pollers.some((p) => p.identity?.startsWith(prefix))) return;
  }
  throw new Error(`no worker with identity ${prefix}… polled within 30 s`);
}

type SmtpGate = { port: number; open(): void; close(): void; stop(): Promise<void> };

/** A TCP relay to the mail catcher that, while closed, holds new connections without a greeting. */
async function startSmtpGate(upstreamPort: number): Promise<SmtpGate> {
  let isOpen = true;
  const held: Socket[] = [];
  const sockets = new Set<Socket>();
  const relay = (socket: Socket) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    for (const [from, to] of [[socket, upstream], [upstream, socket]] as const) {
      from.on('error', () => to.destroy());
      from.pipe(to);
    }
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (isOpen) relay(socket);
    else held.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    open() {
      isOpen = true;
      for (const socket of held.splice(0)) if (!socket.destroyed) relay(socket);
    },
    close() {
      isOpen = false;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
