/**
 * SIGTERM, K times, to a `partnerflow worker` process in the middle of a wave of sends, on the dev
 * server (real time, as in production). A wave: staff grant every partner an extension at once, and
 * each report mails its main contact straight away; the SMTP server takes a moment per mail, so
 * sends are under way when the signal comes. Each time the worker must stop polling, let its running
 * activities finish, exit 0 within the grace time and leave no activity to time out; a fresh worker
 * takes over the rest of the wave. Counted: mails against the ledger, and activities abandoned
 * (timed out, or cancelled by the shutdown) in the workflows' histories.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { loadConfig } from '../../config';
import { partnerDataKeyStore } from '../../db/queries/partner-data-keys';
import { freeLoopbackPort } from '../../observability/ops-server';
import { startAnnualReport } from '../../temporal/annual-report-client';
import { findTemporalCli } from '../../temporal/binaries';
import { partnerflowDataConverter } from '../../temporal/data-converter';
import { WORKER_SHUTDOWN_GRACE_MS } from '../../temporal/worker';
import { grantExtensionUpdate } from '../../../workflows/contracts/annual-report';
import { startTemporalDevServer } from '../temporal-server';
import { startWorkerProcess, type WorkerProcess } from '../worker-processes';
import type { ChaosRow, ChaosScenario } from './scenario';
import { startScriptedSmtp } from './scripted-smtp';
import { countDeliveries } from './smtp-faults';
import { chaosDatabase, ledgerOf, seedCycle, waitUntilSettled, type SmtpWorldParts } from './smtp-world';

/** Each SIGTERM's outcome: how the process ended and how long it took. */
export type TermOutcome = { code: number | null; signal: NodeJS.Signals | null; seconds: number };

/** How long the SMTP server takes per mail: a wave of sends lasts about this long. */
const secondsPerMail = 1.5;

