/**
 * The worker's operations endpoints over HTTP: /metrics with our counters and the Temporal SDK's
 * metrics after a submission and a few sends through the ledger, /healthz, and /readyz that
 * follows the worker's state. Real parts: the time-skipping server, PostgreSQL, SMTP.
 */
import { Runtime } from '@temporalio/worker';
import { eq, sql } from 'drizzle-orm';
import { emailLedger } from '../../src/db/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failOnceAt, noFaults } from '../../src/faults';
import { deliverOnce, type LedgerEmail } from '../../src/email/ledger';
import { renderNotice } from '../../src/email/render';
import { noticeSamples } from '../../src/email/templates/samples';
import { metricsRegistry, recordNoticeSent } from '../../src/observability/metrics';
import { freeLoopbackPort, startOpsServer, type OpsServer } from '../../src/observability/ops-server';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { createPartnerflowWorker, workerReadiness } from '../../src/temporal/worker';
import { submitReportUpdate } from '../../workflows/contracts/annual-report';
import { createReportingWorld, workflowBundle, type ReportingWorld } from '../support/reporting-world';
import { loadedStatus, readReportFixture, sleepUntil } from '../support/workflow-story';

const refused = 'alte-adresse@kreis-lippe.example';

let world: ReportingWorld;
let ops: OpsServer;
let worker: Awaited<ReturnType<typeof createPartnerflowWorker>> | undefined;

beforeAll(async () => {
  // The test setup installed a runtime without metrics; this file's process needs the exporter.
  await Runtime.instance().shutdown();
  const sdkMetricsAddress = `127.0.0.1:${await freeLoopbackPort()}`;
  installTemporalRuntime({ prometheusBindAddress: sdkMetricsAddress });
  world = await createReportingWorld({
    rejectRecipients: (address) => (address === refused ? { code: 550, message: '5.1.1 mailbox unavailable' } : undefined),
  });
  await world.openCycle(2027, '2027-03-31');
  ops = await startOpsServer({
    port: 0,
    host: '127.0.0.1',
    registry: metricsRegistry,
    sdkMetricsUrl: `http://${sdkMetricsAddress}/metrics`,
    readiness: workerReadiness(world.database.db, () => (worker ? [worker] : [])),
  });
});

afterAll(async () => {
  await ops?.close();
  await world?.teardown();
});

async function get(path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${ops.port}${path}`);
  return { status: response.status, body: await response.text() };
}

/** The value of one sample line, e.g. sample(text, 'partnerflow_emails_total{template="x",outcome="sent"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function reminderTo(address: string, key: string): LedgerEmail {
  return {
    idempotencyKey: `metrics-test/${key}`,
    template: 'report-reminder',
    language: 'de',
    recipientRole: 'partner_main_contact',
    workflowId: 'annual-report/2/2027',
    to: { name: 'Petra Schmidt', address },
    ...renderNotice('report-reminder', 'de', noticeSamples['report-reminder']),
  };
}

describe('the operations endpoints', () => {
  it('is alive, and ready only while the worker polls', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: 'ok\n' });
    const before = await get('/readyz');
    expect([before.status, JSON.parse(before.body)]).toEqual([503, { ready: false, checks: { database: 'ok', worker: 'not ready' } }]);
  });

  it('serves our counters and the SDK metrics after a drill of the reminder ladder, a submission and sends through the ledger', async () => {
    worker = await createPartnerflowWorker({
      connection: world.env.nativeConnection,
      namespace: world.env.namespace ?? 'default',
      taskQueue: world.taskQueue,
      deps: { db: world.database.db, mailer: world.mailer, config: world.config, faults: noFaults },
      workflowBundle: await workflowBundle(),
    });
    const whileRunning = await worker.runUntil(async () => {
      const handle = await world.startReport({ year: 2027 });
      await loadedStatus(handle);
      // The ladder in skipped time: invitation, two reminders, overdue notice, first escalations (15.04.).
      await sleepUntil(world, '2027-04-16T10:00:00Z');
      await world.mail.waitForCount(6);
      const report = await readReportFixture('02-kreis-lippe.json');
      await handle.executeUpdate(submitReportUpdate, { args: [{ report: report as never, submittedBy: 'Petra Schmidt' }] });
      await world.mail.waitForCount(7);
      return get('/readyz');
    });
    expect([whileRunning.status, JSON.parse(whileRunning.body)]).toEqual([200, { ready: true, checks: { database: 'ok', worker: 'ok' } }]);

    const deps = { db: world.database.db, mailer: world.mailer, faults: noFaults };
    await expect(deliverOnce(deps, reminderTo(refused, 'refused'))).rejects.toThrow('mailbox unavailable');
    // A crash right after the SMTP server took the mail: once the dead attempt's claim is stale,
    // the next one sends it again (at least once) and it counts as sent.
    const crash = { ...deps, faults: failOnceAt('notice.afterSmtpAccepted') };
    await expect(deliverOnce(crash, reminderTo('petra@kreis-lippe.example', 'crash'))).rejects.toThrow('injected fault');
    await world.database.db.update(emailLedger).set({ claimedAt: sql`now() - interval '1 minute'` }).where(eq(emailLedger.status, 'sending'));
    expect(await deliverOnce(crash, reminderTo('petra@kreis-lippe.example', 'crash'))).toMatchObject({ status: 'sent', possibleDuplicate: true });
    recordNoticeSent({ template: 'declaration-overdue-ministry', plannedFor: new Date(Date.now() - 90_000), escalationLevel: 2 });

    const { status, body } = await get('/metrics');
    expect(status).toBe(200);
    expect(sample(body, 'partnerflow_emails_total{template="report-received",outcome="sent"}')).toBe(1);
    expect(sample(body, 'partnerflow_emails_total{template="report-reminder",outcome="failed"}')).toBe(1);
    expect(sample(body, 'partnerflow_emails_total{template="report-reminder",outcome="sent"}')).toBe(3); // two from the ladder, one sent again after the crash
    // From the drill: each step of the ladder counted with its lag, the first escalation by level.
    expect(sample(body, 'partnerflow_emails_total{template="report-invitation",outcome="sent"}')).toBe(1);
    expect(sample(body, 'partnerflow_send_lag_seconds_count{template="report-reminder"}')).toBe(2);
    expect(sample(body, 'partnerflow_escalations_total{template="report-escalation-partner",level="1"}')).toBe(1);
    expect(sample(body, 'partnerflow_escalations_total{template="report-escalation-ministry",level="1"}')).toBe(1);
    // And the lag itself, for a send 90 s behind its plan.
    expect(sample(body, 'partnerflow_escalations_total{template="declaration-overdue-ministry",level="2"}')).toBe(1);
    expect(sample(body, 'partnerflow_send_lag_seconds_bucket{le="60",template="declaration-overdue-ministry"}')).toBe(0);
    expect(sample(body, 'partnerflow_send_lag_seconds_bucket{le="300",template="declaration-overdue-ministry"}')).toBe(1);
    // The SDK's own, from its exporter behind ours: the worker polled, ran activities and workflow tasks.
    for (const name of ['temporal_worker_start_total', 'temporal_activity_execution_latency', 'temporal_workflow_task_execution_latency']) {
      expect(body, name).toMatch(new RegExp(`^${name}(_bucket|_count)?\\{`, 'm'));
    }
    expect(body).not.toContain('Temporal SDK metrics unavailable');
  });
});
