import { setTimeout as sleep } from 'node:timers/promises';
import { runDrill } from '../drill';
import type { ChaosScenario } from '../scenario';
import { superviseWorkers } from './supervisor';

/**
 * (c) Temporal server SIGKILL and restart on the same PostgreSQL, just before a wave of mail:
 * alternately a short outage and one longer than the worker's tolerance of an unreachable server
 * (about a minute); a worker that gives up is restarted as docker-compose would. The wave must go
 * out once the server is back, nothing lost.
 */
export function temporalKill(outages: { shortSeconds: number; longSeconds: number } = { shortSeconds: 15, longSeconds: 75 }): ChaosScenario {
  return {
    name: 'temporal-kill',
    defaultK: 2,
    defaultPartners: 200,
    run: (options) =>
      runDrill(
        {
          scenario: 'temporal-kill',
          workers: 2,
          async inject({ world, cycle, openedAt, reminderAt, inFlight, record, note, log }) {
            await cycle;
            const stopSupervising = superviseWorkers(world, 2);
            // The first kill lands just before the reminder wave, the next ones right after a recovery.
            await sleep(Math.max(0, reminderAt - 2_000 - Date.now()));
            for (let index = 0; index < options.k; index += 1) {
              const down = index % 2 === 0 ? outages.shortSeconds : outages.longSeconds;
              const snapshot = await inFlight();
              await world.killTemporal();
              const at = Date.now();
              log(`kill ${index + 1}/${options.k}: Temporal server at +${((at - openedAt) / 1000).toFixed(1)} s, down for ${down} s`);
              await sleep(down * 1_000);
              await world.restartTemporal();
              const restoredAt = Date.now();
              record({ at, restoredAt, inFlight: snapshot });
              log(`Temporal server back after ${((restoredAt - at) / 1000).toFixed(1)} s`);
              await sleep(3_000);
            }
            const restarts = await stopSupervising();
            if (restarts > 0) note(`${restarts} worker restarts after they gave up on the server`);
          },
        },
        options,
      ),
  };
}
