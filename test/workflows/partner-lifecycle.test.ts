/**
 * A partner's life after accession, told on real parts: the time-skipping Temporal test server,
 * PostgreSQL and SMTP. The test server's clock starts at today's date (late 2026), so every story
 * here passes the turn of the year 2026/27, where the lifecycle continues as new.
 */
import { readFile } from 'node:fs/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { auditLog, organisations } from '../../src/db/schema';
import { importPartnerFile } from '../../src/db/queries/partners';
import type { TrackedMilestone } from '../../src/domain/accession';
import { defaultMilestonePolicy } from '../../src/domain/default-policy';
import { announceCycle, startImportedPartnerLifecycles, startLifecycle } from '../../src/temporal/accession-client';
import { reportStatusQuery } from '../../workflows/contracts/annual-report';
import {
  answerMilestoneUpdate,
  changeContactUpdate,
  cycleOpenedSignal,
  lifecycleStatusQuery,
  lifecycleTimelineQuery,
  withdrawPartnerUpdate,
  type LifecycleStatusView,
  type PartnerLifecycleWorkflow,
} from '../../workflows/contracts/lifecycle';
import { auditActionsOf } from '../support/audit';
import { caseworker, partner, type ReportingWorld } from '../support/reporting-world';
import { concurrentStories } from '../support/story-worlds';
import { keepHistory, sentSteps, sleepUntil } from '../support/workflow-story';

const it = concurrentStories({ concurrency: 2 });

const milestones: TrackedMilestone[] = [
  {
    id: 'KL-1/1',
    measureTitle: 'Interkulturelle Trainings für Führungskräfte',
    text: 'Alle Führungskräfte geschult',
    dueText: 'bis März 2027',
    dueDate: '2027-03-31',
    status: 'open',
  },
  {
    id: 'KL-2/1',
    measureTitle: 'Mehrsprachige Bürgerinformation',
    text: 'Website in fünf Sprachen',
    dueText: 'bis April 2027',
    dueDate: '2027-04-30',
    status: 'open',
  },
];

const begin = (world: ReportingWorld, input: { milestones?: TrackedMilestone[] } = {}) =>
  startLifecycle(world.env.client, world.taskQueue, {
    partnerNumber: partner.number,
    accessionDate: '2012-08-15',
    milestonePolicy: defaultMilestonePolicy,
    origin: 'import',
    milestones: input.milestones ?? [],
  });

