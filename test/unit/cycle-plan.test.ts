import { describe, expect, it } from 'vitest';
import { groupByDueDate, planCycleSends } from '../../src/domain/cycle-plan';
import { defaultReportingPolicy } from '../../src/domain/default-policy';

const partners = [
  { number: 1, name: 'Kreis Lippe' },
  { number: 2, name: 'Stadt Solingen' },
  { number: 3, name: 'Rhein-Sieg-Kreis' },
];

describe('the dry run of opening a cycle', () => {
  it("plans each partner's sends for its own due date, an override winning over the cycle's", () => {
    const plan = planCycleSends({ dueDate: '2027-03-31', policy: defaultReportingPolicy, partners, overrides: new Map([[2, '2027-04-30']]) });
    expect(plan).toMatchObject({ timezone: 'Europe/Berlin', steps: 8, warnings: [] });
    expect(plan.partners.map((p) => [p.partner, p.dueDate, p.sends[0]?.step, p.sends[0]?.sendAt])).toEqual([
      [1, '2027-03-31', 'invitation', '2027-02-17 09:00 (Wed)'],
      [2, '2027-04-30', 'invitation', '2027-03-19 09:00 (Fri)'],
      [3, '2027-03-31', 'invitation', '2027-02-17 09:00 (Wed)'],
    ]);
    expect(plan.partners[0]?.sends).toEqual(plan.partners[2]?.sends);
  });

  it('groups the partners by due date, earliest first, for the web', () => {
    const plan = planCycleSends({ dueDate: '2027-03-31', policy: defaultReportingPolicy, partners, overrides: new Map([[2, '2027-01-29']]) });
    const groups = groupByDueDate(plan.partners);
    expect(groups.map((g) => [g.dueDate, g.partners.map((p) => p.partner)])).toEqual([
      ['2027-01-29', [2]],
      ['2027-03-31', [1, 3]],
    ]);
    expect(groups[1]?.sends).toEqual(plan.partners[0]?.sends);
  });
});
