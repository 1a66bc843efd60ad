import { describe, it } from 'vitest';
import { databaseWindow } from '../../src/dev/chaos/scenarios/database-window';
import { typesettingWindow } from '../../src/dev/chaos/scenarios/typesetting-window';
import { everyMailAccountedFor, recoveryTargetSeconds, runScenario, typesettingRecoveryTargetSeconds } from '../support/chaos-drill';

// `npm run chaos`'s scenarios that kill a worker inside an activity other than a send, each on its
// own production topology, the two at once. A file of their own, not more drills beside
// chaos-kills.test.ts's four: on two cores a fifth topology at the same time pushed their recovery
// times past the target.

describe.concurrent('a worker killed inside an activity', () => {
  it('has the report state it was about to record written by another worker within seconds', async ({ expect }) => {
    // 12 reports' overdue states fall due at once: the faulty worker takes one of them (all going to
    // the healthy one has odds of about 1 in 4,000).
    const row = await runScenario(databaseWindow, 1, 12);
    expect(row).toMatchObject({ scenario: 'database-window', faultsInjected: 1, workflows: 12 });
    expect(everyMailAccountedFor(row)).toEqual({ intended: 36, deliveredOrByRule: 36, lost: 0 });
    expect(row.duplicated).toBe(row.duplicatesExplained);
    // A 5 s heartbeat timeout and a 1 s retry; the 30 s start-to-close timeout before took 32 s.
    expect(row.secondsToRecover).not.toBeNull();
    expect(row.secondsToRecover!).toBeLessThanOrEqual(recoveryTargetSeconds);
  }, 300_000);

  it('has the compiled report it was typesetting ready within a minute, the mail of the cycle untouched', async ({ expect }) => {
    // The only documents worker dies as it places the first volume; a healthy one is started at once.
    const row = await runScenario(typesettingWindow, 1, 12);
    expect(row).toMatchObject({ scenario: 'typesetting-window', faultsInjected: 1, workflows: 12 });
    expect(everyMailAccountedFor(row)).toEqual({ intended: 36, deliveredOrByRule: 36, lost: 0 });
    expect(row.duplicated).toBe(0);
    // A 30 s heartbeat timeout and a 10 s retry; the 10 min heartbeat timeout before took 10 min.
    expect(row.secondsToRecover).not.toBeNull();
    expect(row.secondsToRecover!).toBeLessThanOrEqual(typesettingRecoveryTargetSeconds);
  }, 300_000);
});