export function sigtermScenario(parts: SmtpWorldParts = {}): ChaosScenario & { lastTerms?: TermOutcome[] } {
  const scenario: ChaosScenario & { lastTerms?: TermOutcome[] } = {
    name: 'worker-sigterm',
    defaultK: 3,
    defaultPartners: 20,
    async run({ k, partners, log }): Promise<ChaosRow> {
      const stops: (() => Promise<void>)[] = [];
      let worker: WorkerProcess | undefined;
      try {
        const { db, url } = await chaosDatabase(parts, stops);
        const smtp = await startScriptedSmtp({ script: () => ({ kind: 'accept' }), acceptDelayMs: secondsPerMail * 1000 });
        stops.push(smtp.stop);
        // A cycle well ahead: no step of its deadline falls into the run, only the waves' mails.
        const year = new Date().getUTCFullYear() + 2;
        await seedCycle(db, partners, year);
        const base = loadConfig({ DATABASE_URL: url, SMTP_URL: smtp.url, PARTNERFLOW_CACHE: process.env.PARTNERFLOW_CACHE });
        const cliPath = findTemporalCli({ cacheDir: base.binaries.cacheDir, explicitPath: base.binaries.temporalCliPath });
        if (!cliPath) throw new Error('no Temporal CLI found: run `npm run provision`');
        const dir = await mkdtemp(join(tmpdir(), 'partnerflow-chaos-sigterm-'));
        stops.push(() => rm(dir, { recursive: true, force: true }));
        const server = await startTemporalDevServer({
          cliPath,
          dbFile: join(dir, 'temporal.db'),
          port: await freeLoopbackPort(),
          uiPort: await freeLoopbackPort(),
          namespace: 'default',
        });
        stops.push(server.stop);
        const config = {
          ...base,
          temporal: { ...base.temporal, address: server.address, namespace: 'default', taskQueue: `chaos-sigterm-${randomUUID()}` },
          logLevel: 'warn' as const,
        };
        const connection = await Connection.connect({ address: server.address });
        stops.push(() => connection.close());
        const client = new Client({
          connection,
          namespace: 'default',
          dataConverter: partnerflowDataConverter({ payloadKeys: config.payloadKeys, partnerKeys: partnerDataKeyStore(db, config.payloadKeys) }),
        });

        let started = 0;
        const startWorker = async () => {
          const number = ++started;
          const process = startWorkerProcess(number, config, (line) => log(`[worker ${number}] ${line}`), await freeLoopbackPort());
          await untilReady(process);
          return process;
        };
        worker = await startWorker();

        const workflows: WorkflowHandle[] = [];
        for (let partner = 1; partner <= partners; partner++) {
          workflows.push(await startAnnualReport(client, config.temporal.taskQueue, { partnerNumber: partner, year }));
        }
        const waves = k + 1;
        const terms: TermOutcome[] = [];
        let lastFault: Date | undefined;
        for (let wave = 1; wave <= waves; wave++) {
          const before = smtp.recipientsSeen;
          const dueDate = `${year}-04-${String(wave).padStart(2, '0')}`;
          const granted = Promise.all(
            workflows.map((handle) =>
              handle.executeUpdate(grantExtensionUpdate, { args: [{ by: 'Jana Becker', dueDate, reason: `Welle ${wave}` }] }),
            ),
          );
          granted.catch(() => undefined);
          if (wave <= k) {
            // Mid-wave: half the partners' sends have reached the server and wait for its answer.
            await until(() => smtp.recipientsSeen - before >= Math.ceil(partners / 2), 60_000, `sends of wave ${wave}`);
            lastFault = new Date();
            const signalled = Date.now();
            process.kill(worker.pid, 'SIGTERM');
            const { code, signal } = await worker.exited;
            const seconds = (Date.now() - signalled) / 1000;
            terms.push({ code, signal, seconds });
            log(`SIGTERM ${wave}: worker exited ${code ?? signal} after ${seconds.toFixed(1)} s`);
            worker = await startWorker();
          }
          await granted;
        }
        const intended = partners * waves;
        const settledAt = await waitUntilSettled(db, intended, log);
        const abandoned = await abandonedActivities(workflows);
        const counts = countDeliveries(await ledgerOf(db), smtp.received);
        scenario.lastTerms = terms;
        const cleanExits = terms.filter((term) => term.code === 0).length;
        const slowest = Math.max(0, ...terms.map((term) => term.seconds));
        return {
          scenario: scenario.name,
          faultsInjected: terms.length,
          workflows: workflows.length,
          emailsIntended: counts.intended,
          emailsDelivered: counts.delivered,
          duplicated: counts.duplicated,
          duplicatesExplained: counts.duplicatesExplained,
          // Intended here are the ledger's rows, the sends the workflows decided on: none is left out by rule.
          notSentByRule: 0,
          lost: counts.lost,
          secondsToRecover: lastFault ? (settledAt.getTime() - lastFault.getTime()) / 1000 : null,
          note: `${cleanExits}/${terms.length} exits with 0 (slowest ${slowest.toFixed(1)} s, grace ${WORKER_SHUTDOWN_GRACE_MS / 1000} s); ${abandoned} activities abandoned`,
        };
      } catch (error) {
        log(`failed: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      } finally {
        await worker?.stop();
        for (const step of stops.reverse()) await step().catch(() => undefined);
      }
    },
  };
  return scenario;
}

/**
 * Activity attempts left behind rather than finished: an attempt that had to be retried (the
 * history keeps only the last attempt's start, numbered; nothing else fails in this scenario, so
 * a retry means an earlier attempt timed out or was cancelled by the shutdown), and activities
 * that ended timed out or cancelled.
 */
export async function abandonedActivities(workflows: WorkflowHandle[]): Promise<number> {
  let abandoned = 0;
  for (const handle of workflows) {
    const { events } = await handle.fetchHistory();
    for (const event of events ?? []) {
      const started = event.activityTaskStartedEventAttributes;
      if (started) abandoned += Math.max(0, (started.attempt ?? 1) - 1);
      if (event.activityTaskTimedOutEventAttributes) abandoned += 1;
      const failure = event.activityTaskFailedEventAttributes?.failure;
      if (failure && (failure.canceledFailureInfo || /WORKER_SHUTDOWN/.test(failure.message ?? ''))) abandoned += 1;
    }
  }
  return abandoned;
}

async function untilReady(worker: WorkerProcess): Promise<void> {
  const exited = worker.exited.then(({ code, signal }) => {
    throw new Error(`worker ${worker.number} exited (${code ?? signal}) before it was ready`);
  });
  exited.catch(() => undefined);
  const ready = until(
    async () => (await fetch(`http://127.0.0.1:${worker.metricsPort}/readyz`).catch(() => undefined))?.ok === true,
    60_000,
    `worker ${worker.number} ready`,
  );
  await Promise.race([ready, exited]);
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
