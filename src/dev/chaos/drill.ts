import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerRole } from '../../config';
import { emailLedger } from '../../db/schema';
import { inArray } from 'drizzle-orm';
import { drillTiming, openDrillCycle, type DrillCycle } from './drill-cycle';
import { countEmails, ledgerClosed, ledgerStates, settled, sinkCopies, type LedgerState, type StepDecision } from './email-count';
import { reportTimelineQuery, type TimelineEntry } from '../../../workflows/contracts/annual-report';
import type { ChaosOptions, ChaosRow } from './scenario';
import { startChaosWorld, type ChaosWorld } from './world';

/**
 * The frame every kill scenario shares: start the production topology, open a compressed cycle
 * while the scenario injects its faults, wait until every intended email is out (or the patience
 * runs out), then count from the sink and the ledger and work out the time to recover.
 */

export type Fault = {
  /** When the part died, and when it was back (restarted; for a worker kill, the kill itself: the others serve on). */
  at: number;
  restoredAt: number;
  /** Emails that came due between `at` and this moment count as affected (default restoredAt). */
  affectsDueUntil?: number;
  /** Ledger keys without an outcome at the moment of the fault: sends it interrupted. */
  inFlight: string[];
  /**
   * A database write the fault interrupted (not a mail): when it was done after all, or null if it
   * was not by the drill's deadline. Its recovery counts like an affected email's.
   */
  recoveredAt?: number | null;
};

export type DrillContext = {
  world: ChaosWorld;
  /** Settles once every workflow has been started. */
  cycle: Promise<DrillCycle>;
  /** When the cycle was opened (the invitation wave), and when the reminder and overdue waves are due. */
  openedAt: number;
  reminderAt: number;
  overdueAt: number;
  log: (line: string) => void;
  /** Ledger keys without an outcome right now; [] while the database is unreachable. */
  inFlight(): Promise<string[]>;
  record(fault: Fault): void;
  /** One line for the table's note column. */
  note(text: string): void;
};

export type DrillSpec = {
  scenario: string;
  workers: number;
  /** What those workers run (WORKER_ROLE; default all): a scenario that kills typesetting keeps it off them. */
  workerRole?: WorkerRole;
  /** Injects the faults, from the moment the cycle is being opened; resolves when it is done injecting. */
  inject(context: DrillContext): Promise<void>;
};

/** After the last wave, how long the drill waits for the rest before it counts what is missing as lost. */
const patienceMs = (partners: number) => Math.max(5 * 60_000, partners * 600);
/**
 * Past the last wave, with the ledger closed and nothing new at the sink for this long, the drill
 * stops waiting for mail its workflows decided not to send (a step superseded after an outage).
 */
const quietMs = 30_000;

