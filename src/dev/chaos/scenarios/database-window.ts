import { setTimeout as sleep } from 'node:timers/promises';
import { and, count, eq, inArray, max } from 'drizzle-orm';
import { auditLog } from '../../../db/schema';
import { runDrill } from '../drill';
import type { ChaosScenario } from '../scenario';
import type { ChaosWorld } from '../world';

/**
 * (a') Kills inside a database activity: besides a healthy worker, K workers start shortly before
 * the due moment with FAULT_INJECTION=report.beforeStateRecorded:kill, so each SIGKILLs itself as
 * it is about to record a report's "overdue" state (every report writes one at the due moment, with
 * no mail around it). What the drill times is the write: how long after the last kill every
 * report's overdue state is in the database, which is how long a dead worker's database activity
 * keeps its workflow waiting.
 */
export const databaseWindow: ChaosScenario = {
  name: 'database-window',
  defaultK: 3,
  defaultPartners: 200,
  run: (options) =>
    runDrill(
      {
        scenario: 'database-window',
        workers: 1,
        async inject({ world, cycle, reminderAt, overdueAt, inFlight, record, note, log }) {
          const { workflowIds } = await cycle;
          // The due moment lies halfway between the reminder and the overdue notice (drill-cycle.ts).
          const dueAt = (reminderAt + overdueAt) / 2;
          // Polling by the due moment (a worker takes seconds to start on a busy machine), not long
          // before it: what the workers hold when one dies is then mostly the due moment's work.
          await sleep(Math.max(0, dueAt - 8_000 - Date.now()));
          const faulty = await Promise.all(Array.from({ length: options.k }, () => world.startWorker({ faultInjection: 'report.beforeStateRecorded:kill' })));
          const kills: number[] = [];
          for (const worker of faulty) void worker.exited.then(() => kills.push(Date.now()));
          // Every overdue state recorded: a faulty worker still alive has nothing left to die at.
          const recorded = await everyOverdueRecorded(world, workflowIds, Math.max(Date.now(), overdueAt) + 120_000);
          const survivors = faulty.filter((worker) => world.liveWorkers().includes(worker));
          for (const worker of survivors) {
            log(`worker ${worker.number} met no report state to die at; stopping it`);
            await worker.stop();
          }
          if (kills.length === 0) return;
          const at = Math.max(...kills);
          const interrupted = await inFlight();
          const recoveredAt = recorded ?? null;
          for (const killedAt of kills) record({ at: killedAt, restoredAt: killedAt, inFlight: interrupted, recoveredAt });
          const after = recoveredAt === null ? 'not within 120 s' : `${((recoveredAt - at) / 1000).toFixed(1)} s after the last kill`;
          log(`${kills.length} of ${options.k} workers killed themselves before recording a report state; every overdue state recorded ${after}`);
          note(`every report's overdue state recorded ${after}`);
        },
      },
      options,
    ),
};

/** When the last of the reports' "overdue" states was written, once all are there (undefined if not by `deadline`). */
async function everyOverdueRecorded(world: ChaosWorld, workflowIds: string[], deadline: number): Promise<number | undefined> {
  while (Date.now() < deadline) {
    const [row] = await world.db
      .select({ recorded: count(), last: max(auditLog.recordedAt) })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'annual_report'), eq(auditLog.action, 'overdue'), inArray(auditLog.entityId, workflowIds)))
      .catch(() => [undefined]);
    if (row && row.recorded >= workflowIds.length && row.last) return row.last.getTime();
    await sleep(500);
  }
  return undefined;
}
