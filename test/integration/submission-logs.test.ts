/**
 * One submission from the CLI to the email, as the logs tell it: the CLI (a child process, JSON
 * lines on stderr) starts the workflow and sends the Update; the worker (in this process, its
 * logger captured) sends the acknowledgement through the ledger. Every line is JSON and the
 * lines of this submission share its workflow id.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger, useLogger } from '../../src/observability/logger';
import { annualReportWorkflowId } from '../../src/temporal/workflow-ids';
import { createReportingWorld, partner, type ReportingWorld } from '../support/reporting-world';
import { reportsDir } from '../support/workflow-story';

const run = promisify(execFile);

const logLine = z.looseObject({ level: z.string(), time: z.string(), name: z.string(), msg: z.string() });
type LogLine = z.infer<typeof logLine>;

/** Each line must be one JSON object: a line that is not fails the test here. */
function parseLines(text: string): LogLine[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => logLine.parse(JSON.parse(line)));
}

const workerOutput: string[] = [];
let world: ReportingWorld;

beforeAll(async () => {
  useLogger(createLogger({ level: 'info', format: 'json', name: 'worker', destination: { write: (line: string) => workerOutput.push(line) } }));
  world = await createReportingWorld();
  await world.openCycle(2027, '2027-03-31');
});

afterAll(async () => {
  await world?.teardown();
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

async function partnerflow(...args: string[]): Promise<LogLine[]> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: world.config.database.url,
    TEMPORAL_ADDRESS: world.env.address,
    TEMPORAL_NAMESPACE: world.env.namespace ?? 'default',
    TEMPORAL_TASK_QUEUE: world.taskQueue,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
  };
  const { stderr } = await run('node', ['bin/partnerflow.js', ...args], { env, timeout: 60_000 });
  return parseLines(stderr);
}

describe('the logs of one submission', () => {
  it('are JSON lines from CLI and worker that share the workflow id, from the start to the email', async () => {
    const workflowId = annualReportWorkflowId(partner.number, 2027);
    const target = ['--partner', String(partner.number), '--year', '2027'];
    const { cli, worker } = await world.withWorker(async () => {
      const started = await partnerflow('report', 'start', ...target);
      const submitted = await partnerflow('report', 'submit', ...target, '--file', join(reportsDir, '02-kreis-lippe.json'), '--by', 'Petra Schmidt');
      await world.mail.waitForCount(1);
      // The SDK hands log lines to the runtime logger in batches (every 100 ms), after the mail went out.
      await until(() => workerOutput.some((line) => line.includes('"email sent"')));
      return { cli: [...started, ...submitted], worker: parseLines(workerOutput.join('')) };
    });

    expect(cli.map((line) => [line.name, line.msg, line.workflowId, line.partner])).toEqual([
      ['cli', 'workflow started', workflowId, partner.number],
      ['cli', 'update sent', workflowId, partner.number],
    ]);
    expect(cli[1]).toMatchObject({ update: 'submitReport', updateId: expect.any(String) });

    const sent = worker.filter((line) => line.msg === 'email sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      name: 'worker',
      level: 'info',
      workflowId,
      partner: partner.number,
      template: 'report-received',
      recipientRole: 'partner_main_contact',
      idempotencyKey: expect.stringContaining(workflowId),
      // From the SDK's activity context logger:
      activityType: 'sendNotice',
      workflowType: 'annualReportWorkflow',
      sdkComponent: 'activity',
    });
    // Partners' addresses stay out of the logs.
    expect(workerOutput.join('') + JSON.stringify(cli)).not.toContain(partner.mainContact.email);
  });
});