export async function runDrill(spec: DrillSpec, options: ChaosOptions): Promise<ChaosRow> {
  const { log } = options;
  const world = await startChaosWorld({ workers: spec.workers, role: spec.workerRole, log });
  const faults: Fault[] = [];
  const notes: string[] = [];
  try {
    const openedAt = Date.now();
    const { leadSeconds, gapSeconds } = drillTiming(options.partners);
    const dueAt = openedAt + leadSeconds * 1000;
    const cycle = openDrillCycle(world, { partners: options.partners, openedAt, log });
    cycle.catch(() => undefined);
    const context: DrillContext = {
      world,
      cycle,
      openedAt,
      reminderAt: dueAt - gapSeconds * 1000,
      overdueAt: dueAt + gapSeconds * 1000,
      log,
      inFlight: async () => {
        try {
          const rows = await world.db
            .select({ key: emailLedger.idempotencyKey })
            .from(emailLedger)
            .where(inArray(emailLedger.status, ['pending', 'sending', 'unknown']));
          return rows.map((row) => row.key);
        } catch {
          return [];
        }
      },
      record: (fault) => faults.push(fault),
      note: (text) => notes.push(text),
    };
    await spec.inject(context);
    const drill = await cycle;

    const deadline = Math.max(Date.now(), drill.lastWaveAt) + patienceMs(options.partners);
    let ledger = await ledgerStates(world.db);
    let lastReceipts = -1;
    let quietSince = Date.now();
    while (!settled(drill.intended, world.sink.receipts, ledger) && Date.now() < deadline) {
      if (world.sink.receipts.length !== lastReceipts) [lastReceipts, quietSince] = [world.sink.receipts.length, Date.now()];
      const quiet = Date.now() - quietSince >= quietMs && Date.now() >= drill.lastWaveAt + quietMs;
      if (quiet && ledgerClosed(ledger) && (await queueIdle(world))) break;
      await sleep(1_000);
      ledger = await ledgerStates(world.db);
    }
    if (!ledgerClosed(ledger)) {
      const open = [...ledger.values()].filter(({ status }) => status !== 'sent' && status !== 'failed' && status !== 'held').length;
      notes.push(`stopped waiting ${Math.round((Date.now() - drill.lastWaveAt) / 1000)} s after the last wave with ${open} ledger rows still open`);
    }
    const count = countEmails(drill.intended, world.sink.receipts, ledger, await decisionsOnMissing(world, drill, ledger));
    for (const [outcome, n] of Object.entries(count.notSentByRule)) {
      notes.push(outcome === 'superseded' ? `${n} superseded by another mail to the same person that fell due with it (catch-up rule)` : `${n} ${outcome}`);
    }
    const failed = await world.client.workflow.count(`TaskQueue = '${world.config.temporal.taskQueue}' AND ExecutionStatus = 'Failed'`);
    if (failed.count > 0) notes.push(`${failed.count} workflows failed`);
    if (count.neverAttempted > 0) notes.push(`${count.neverAttempted} of the lost never reached the ledger`);
    if (count.unexpected > 0) notes.push(`${count.unexpected} unexpected messages in the sink`);
    if (count.duplicated > count.duplicatesExplained) notes.push(`${count.duplicated - count.duplicatesExplained} duplicates not marked possible_duplicate`);
    if (count.lost > 0) log(`lost, e.g.: ${drill.intended.filter((e) => !world.sink.receipts.some((r) => r.messageId === e.messageId)).slice(0, 3).map((e) => `${e.idempotencyKey} (${ledger.get(e.idempotencyKey)?.status ?? 'no ledger row'})`).join(', ')}`);

    const recovery = secondsToRecover(faults, drill, world, ledger);
    if (recovery.perFault.length > 0) notes.push(`recovery per outage: ${recovery.perFault.join(', ')}`);
    return {
      scenario: spec.scenario,
      faultsInjected: faults.length,
      workflows: drill.workflowIds.length,
      emailsIntended: count.intended,
      emailsDelivered: count.delivered,
      duplicated: count.duplicated,
      duplicatesExplained: count.duplicatesExplained,
      notSentByRule: Object.values(count.notSentByRule).reduce((sum, n) => sum + n, 0),
      lost: count.lost,
      secondsToRecover: recovery.seconds,
      note: notes.length > 0 ? notes.join('; ') : undefined,
    };
  } catch (error) {
    log(`drill failed; the parts' last lines:\n${world.recentLog().slice(-40).join('\n')}`);
    throw error;
  } finally {
    await world.stop();
  }
}

