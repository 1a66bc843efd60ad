import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { listCompiledReports } from '../../../db/queries/compilation';
import { archiveState } from '../../../documents/format-states';
import { requestCompile } from '../../../temporal/cycle-client';
import { runDrill } from '../drill';
import type { ChaosScenario } from '../scenario';
import type { ChaosWorld } from '../world';

const killWhilePlacing = 'compilation.afterVolumePlaced:kill';

/** How long the drill waits for the PDF and DOCX after the last kill before it calls them not recovered. */
const patienceMs = 180_000;

/**
 * (a'') Kills while typesetting the compiled report's PDF and DOCX: the drill's worker runs the
 * workflows and every other activity (WORKER_ROLE=workflows); the typesetting can only go to a
 * documents worker started with FAULT_INJECTION=compilation.afterVolumePlaced:kill, which
 * SIGKILLs itself as it places a volume. Staff ask the cycle workflow for a compile; each time the
 * documents worker dies, another is started at once (killing itself too, K in all, then a healthy
 * one). What the drill times is how long after the last kill the version's PDF and DOCX are ready,
 * which is how long a dead worker's typesetting keeps staff waiting: its heartbeat timeout and the
 * retry's interval, then the volumes the dead attempts did not place.
 */
export const typesettingWindow: ChaosScenario = {
  name: 'typesetting-window',
  defaultK: 2,
  defaultPartners: 50,
  run: (options) =>
    runDrill(
      {
        scenario: 'typesetting-window',
        workers: 1,
        workerRole: 'workflows',
        async inject({ world, cycle, record, note, log }) {
          const { year } = await cycle;
          let documents = await world.startWorker({ role: 'documents', faultInjection: killWhilePlacing });
          await documents.polling;
          const { requestId } = await requestCompile(world.client, world.config.temporal.taskQueue, year, { requestId: randomUUID(), email: false });
          const kills: number[] = [];
          // Ready, or given up on: the patience counts from the last kill (or the request).
          let deadline = Date.now() + patienceMs;
          const ready = archiveReady(world, year, requestId, () => deadline);
          while (kills.length < options.k) {
            const outcome = await Promise.race([documents.exited.then(() => 'killed' as const), ready.then(() => 'settled' as const)]);
            if (outcome === 'settled') break;
            kills.push(Date.now());
            deadline = Date.now() + patienceMs;
            // Started again at once, as a supervisor would; the last one healthy.
            documents = await world.startWorker({ role: 'documents', ...(kills.length < options.k && { faultInjection: killWhilePlacing }) });
          }
          const readyAt = await ready;
          if (kills.length < options.k) log(`the typesetting placed its last volume after ${kills.length} of ${options.k} kills`);
          if (kills.length === 0) return;
          const last = Math.max(...kills);
          for (const killedAt of kills) record({ at: killedAt, restoredAt: killedAt, inFlight: [], recoveredAt: readyAt });
          const after = readyAt === null ? `not within ${patienceMs / 1000} s` : `${((readyAt - last) / 1000).toFixed(1)} s after the last kill`;
          log(`${kills.length} documents workers killed themselves while placing a volume; the PDF and DOCX ready ${after}`);
          note(`the compiled report's PDF and DOCX ready ${after}`);
        },
      },
      options,
    ),
};

/**
 * When the version compiled for `requestId` had its PDF and DOCX marked ready (polls the database),
 * or null if not by the deadline. Failed for good is an error: the drill found a fault it cannot count.
 */
async function archiveReady(world: ChaosWorld, year: number, requestId: string, deadline: () => number): Promise<number | null> {
  while (Date.now() < deadline()) {
    const rows = await listCompiledReports(world.db, year).catch(() => []);
    const formats = rows.find((row) => row.requestId === requestId)?.formats;
    const archive = formats && archiveState(formats);
    if (archive?.state === 'ready') return archive.at === undefined ? Date.now() : Date.parse(archive.at);
    if (archive?.state === 'failed') throw new Error(`the PDF and DOCX failed: ${archive.reason}`);
    await sleep(500);
  }
  return null;
}
