import { setTimeout as sleep } from 'node:timers/promises';
import { runDrill } from '../drill';
import type { ChaosScenario } from '../scenario';

/**
 * (b) A kill exactly inside the accept-to-record window: besides a healthy worker, K workers are
 * started one after the other with FAULT_INJECTION=notice.afterSmtpAccepted:kill, so each SIGKILLs
 * itself right after the SMTP server accepted a mail and before the ledger recorded it. The retry
 * sends that mail again under the same Message-ID: a duplicate the ledger must mark possible_duplicate.
 */
export const acceptWindow: ChaosScenario = {
  name: 'accept-window',
  defaultK: 5,
  defaultPartners: 200,
  run: (options) =>
    runDrill(
      {
        scenario: 'accept-window',
        workers: 1,
        async inject({ world, openedAt, overdueAt, inFlight, record, log }) {
          for (let index = 0; index < options.k; index += 1) {
            const faulty = await world.startWorker({ faultInjection: 'notice.afterSmtpAccepted:kill' });
            // It dies at its first accepted mail; the waves give it one sooner or later.
            const exited = await Promise.race([faulty.exited.then(() => true), sleep(Math.max(30_000, overdueAt + 30_000 - Date.now()), false)]);
            if (!exited) {
              log(`worker ${faulty.number} met no mail to die at; stopping it`);
              await faulty.stop();
              break;
            }
            const at = Date.now();
            record({ at, restoredAt: at, inFlight: await inFlight() });
            log(`kill ${index + 1}/${options.k}: worker ${faulty.number} killed itself inside the accept-to-record window at +${((at - openedAt) / 1000).toFixed(1)} s`);
          }
        },
      },
      options,
    ),
};
