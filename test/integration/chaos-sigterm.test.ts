import { describe, expect, inject, it } from 'vitest';
import { sigtermScenario } from '../../src/dev/chaos/sigterm';

describe('SIGTERM to a worker in the middle of a wave of sends', () => {
  it('stops polling, finishes what runs, exits 0 within the grace time, abandons no activity and loses no mail', async () => {
    const scenario = sigtermScenario({ postgresAdminUrl: inject('postgresAdminUrl') });
    const lines: string[] = [];
    const row = await scenario.run({ k: 2, partners: 4, log: (line) => lines.push(line) });
    expect(scenario.lastTerms?.map((term) => term.code), lines.join('\n')).toEqual([0, 0]);
    expect(scenario.lastTerms?.every((term) => term.seconds < 10)).toBe(true);
    expect(row).toMatchObject({
      faultsInjected: 2,
      workflows: 4,
      emailsIntended: 12, // 3 waves of one mail per partner
      emailsDelivered: 12,
      duplicated: 0,
      lost: 0,
    });
    expect(row.note).toMatch(/^2\/2 exits with 0 .*; 0 activities abandoned$/);
  }, 240_000);
});
