/**
 * `partnerflow cycle open --dry-run` through the real CLI on a real database: per active partner
 * the planned sends, an agreed later due date honoured, nothing stored; a policy that cannot work
 * refused before anything happens.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setOverride, upsertCycle } from '../../src/db/queries/reporting';
import { organisations, reportingCycles } from '../../src/db/schema';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import { runPartnerflow, type CliResult } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;

const partnerflow = (...args: string[]): Promise<CliResult> => runPartnerflow(args, { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });

/** The lines of one partner's block of the dry run, up to the next partner. */
function blockOf(stdout: string, partner: number): string[] {
  const blocks = stdout.split(/\n(?=Partner \d+, )/);
  return (blocks.find((block) => block.startsWith(`Partner ${partner}, `)) ?? '').trim().split('\n');
}

beforeAll(async () => {
  database = await createTestDatabase();
  const rows = await database.db
    .insert(organisations)
    .values([
      { number: 1, name: 'Bezirksregierung Arnsberg', kind: 'district_government', status: 'active', accessionDate: '2013-05-13' },
      { number: 2, name: 'Kreis Lippe', kind: 'district', status: 'active', accessionDate: '2013-05-13' },
      { number: 3, name: 'Stadt Köln', kind: 'municipality', status: 'left', accessionDate: '2014-01-01' },
      { number: 4, name: 'Muster GmbH', kind: 'company', status: 'prospect', accessionDate: null },
    ])
    .returning({ id: organisations.id, number: organisations.number });
  // A draft cycle with a later due date agreed for Kreis Lippe: the dry run shows that date for it.
  await upsertCycle(database.db, { year: 2031, periodStart: '2031-01-01', periodEnd: '2031-12-31', dueDate: '2031-03-31', policy: defaultReportingPolicy, open: false });
  const [cycle] = await database.db.select().from(reportingCycles).where(eq(reportingCycles.year, 2031));
  const lippe = rows.find((row) => row.number === 2);
  if (!cycle || !lippe) throw new Error('setup failed');
  await setOverride(database.db, { cycleId: cycle.id, organisationId: lippe.id, dueDate: '2031-05-15', reason: 'Umstrukturierung' });
}, 60_000);

afterAll(async () => {
  await database?.drop();
});

describe('partnerflow cycle open --dry-run', () => {
  it('prints the planned sends of every active partner, in local time, and stores nothing', async () => {
    const result = await partnerflow('cycle', 'open', '--year', '2031', '--due-date', '2031-03-31', '--dry-run');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Dry run: cycle 2031, due 2031-03-31 \(Europe\/Berlin\), \d+ steps; 2 active partner\(s\)\. Nothing is stored or started\.$/m);
    // Only active partners: one who left and a prospect get no report.
    expect([...result.stdout.matchAll(/^Partner (\d+), /gm)].map(([, n]) => n)).toEqual(['1', '2']);

    // Due Mon 31.03.2031: six weeks, two weeks and three days before at 09:00; overdue one working day after.
    const arnsberg = blockOf(result.stdout, 1);
    expect(arnsberg[0]).toBe('Partner 1, Bezirksregierung Arnsberg: due 2031-03-31');
    expect(arnsberg.slice(3, 7).map((line) => line.split(/\s{2,}/).slice(0, 2).join(' | '))).toEqual([
      '2031-02-17 09:00 (Mon) | invitation',
      '2031-03-17 09:00 (Mon) | reminder-2w',
      '2031-03-28 09:00 (Fri) | reminder-3d',
      '2031-04-01 09:00 (Tue) | overdue',
    ]);
    // Escalation 1 falls on Easter Monday (14.04.) and moves to Tuesday 08:00.
    expect(arnsberg.join('\n')).toMatch(/^2031-04-15 08:00 \(Tue\)\s+escalation-1-partner\s+0\s+report-escalation-partner\s+partner_leadership\s+2031-04-14 09:00 \(Mon\)$/m);

    // Kreis Lippe's agreed date, Thu 15.05.2031: the invitation six weeks before, on Thu 03.04.
    const lippe = blockOf(result.stdout, 2);
    expect(lippe[0]).toBe('Partner 2, Kreis Lippe: due 2031-05-15');
    expect(lippe[3]).toMatch(/^2031-04-03 09:00 \(Thu\)\s+invitation\s/);

    const [cycle] = await database.db.select().from(reportingCycles).where(eq(reportingCycles.year, 2031));
    expect(cycle).toMatchObject({ status: 'draft', dueDate: '2031-03-31', openedAt: null });
  }, 60_000);

  it('prints the same plan as JSON', async () => {
    const result = await partnerflow('cycle', 'open', '--year', '2031', '--due-date', '2031-03-31', '--dry-run', '--json');
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { timezone: string; partners: { partner: number; dueDate: string; sends: { sendAt: string; step: string }[] }[] };
    expect(plan.timezone).toBe('Europe/Berlin');
    expect(plan.partners.map((p) => [p.partner, p.dueDate, p.sends[0]?.step, p.sends[0]?.sendAt])).toEqual([
      [1, '2031-03-31', 'invitation', '2031-02-17 09:00 (Mon)'],
      [2, '2031-05-15', 'invitation', '2031-04-03 09:00 (Thu)'],
    ]);
  }, 60_000);

  it('plans with the cycle due date where no cycle is stored yet', async () => {
    const result = await partnerflow('cycle', 'open', '--year', '2032', '--due-date', '2032-03-31', '--dry-run');
    expect(result.code).toBe(0);
    expect(blockOf(result.stdout, 2)[0]).toBe('Partner 2, Kreis Lippe: due 2032-03-31');
    expect(await database.db.select().from(reportingCycles).where(eq(reportingCycles.year, 2032))).toEqual([]);
  }, 60_000);

  it.each([
    ['no-steps.json', /deadline\.steps: a policy needs at least one step/],
    ['reminder-after-due-date.json', /deadline\.steps\[2\] \(reminder-late\): .*before the due date/],
  ])('refuses the policy %s, naming the step, and stores nothing', async (file, reason) => {
    for (const dryRun of [['--dry-run'], []]) {
      const result = await partnerflow('cycle', 'open', '--year', '2033', '--due-date', '2033-03-31', '--policy', `test/fixtures/policies/${file}`, ...dryRun);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`test/fixtures/policies/${file} is not a valid policy:\n`);
      expect(result.stderr).toMatch(reason);
    }
    expect(await database.db.select().from(reportingCycles).where(eq(reportingCycles.year, 2033))).toEqual([]);
  }, 120_000);
});
