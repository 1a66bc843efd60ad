import { setTimeout as sleep } from 'node:timers/promises';
import { runDrill } from '../drill';
import type { ChaosScenario } from '../scenario';

/**
 * (a) Worker SIGKILL loop: two worker processes serve a compressed cycle; at K random moments
 * between its opening and its last wave one of them is SIGKILLed and a fresh one started 1–3 s
 * later, as a supervisor would. Nothing may be lost: the dead worker's sends are retried elsewhere.
 */
export const workerKills: ChaosScenario = {
  name: 'worker-kills',
  defaultK: 20,
  defaultPartners: 1_000,
  run: (options) =>
    runDrill(
      {
        scenario: 'worker-kills',
        workers: 2,
        async inject({ world, openedAt, overdueAt, inFlight, record, note, log }) {
          const from = openedAt + 3_000;
          const until = overdueAt + 5_000;
          const moments = Array.from({ length: options.k }, () => from + Math.random() * (until - from)).sort((a, b) => a - b);
          const polls: number[] = [];
          for (const [index, moment] of moments.entries()) {
            await sleep(Math.max(0, moment - Date.now()));
            const live = world.liveWorkers();
            const victim = live[Math.floor(Math.random() * live.length)];
            if (!victim) continue;
            await world.killWorker(victim);
            const at = Date.now();
            const interrupted = await inFlight();
            await sleep(1_000 + Math.random() * 2_000);
            const replacement = await world.startWorker();
            // What came due meanwhile counts too: the dead worker's cached workflows wait on its sticky queue.
            record({ at, restoredAt: at, affectsDueUntil: Date.now(), inFlight: interrupted });
            void replacement.polling.then((ms) => polls.push(ms), () => undefined);
            log(`kill ${index + 1}/${options.k}: worker ${victim.number} (pid ${victim.pid}) at +${((at - openedAt) / 1000).toFixed(1)} s; worker ${replacement.number} started`);
          }
          await Promise.allSettled(world.liveWorkers().map((w) => w.polling));
          if (polls.length > 0) note(`restarted workers polled after ${(Math.max(...polls) / 1000).toFixed(1)} s at most`);
        },
      },
      options,
    ),
};