/** No workflow or activity task waits on the drill's task queue: the workers have nothing left to do. */
async function queueIdle(world: ChaosWorld): Promise<boolean> {
  try {
    for (const taskQueueType of [1, 2]) {
      // TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY
      const { stats } = await world.client.workflowService.describeTaskQueue({
        namespace: world.config.temporal.namespace,
        taskQueue: { name: world.config.temporal.taskQueue },
        taskQueueType,
        reportStats: true,
      });
      if (Number(stats?.approximateBacklogCount ?? 0) > 0) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * For each intended email the sink lacks and the ledger never held (a superseded step has no row),
 * what its workflow's timeline says it decided for that step. Queries wait for the workflow's
 * worker, so they run a few at a time, each with a deadline; an unanswered one decides nothing.
 */
async function decisionsOnMissing(world: ChaosWorld, drill: DrillCycle, ledger: Map<string, LedgerState>): Promise<Map<string, StepDecision>> {
  const received = new Set(world.sink.receipts.map((r) => r.messageId));
  const missing = drill.intended.filter((email) => !received.has(email.messageId) && !ledger.has(email.idempotencyKey));
  const decisions = new Map<string, StepDecision>();
  const queue = [...new Set(missing.map((email) => email.workflowId))];
  const giveUpAt = Date.now() + 120_000;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let workflowId = queue.shift(); workflowId !== undefined && Date.now() < giveUpAt; workflowId = queue.shift()) {
        // Caught where it is made: an answer after the deadline (or the connection's close) must not surface unhandled.
        const answer = world.client.workflow.getHandle(workflowId).query(reportTimelineQuery).catch(() => [] as TimelineEntry[]);
        const timeline = await Promise.race([answer, sleep(10_000, [] as TimelineEntry[])]);
        for (const email of missing.filter((e) => e.workflowId === workflowId)) {
          const entry = timeline.find((item) => item.kind === 'deadline' && item.round === 'initial' && `${item.stepId}#${item.occurrence}` === keyStep(email.idempotencyKey));
          if (entry?.kind === 'deadline') decisions.set(email.idempotencyKey, { outcome: entry.outcome, supersededBy: entry.supersededBy });
        }
      }
    }),
  );
  return decisions;
}

/** 'reminder#0' from '<workflow id>/initial/reminder#0/<role>/<id>'. */
function keyStep(idempotencyKey: string): string {
  return idempotencyKey.split('/').at(-3) ?? '';
}

/**
 * Per fault, the emails it affected: those in flight at the fault and those that came due while the
 * part was down, and the database write it interrupted, if any. Its recovery lasts until the last of
 * them settled (recorded sent in the ledger, or else first seen by the sink; the write done),
 * counted from the moment the part was back. The row shows the worst fault; an email that never
 * settled is counted as lost, and a write never done leaves the row's recovery null.
 */
function secondsToRecover(
  faults: Fault[],
  drill: DrillCycle,
  world: ChaosWorld,
  ledger: Awaited<ReturnType<typeof ledgerStates>>,
): { seconds: number | null; perFault: string[] } {
  const copies = sinkCopies(world.sink.receipts);
  const byKey = new Map(drill.intended.map((email) => [email.idempotencyKey, email]));
  // An email that a later outage of the part (not a worker kill: the others serve on) kept from
  // going out counts from the end of that outage, not its own: the part was down again meanwhile.
  const outageEnds = faults.filter((fault) => fault.restoredAt > fault.at).map((fault) => fault.restoredAt);
  const backBefore = (settledAt: number, restoredAt: number) =>
    outageEnds.reduce((latest, end) => (end <= settledAt && end > latest ? end : latest), restoredAt);
  let worst: number | null = null;
  const perFault: string[] = [];
  for (const fault of faults) {
    let faultWorst: number | null = null;
    const affected = new Set(fault.inFlight);
    for (const email of drill.intended) {
      if (email.plannedAt >= fault.at && email.plannedAt <= (fault.affectsDueUntil ?? fault.restoredAt)) affected.add(email.idempotencyKey);
    }
    for (const key of affected) {
      const email = byKey.get(key);
      const settledAt = ledger.get(key)?.sentAt ?? (email ? copies.get(email.messageId)?.firstAt : undefined);
      if (settledAt === undefined) continue;
      const seconds = Math.max(0, settledAt - backBefore(settledAt, fault.restoredAt)) / 1000;
      faultWorst = Math.max(faultWorst ?? 0, seconds);
    }
    if (fault.recoveredAt === null) return { seconds: null, perFault: [...perFault, 'an interrupted database write was never done'] };
    if (fault.recoveredAt !== undefined) faultWorst = Math.max(faultWorst ?? 0, Math.max(0, fault.recoveredAt - fault.restoredAt) / 1000);
    if (fault.restoredAt > fault.at && faultWorst !== null) perFault.push(`${((fault.restoredAt - fault.at) / 1000).toFixed(0)} s down: ${faultWorst.toFixed(1)} s`);
    if (faultWorst !== null) worst = Math.max(worst ?? 0, faultWorst);
  }
  return { seconds: worst === null ? null : Math.round(worst * 10) / 10, perFault };
}
