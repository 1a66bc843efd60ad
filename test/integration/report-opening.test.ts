/**
 * A report's first step (openReport) and its changes of state find the partner and the cycle of
 * the year in one select: the partner's own due date wins, and what is missing or broken is a
 * permanent failure that names it.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReportingActivities } from '../../activities/reporting';
import { loadConfig } from '../../src/config';
import { annualReports, auditLog, organisations, reportingCycles } from '../../src/db/schema';
import { setOverride, upsertCycle } from '../../src/db/queries/reporting';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import { noFaults } from '../../src/faults';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestMail, type TestMail } from '../support/mail';

let database: TestDatabase;
let mail: TestMail;
let activities: ReturnType<typeof createReportingActivities>;

const opening = (partnerNumber: number, year: number) => ({
  partnerNumber,
  year,
  workflowId: `annual-report/${partnerNumber}/${year}`,
  occurredAt: '2031-01-02T08:00:00.000Z',
  eventKey: `annual-report/${partnerNumber}/${year}/run/open/started`,
});

beforeAll(async () => {
  database = await createTestDatabase();
  mail = await startTestMail();
  const config = loadConfig({ SMTP_URL: mail.smtp.url });
  const { db } = database;
  const [lippe] = await db
    .insert(organisations)
    .values([
      { number: 7, name: 'Kreis Lippe', kind: 'district' },
      { number: 8, name: 'Stadt Bielefeld', kind: 'municipality' },
    ])
    .returning();
  for (const year of [2030, 2031]) {
    await upsertCycle(db, { year, periodStart: `${year}-01-01`, periodEnd: `${year}-12-31`, dueDate: `${year + 1}-03-31`, policy: defaultReportingPolicy, open: true });
  }
  const [cycle2030] = await db.select({ id: reportingCycles.id }).from(reportingCycles).where(eq(reportingCycles.year, 2030));
  await setOverride(db, { cycleId: cycle2030!.id, organisationId: lippe!.id, dueDate: '2031-04-30', reason: 'Kreistag tagt spät' });
  activities = createReportingActivities({ db, mailer: mail.mailer, config, faults: noFaults });
});

afterAll(async () => {
  await mail?.stop();
  await database?.drop();
});

describe('opening a report', () => {
  it("records the first state with the partner's own due date, and the cycle's for everyone else", async () => {
    const lippe = await activities.openReport(opening(7, 2030));
    const bielefeld = await activities.openReport(opening(8, 2030));
    expect(lippe).toMatchObject({ partnerName: 'Kreis Lippe', dueAt: '2031-04-30T21:59:59.999Z', policy: defaultReportingPolicy });
    expect(bielefeld).toMatchObject({ partnerName: 'Stadt Bielefeld', dueAt: '2031-03-31T21:59:59.999Z' });
    const rows = await database.db
      .select({ number: organisations.number, phase: annualReports.phase, dueAt: annualReports.dueAt })
      .from(annualReports)
      .innerJoin(organisations, eq(organisations.id, annualReports.organisationId))
      .orderBy(organisations.number);
    expect(rows).toEqual([
      { number: 7, phase: 'awaiting_submission', dueAt: new Date('2031-04-30T21:59:59.999Z') },
      { number: 8, phase: 'awaiting_submission', dueAt: new Date('2031-03-31T21:59:59.999Z') },
    ]);
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.entityId, 'annual-report/7/2030'));
    expect(audits.map((entry) => entry.action)).toEqual(['started']);
  });

  it('refuses, without retry, a partner that does not exist and a year without a cycle', async () => {
    await expect(activities.openReport(opening(99, 2030))).rejects.toMatchObject({ type: 'PartnerNotFound', nonRetryable: true, message: 'partnerNumber: no partner with number 99' });
    await expect(activities.openReport(opening(7, 2035))).rejects.toMatchObject({ type: 'CycleNotFound', nonRetryable: true, message: 'year: no reporting cycle for 2035' });
  });

  it('refuses, without retry, a cycle whose stored policy no longer parses, and reads a policy changed meanwhile', async () => {
    const opened = await activities.openReport(opening(8, 2031));
    expect(opened.policy.deadline.timezone).toBe(defaultReportingPolicy.deadline.timezone);
    await database.db.update(reportingCycles).set({ policy: sql`jsonb_set(policy, '{deadline,timezone}', '"Mars/Olympus"')` }).where(eq(reportingCycles.year, 2031));
    await expect(activities.openReport(opening(8, 2031))).rejects.toMatchObject({ type: 'StoredPolicyInvalid', nonRetryable: true });
    const changed = { ...defaultReportingPolicy, deadline: { ...defaultReportingPolicy.deadline, timezone: 'Europe/Amsterdam' } };
    await database.db.update(reportingCycles).set({ policy: changed }).where(eq(reportingCycles.year, 2031));
    expect((await activities.openReport(opening(8, 2031))).policy.deadline.timezone).toBe('Europe/Amsterdam');
  });
});
