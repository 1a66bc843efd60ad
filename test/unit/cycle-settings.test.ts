/** The cycle's settings and its join rule: who joins in time to report this year, and by when. */
import { describe, expect, it } from 'vitest';
import { compileMoment, cycleSettingsSchema, joinDecision } from '../../src/domain/cycle-settings';
import { formatIssues } from '../../src/domain/issues';

const rule = cycleSettingsSchema.parse({}).joinRule;
const cycle = { year: 2027, dueDate: '2027-03-31', rule };

describe('the join rule', () => {
  it('defaults to a cut-off six weeks before the due date and at least eight weeks to report', () => {
    expect(cycleSettingsSchema.parse({})).toEqual({ joinRule: { cutoffWeeksBeforeDue: 6, minimumWeeks: 8 } });
  });

  it('keeps the cycle’s due date for a partner that joined long before', () => {
    expect(joinDecision({ ...cycle, accessionDate: '2026-11-02' })).toEqual({ reports: true, cutoff: '2027-02-17', dueDate: '2027-03-31', extended: false });
    expect(joinDecision({ ...cycle, accessionDate: null })).toEqual({ reports: true, cutoff: '2027-02-17', dueDate: '2027-03-31', extended: false });
  });

  it('gives a partner joining on the cut-off day eight weeks from its joining', () => {
    expect(joinDecision({ ...cycle, accessionDate: '2027-02-17' })).toEqual({ reports: true, cutoff: '2027-02-17', dueDate: '2027-04-14', extended: true });
  });

  it('lets a partner joining the day after the cut-off report from the next year', () => {
    expect(joinDecision({ ...cycle, accessionDate: '2027-02-18' })).toEqual({ reports: false, cutoff: '2027-02-17', fromYear: 2028 });
  });

  it('follows a cycle’s own rule and refuses one that cannot work, field by field', () => {
    const own = cycleSettingsSchema.parse({ joinRule: { cutoffWeeksBeforeDue: 0, minimumWeeks: 4 } }).joinRule;
    expect(joinDecision({ ...cycle, rule: own, accessionDate: '2027-03-31' })).toEqual({ reports: true, cutoff: '2027-03-31', dueDate: '2027-04-28', extended: true });
    const bad = cycleSettingsSchema.safeParse({ compileOn: '2027-02-30', joinRule: { minimumWeeks: 0 } });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(formatIssues(bad.error)).toEqual(['compileOn: must be a real date as YYYY-MM-DD', 'joinRule.minimumWeeks: Too small: expected number to be >=1']);
  });
});

describe('the compile date', () => {
  it('compiles at six in the morning, local time', () => {
    expect(compileMoment('2027-05-03', 'Europe/Berlin').toISOString()).toBe('2027-05-03T04:00:00.000Z');
    expect(compileMoment('2027-01-04', 'Europe/Berlin').toISOString()).toBe('2027-01-04T05:00:00.000Z');
  });
});
