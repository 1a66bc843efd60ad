/**
 * The two long-running commands, `partnerflow worker` and `partnerflow serve`, as an operator starts
 * them: with Temporal down each says in one line what to start; `serve` stops on SIGTERM with 0.
 * (The worker's SIGTERM mid-wave: test/integration/chaos-sigterm.test.ts.) And `partnerflow check`,
 * which an operator runs next: a refused SMTP login is one line naming the settings to fix. A worker
 * whose metrics port is taken says so and ends.
 */
import '../support/quiet-temporal';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noFaults } from '../../activities';
import { loadConfig } from '../../src/config';
import { startScriptedSmtp } from '../../src/dev/chaos/scripted-smtp';
import { createMailer } from '../../src/email/transport';
import { createPartnerflowWorker } from '../../src/temporal/worker';
import { workflowBundle } from '../support/reporting-world';
import { testServerExecutable } from '../../src/temporal/binaries';
import { runPartnerflow, type CliResult } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePorts } from '../support/ports';
import { startingAgainOnTimeout } from '../../src/dev/time-skipping';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: database.url, LOG_LEVEL: 'error', ...extra };
}

const partnerflow = (args: string[], env: Record<string, string>): Promise<CliResult> => runPartnerflow(args, environment(env));

describe('with Temporal down', () => {
  it.each([['worker'], ['serve']])('`partnerflow %s` says in one line what to start, and fails', async (command) => {
    const [temporalPort, metricsPort, webPort] = await freePorts(3);
    const outcome = await partnerflow([command], {
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      METRICS_PORT: String(metricsPort),
      PUBLIC_BASE_URL: `http://localhost:${webPort}`,
    });
    expect(outcome).toEqual({
      code: 1,
      stdout: '',
      stderr: `Temporal at 127.0.0.1:${temporalPort} is not reachable: start the stack with \`npm run dev\`, or set TEMPORAL_ADDRESS\n`,
    });
  }, 60_000);
});

describe('`partnerflow worker` with its METRICS_PORT taken', () => {
  it('says so in one line and exits at once, instead of running on without polling', async () => {
    const [temporalPort] = await freePorts(1);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const started = Date.now();
      const outcome = await partnerflow(['worker'], { TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, METRICS_PORT: String(port) });
      expect(outcome).toEqual({ code: 1, stdout: '', stderr: `METRICS_PORT: ${port} is in use on this host; give each worker process a port of its own\n` });
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      taken.close();
    }
  }, 60_000);
});

describe('`partnerflow serve` on SIGTERM', () => {
  it('stops serving and exits 0', async () => {
    const env = await startingAgainOnTimeout(() => TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable(loadConfig().binaries.cacheDir) } }));
    try {
      const [webPort] = await freePorts(1);
      const child = spawn('node', ['bin/partnerflow.js', 'serve'], {
        env: environment({ TEMPORAL_ADDRESS: env.address, PUBLIC_BASE_URL: `http://localhost:${webPort}` }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      const stderr: string[] = [];
      createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
      const lines = createInterface({ input: child.stdout });
      for await (const line of lines) if (line.startsWith('Web interface')) break;
      expect((await fetch(`http://localhost:${webPort}/`)).status).toBeLessThan(500);

      const signalled = Date.now();
      child.kill('SIGTERM');
      const [code, signal] = await exited;
      expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: [] });
      expect(Date.now() - signalled).toBeLessThan(10_000);
      await expect(fetch(`http://localhost:${webPort}/`)).rejects.toThrow();
    } finally {
      await env.teardown();
    }
  }, 90_000);
});

describe('`partnerflow check` with a refused SMTP login', () => {
  it('fails with one line naming SMTP_USER/SMTP_PASSWORD and the server’s answer', async () => {
    const env = await startingAgainOnTimeout(() => TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable(loadConfig().binaries.cacheDir) } }));
    const smtp = await startScriptedSmtp({ script: () => ({ kind: 'accept' }), login: { user: 'partnerflow', pass: 'the-right-one' } });
    const config = loadConfig({ DATABASE_URL: database.url, SMTP_URL: smtp.url, SMTP_USER: 'partnerflow', SMTP_PASSWORD: 'a-stale-one' });
    const mailer = createMailer(config.smtp);
    const taskQueue = `check-${randomUUID()}`;
    try {
      const worker = await createPartnerflowWorker({
        connection: env.nativeConnection,
        namespace: env.namespace ?? 'default',
        taskQueue,
        deps: { db: database.db, mailer, config, faults: noFaults },
        workflowBundle: await workflowBundle(),
      });
      const outcome = await worker.runUntil(partnerflow(['check'], { TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: taskQueue }));
      expect(outcome.code).toBe(1);
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr).toMatch(
        /^System check system-check\/\S+ failed: SMTP_USER\/SMTP_PASSWORD: the SMTP server refused the login \(535 5\.7\.8 Authentication credentials invalid\) \(see: partnerflow history system-check\/\S+\)\n$/,
      );
      expect(smtp.refusedLogins).toBe(3); // the check's three attempts
    } finally {
      mailer.close();
      await smtp.stop();
      await env.teardown();
    }
  }, 90_000);
});

describe('`partnerflow check` without a documents worker', () => {
  it('fails with one line naming the documents queue, after the database and SMTP passed', async () => {
    const env = await startingAgainOnTimeout(() => TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable(loadConfig().binaries.cacheDir) } }));
    const smtp = await startScriptedSmtp({ script: () => ({ kind: 'accept' }) });
    const config = loadConfig({ DATABASE_URL: database.url, SMTP_URL: smtp.url });
    const mailer = createMailer(config.smtp);
    const taskQueue = `check-${randomUUID()}`;
    try {
      // The workflows' worker alone (WORKER_ROLE=workflows): nothing polls the documents queue.
      const worker = await createPartnerflowWorker({
        connection: env.nativeConnection,
        namespace: env.namespace ?? 'default',
        taskQueue,
        deps: { db: database.db, mailer, config, faults: noFaults },
        workflowBundle: await workflowBundle(),
      });
      const outcome = await worker.runUntil(partnerflow(['check'], { TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: taskQueue }));
      expect(outcome.code).toBe(1);
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr).toMatch(
        new RegExp(
          `^System check system-check/\\S+ failed: documents: no worker took the check on task queue ${taskQueue}-documents within 15 seconds; ` +
            'compiled reports get no PDF or DOCX until one runs \\(WORKER_ROLE=documents or all\\) \\(see: partnerflow history system-check/\\S+\\)\\n$',
        ),
      );
    } finally {
      mailer.close();
      await smtp.stop();
      await env.teardown();
    }
  }, 90_000);
});
