import { setTimeout as sleep } from 'node:timers/promises';
import { runDrill } from '../drill';
import type { ChaosScenario } from '../scenario';
import { superviseWorkers } from './supervisor';

/**
 * (d) PostgreSQL SIGKILL (postmaster and backends) and restart mid-wave: ours and Temporal's
 * databases share the server, as in the topology. Alternately a short outage and one longer than
 * postgres.js's connect timeout (30 s). Temporal is restarted if it did not survive, workers if
 * they gave up. Nothing may be lost.
 */
export function postgresKill(outages: { shortSeconds: number; longSeconds: number } = { shortSeconds: 10, longSeconds: 40 }): ChaosScenario {
  return {
    name: 'postgres-kill',
    defaultK: 2,
    defaultPartners: 200,
    run: (options) =>
      runDrill(
        {
          scenario: 'postgres-kill',
          workers: 2,
          async inject({ world, cycle, openedAt, reminderAt, inFlight, record, note, log }) {
            await cycle;
            const stopSupervising = superviseWorkers(world, 2);
            let temporalRestarts = 0;
            // Mid-wave: a second into the reminder wave.
            await sleep(Math.max(0, reminderAt + 1_000 - Date.now()));
            for (let index = 0; index < options.k; index += 1) {
              const down = index % 2 === 0 ? outages.shortSeconds : outages.longSeconds;
              const snapshot = await inFlight();
              await world.killPostgres();
              const at = Date.now();
              log(`kill ${index + 1}/${options.k}: PostgreSQL at +${((at - openedAt) / 1000).toFixed(1)} s, down for ${down} s`);
              await sleep(down * 1_000);
              await world.restartPostgres();
              if (!world.temporalRunning()) {
                await world.restartTemporal();
                temporalRestarts += 1;
              }
              const restoredAt = Date.now();
              record({ at, restoredAt, inFlight: snapshot });
              log(`PostgreSQL back after ${((restoredAt - at) / 1000).toFixed(1)} s`);
              await sleep(3_000);
            }
            const restarts = await stopSupervising();
            if (temporalRestarts > 0) note(`Temporal server exited with its database ${temporalRestarts} times and was restarted`);
            if (restarts > 0) note(`${restarts} worker restarts`);
          },
        },
        options,
      ),
  };
}
