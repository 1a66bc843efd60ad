import { describe, it } from 'vitest';
import { acceptWindow } from '../../src/dev/chaos/scenarios/accept-window';
import { postgresKill } from '../../src/dev/chaos/scenarios/postgres-kill';
import { temporalKill } from '../../src/dev/chaos/scenarios/temporal-kill';
import { workerKills } from '../../src/dev/chaos/scenarios/worker-kills';
import { everyMailAccountedFor, recoveryTargetSeconds, runScenario as run } from '../support/chaos-drill';

// `npm run chaos`'s kill scenarios with a small K and a few partners, each on its own production
// topology (Temporal server on embedded PostgreSQL, worker processes, the drill's SMTP sink).
// The four run at once: each topology has its own data folder, ports, database and task queue, and
// a drill spends its minute or so waiting for its compressed cycle's waves and outages, not on the
// CPU (a few partners each). One after the other they made this the suite's longest file but one.

describe.concurrent('faults on the production topology', () => {
  it('loses no mail while workers are SIGKILLed and restarted during a compressed cycle', async ({ expect }) => {
    const row = await run(workerKills, 3, 12);
    expect(row).toMatchObject({ scenario: 'worker-kills', faultsInjected: 3, workflows: 12 });
    expect(everyMailAccountedFor(row)).toEqual({ intended: 36, deliveredOrByRule: 36, lost: 0 });
    expect(row.duplicated).toBe(row.duplicatesExplained);
    if (row.secondsToRecover !== null) expect(row.secondsToRecover).toBeLessThanOrEqual(recoveryTargetSeconds);
  }, 300_000);

  it('sends a mail accepted just before its worker died once more, and the ledger marks that copy', async ({ expect }) => {
    const row = await run(acceptWindow, 1, 8);
    expect(row).toMatchObject({ scenario: 'accept-window', faultsInjected: 1 });
    expect(everyMailAccountedFor(row)).toEqual({ intended: 24, deliveredOrByRule: 24, lost: 0 });
    // The worker died after the SMTP server's 250 and before the ledger's record: the retry sends again.
    expect(row.duplicated).toBeGreaterThanOrEqual(1);
    expect(row.duplicatesExplained).toBe(row.duplicated);
    expect(row.secondsToRecover).not.toBeNull();
    expect(row.secondsToRecover!).toBeLessThanOrEqual(recoveryTargetSeconds);
  }, 300_000);

  it('sends the wave that came due while the Temporal server was down once it is back', async ({ expect }) => {
    const row = await run(temporalKill({ shortSeconds: 8, longSeconds: 8 }), 1, 8);
    expect(row).toMatchObject({ scenario: 'temporal-kill', faultsInjected: 1 });
    expect(everyMailAccountedFor(row)).toEqual({ intended: 24, deliveredOrByRule: 24, lost: 0 });
    expect(row.duplicated).toBe(row.duplicatesExplained);
    expect(row.secondsToRecover).not.toBeNull();
  }, 300_000);

  it('loses no mail when PostgreSQL is SIGKILLed mid-wave and restarted, and recovers within seconds of a long outage', async ({ expect }) => {
    // 40 s down (longer than postgres.js's connect timeout): a backoff doubling from 1 s without a low
    // ceiling tries at about 31 s and 63 s, so the first mail would follow about 20 s after the restart.
    const row = await run(postgresKill({ shortSeconds: 40, longSeconds: 40 }), 1, 8);
    expect(row).toMatchObject({ scenario: 'postgres-kill', faultsInjected: 1 });
    // The outage outlasts the gap to the overdue wave: reminders not yet out 1 s into their wave
    // (on a loaded machine, some) are superseded by the overdue notice after the restart.
    expect(everyMailAccountedFor(row)).toEqual({ intended: 24, deliveredOrByRule: 24, lost: 0 });
    expect(row.duplicated).toBe(row.duplicatesExplained);
    expect(row.secondsToRecover).not.toBeNull();
    expect(row.secondsToRecover!).toBeLessThanOrEqual(recoveryTargetSeconds);
  }, 300_000);
});
