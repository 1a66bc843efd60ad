import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { startTemporalDevServer, type TemporalDevServer } from '../../src/dev/temporal-server';
import { findTemporalCli, findTestServer } from '../../src/temporal/binaries';
import { searchAttributeRegistrations } from '../../workflows/contracts/search-attributes';

const { cacheDir, temporalCliPath } = loadConfig().binaries;

describe('the provisioned Java test server', () => {
  it('runs through its launcher and skips 30 days in seconds', async () => {
    const launcher = findTestServer(cacheDir);
    expect(launcher, 'run `npm run provision` first').toBeDefined();
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: launcher! } },
    });
    try {
      const before = await env.currentTimeMs();
      const started = Date.now();
      await env.sleep('30 days');
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(30 * 24 * 3600 * 1000);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await env.teardown();
    }
  }, 120_000);
});

describe('the Temporal dev server', () => {
  let dataDir: string;
  let server: TemporalDevServer;

  beforeAll(async () => {
    const cliPath = findTemporalCli({ cacheDir, explicitPath: temporalCliPath });
    if (!cliPath) throw new Error('no Temporal CLI: run `npm run provision` first');
    dataDir = mkdtempSync(join(tmpdir(), 'partnerflow-temporal-'));
    server = await startTemporalDevServer({
      cliPath,
      dbFile: join(dataDir, 'temporal.db'),
      port: await freePort(),
      uiPort: await freePort(),
      namespace: 'partnerflow-test',
    });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers every search attribute our workflows set, with its type', async () => {
    const connection = await Connection.connect({ address: server.address });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'partnerflow-test' });
      expect(customAttributes).toEqual(
        Object.fromEntries(searchAttributeRegistrations.map(({ name, type }) => [name, encodeSearchAttributeIndexedValueType(type)])),
      );
    } finally {
      await connection.close();
    }
  }, 60_000);

  it('serves the Web UI', async () => {
    const response = await fetch(server.uiUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<html');
  }, 30_000);

  it('keeps started workflows in its SQLite file across a restart', async () => {
    const workflowId = `survives-restart-${Date.now()}`;
    await withClient(server.address, (client) =>
      // No worker polls this queue: the execution just waits, which is all we need to find it again.
      client.workflow.start('annualReportWorkflow', { taskQueue: 'nobody-polls-this', workflowId, args: [] }),
    );
    await server.stop();
    const cliPath = findTemporalCli({ cacheDir, explicitPath: temporalCliPath })!;
    const [port, uiPort] = [await freePort(), await freePort()];
    server = await startTemporalDevServer({ cliPath, dbFile: join(dataDir, 'temporal.db'), port, uiPort, namespace: 'partnerflow-test' });
    const description = await withClient(server.address, (client) => client.workflow.getHandle(workflowId).describe());
    expect(description.status.name).toBe('RUNNING');
  }, 120_000);

  it('refuses to start on a port that is taken, with the server’s own words', async () => {
    const cliPath = findTemporalCli({ cacheDir, explicitPath: temporalCliPath })!;
    const busyPort = Number(server.address.split(':')[1]);
    await expect(
      startTemporalDevServer({ cliPath, dbFile: join(dataDir, 'other.db'), port: busyPort, uiPort: await freePort(), namespace: 'x', readyTimeoutMs: 30_000 }),
    ).rejects.toThrow(/stopped before it was ready/);
  }, 60_000);
});

async function withClient<T>(address: string, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(new Client({ connection, namespace: 'partnerflow-test' }));
  } finally {
    await connection.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