async function statusWhen(handle: WorkflowHandle<PartnerLifecycleWorkflow>, holds: (status: LifecycleStatusView) => boolean) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const status = await handle.query(lifecycleStatusQuery);
    if (holds(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${handle.workflowId}: condition never held; last ${JSON.stringify(await handle.query(lifecycleStatusQuery))}`);
}

const partnerAudit = (world: ReportingWorld, number = partner.number) => auditActionsOf(world.database.db, 'partner', String(number));

describe.concurrent('a partner’s lifecycle', () => {
  describe('the year of a partner', () => {
    it('starts its annual report as a child when the cycle opens, and continues as new at the turn of the year with its state', async ({ world, expect }) => {
      await world.openCycle(2027, '2027-03-31');
      await world.withWorker(async () => {
        const handle = await begin(world, { milestones });
        const firstRun = (await handle.describe()).runId;
        await statusWhen(handle, (s) => s.partnerName !== '');
        await sleepUntil(world, '2026-12-15T10:00:00Z');
        // The cycle opener announces the year to every partner; one without a lifecycle is named back.
        expect(await announceCycle(world.env.client, [partner.number, 99], { year: 2027, by: 'Jana Becker' })).toEqual({
          announced: [partner.number],
          withoutLifecycle: [99],
        });
        const started = await statusWhen(handle, (s) => s.openReports.length > 0);
        expect(started).toMatchObject({ reportedYears: [2027], openReports: ['annual-report/2/2027'], generation: 1, year: 2026 });
        // A second signal for the same year starts nothing more.
        await handle.signal(cycleOpenedSignal, { year: 2027 });

        const report = world.env.client.workflow.getHandle('annual-report/2/2027');
        const described = await report.describe();
        expect(described.status.name).toBe('RUNNING');
        expect(described.parentExecution?.workflowId).toBe('lifecycle/2');
        expect((await report.query(reportStatusQuery)).phase).toBe('awaiting_submission');

        await handle.executeUpdate(changeContactUpdate, {
          args: [{ role: 'main_contact', name: 'Miriam Kaya', email: 'm.kaya@kreis-lippe.example', by: 'Jana Becker' }],
        });

        // 01.01.2027 00:00 in Berlin is 31.12.2026 23:00 UTC.
        await sleepUntil(world, '2027-01-01T00:30:00Z');
        const next = await statusWhen(handle, (s) => s.generation === 2);
        expect(next).toMatchObject({
          year: 2027,
          reportedYears: [2027],
          openReports: ['annual-report/2/2027'],
          accessionDate: '2012-08-15',
          contactChanges: [expect.objectContaining({ role: 'main_contact', name: 'Miriam Kaya', by: 'Jana Becker' })],
        });
        expect(next.milestones.map((m) => [m.id, m.status, m.nextStep?.sendAt])).toEqual([
          ['KL-1/1', 'open', '2027-03-03T08:00:00.000Z'],
          ['KL-2/1', 'open', '2027-04-02T07:00:00.000Z'],
        ]);
        const first = world.env.client.workflow.getHandle(handle.workflowId, firstRun);
        expect((await first.describe()).status.name).toBe('CONTINUED_AS_NEW');
        // The report of 2027 is untouched by its parent's new run.
        expect((await report.describe()).status.name).toBe('RUNNING');
        await keepHistory('lifecycle-first-report-and-year-turn', first);
      });
      expect(world.mail.messages).toHaveLength(0);
      expect(await partnerAudit(world)).toEqual(['lifecycle-started', 'annual-report-started', 'contact-changed']);
    });

    it('asks about each milestone four weeks ahead, escalates the unanswered one, and asks again before a delayed one\'s new date', async ({ world, expect }) => {
      await world.withWorker(async () => {
        const handle = await begin(world, { milestones });
        await statusWhen(handle, (s) => s.partnerName !== '');
        await sleepUntil(world, '2027-04-10T10:00:00Z');
        await world.mail.waitForCount(2);
        const delayed = await handle.executeUpdate(answerMilestoneUpdate, {
          args: [{ milestoneId: 'KL-2/1', outcome: 'delayed', newDate: '2027-09-30', newDueText: 'bis September 2027' }],
        });
        expect(delayed.milestones[1]).toMatchObject({
          status: 'delayed',
          revisedDueDate: '2027-09-30',
          dueText: 'bis September 2027',
          nextStep: { template: 'milestone-request', sendAt: '2027-09-02T07:00:00.000Z' },
        });
        // An answer about a milestone that was never declared is refused, field named.
        await expect(handle.executeUpdate(answerMilestoneUpdate, { args: [{ milestoneId: 'KL-9/1', outcome: 'reached' }] })).rejects.toThrow();

        await sleepUntil(world, '2027-09-03T10:00:00Z');
        await world.mail.waitForCount(4);
        const reached = await handle.executeUpdate(answerMilestoneUpdate, { args: [{ milestoneId: 'KL-2/1', outcome: 'reached', date: '2027-09-01' }] });
        expect(reached.milestones[1]).toMatchObject({ status: 'reached', reachedOn: '2027-09-01' });
        expect(reached.milestones[1]?.nextStep).toBeUndefined();

        const timeline = await handle.query(lifecycleTimelineQuery);
        expect(sentSteps(timeline)).toEqual([
          { template: 'milestone-request', plannedFor: '2027-03-03T08:00:00.000Z', recipients: ['partner_main_contact'] },
          { template: 'milestone-request', plannedFor: '2027-04-02T07:00:00.000Z', recipients: ['partner_main_contact'] },
          { template: 'milestone-overdue-ministry', plannedFor: '2027-04-14T07:00:00.000Z', recipients: ['ministry_caseworker'] },
          { template: 'milestone-request', plannedFor: '2027-09-02T07:00:00.000Z', recipients: ['partner_main_contact'] },
        ]);
        await keepHistory('lifecycle-milestones', handle);
      });
      expect(world.sentTo(partner.mainContact.email)).toEqual([
        'Meilenstein „Alle Führungskräfte geschult“: erreicht? – Rückmeldung bis 31.03.2027',
        'Meilenstein „Website in fünf Sprachen“: erreicht? – Rückmeldung bis 30.04.2027',
        'Meilenstein „Website in fünf Sprachen“: erreicht? – Rückmeldung bis 30.09.2027',
      ]);
      expect(world.sentTo(caseworker.email)).toEqual(['Meilenstein ohne Rückmeldung – Kreis Lippe']);
      const request = world.mail.messages[0];
      expect(request?.text).toMatch(/\/link\/[A-Za-z0-9_-]{43}\n/); // a personal link to confirm the milestone
      expect(await partnerAudit(world)).toEqual(['lifecycle-started', 'milestone-delayed', 'milestone-escalated', 'milestone-reached']);
    });

    it('on withdrawal closes the open report cleanly (one started before the lifecycle heard of the cycle), tells the caseworker and ends', async ({ world, expect }) => {
      await world.openCycle(2027, '2027-03-31');
      await world.withWorker(async () => {
        const handle = await begin(world);
        await statusWhen(handle, (s) => s.partnerName !== '');
        await sleepUntil(world, '2027-01-20T10:00:00Z');
        // Started directly (as `report open` does today); the lifecycle takes it as open all the same.
        await world.startReport({ year: 2027 });
        await handle.signal(cycleOpenedSignal, { year: 2027 });
        await statusWhen(handle, (s) => s.openReports.length === 1);
        const report = world.env.client.workflow.getHandle('annual-report/2/2027');
        const withdrawn = await handle.executeUpdate(withdrawPartnerUpdate, {
          args: [{ by: 'Jana Becker', reason: 'Auflösung der Stabsstelle Integration', date: '2027-01-31' }],
        });
        expect(withdrawn).toMatchObject({ phase: 'withdrawn', openReports: [], withdrawal: { reason: 'Auflösung der Stabsstelle Integration', date: '2027-01-31' } });
        expect((await report.result()).phase).toBe('closed');
        expect((await handle.result()).phase).toBe('withdrawn');
        await keepHistory('lifecycle-withdrawal', handle);
        await world.mail.waitForCount(1);
      });
      expect(world.sentTo(caseworker.email)).toEqual(['Austritt aus dem Partnernetzwerk – Kreis Lippe']);
      expect(world.mail.messages[0]?.text).toContain('Geschlossene Berichte: 2027');
      const [organisation] = await world.database.db.select().from(organisations).where(eq(organisations.number, partner.number));
      expect(organisation?.status).toBe('left');
      expect(await partnerAudit(world)).toEqual(['lifecycle-started', 'withdrawn']);
    });
  });

  describe('partners who joined before Partnerflow', () => {
    it('each get a lifecycle waiting for the next cycle: no accession, no welcome, nothing back-dated', async ({ world, expect }) => {
      const file = new URL('../../src/dev/demo-partners.json', import.meta.url);
      await importPartnerFile(world.database.db, 'demo-partners.json', await readFile(file, 'utf8'));
      await world.withWorker(async () => {
        const first = await startImportedPartnerLifecycles(world.env.client, world.database.db, world.taskQueue);
        expect(first.started).toHaveLength(28);
        const again = await startImportedPartnerLifecycles(world.env.client, world.database.db, world.taskQueue);
        expect(again).toEqual({ started: [], alreadyRunning: first.started });
        const lippe = world.env.client.workflow.getHandle<PartnerLifecycleWorkflow>('lifecycle/2');
        expect(await statusWhen(lippe, (s) => s.partnerName !== '')).toMatchObject({ origin: 'import', accessionDate: '2012-08-15', milestones: [] });
        await world.env.sleep('7 days');
        // (The time-skipping server has no visibility API: each lifecycle is described by its id.)
        const statuses = await Promise.all(first.started.map(async (number) => (await world.env.client.workflow.getHandle(`lifecycle/${number}`).describe()).status.name));
        expect(statuses.filter((status) => status === 'RUNNING')).toHaveLength(28);
      });
      expect(world.mail.messages).toHaveLength(0);
      const started = await world.database.db.select().from(auditLog).where(eq(auditLog.action, 'lifecycle-started'));
      expect(started).toHaveLength(28);
    });
  });
});
