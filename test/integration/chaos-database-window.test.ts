import { describe, it } from 'vitest';
import { databaseWindow } from '../../src/dev/chaos/scenarios/database-window';
import { everyMailAccountedFor, recoveryTargetSeconds, runScenario } from '../support/chaos-drill';

// `npm run chaos`'s database-window scenario on its own production topology. A file of its own, not
// a fifth drill beside chaos-kills.test.ts's four: on two cores a fifth topology at the same time
// pushed their recovery times past the target.

describe('a worker killed inside a database activity', () => {
  it('has the state it was about to record written by another worker within seconds', async ({ expect }) => {
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
});
