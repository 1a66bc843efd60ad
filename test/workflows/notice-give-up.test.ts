/**
 * A notice that cannot be sent at all, in each workflow that sends notices: the partner's mail
 * server answers "450 mailbox busy" for a whole day, so the send's retries run out. The workflow
 * carries on, and staff see the give-up where they see every email: the ledger row is failed with
 * the reason, the audit log has an entry, the workflow's timeline says so. Told on real parts: the
 * time-skipping Temporal test server, PostgreSQL and SMTP.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/db/schema';
import { defaultMilestonePolicy } from '../../src/domain/default-policy';
import { startAccession, startLifecycle } from '../../src/temporal/accession-client';
import { accessionTimelineQuery } from '../../workflows/contracts/accession';
import { reportTimelineQuery } from '../../workflows/contracts/annual-report';
import { lifecycleTimelineQuery } from '../../workflows/contracts/lifecycle';
import { accessionStart } from '../support/accession-start';
import { ledgerRowsFor, partner, type ReportingWorld } from '../support/reporting-world';
import { createStoryWorld } from '../support/story-worlds';
import { sleepUntil } from '../support/workflow-story';

// An organisation starting its accession, whose main contact's server is as busy as the partner's.
const joining = accessionStart({ number: 30, name: 'Stadt Hamm' });
const busy = new Set([partner.mainContact.email, joining.mainContact.email]);

let world: ReportingWorld;

beforeAll(async () => {
  world = await createStoryWorld({ rejectRecipients: (address) => (busy.has(address) ? { code: 450, message: '4.2.1 Mailbox busy' } : undefined) });
}, 120_000);

afterAll(async () => {
  await world?.teardown();
});

/** Whether a timeline holds the workflow's own note that a notice gave up. */
const noteOfFailure = (timeline: { kind: string; action?: string; details?: Record<string, unknown> }[]) =>
  timeline.filter((entry) => entry.kind === 'event' && entry.action === 'notice-failed').map((entry) => entry.details?.['template']);

describe('a notice whose recipient cannot be reached for a day', () => {
  it('is given up as failed in the ledger, the audit log and the timeline, in the annual report, the accession and the lifecycle alike', async () => {
    await world.openCycle(2027, '2027-03-31');
    // Tue 23.02.2027, 10:30 CET: the report starts after its invitation's moment (so it invites at
    // once), the accession invites at once, and the lifecycle asks about a milestone due four weeks
    // and a day later, on Wed 24.02. at 09:00.
    await sleepUntil(world, '2027-02-23T09:30:00Z');
    await world.withWorker(async () => {
      const report = await world.startReport({ year: 2027 });
      const lifecycle = await startLifecycle(world.env.client, world.taskQueue, {
        partnerNumber: partner.number,
        accessionDate: '2012-08-15',
        milestonePolicy: defaultMilestonePolicy,
        origin: 'import',
        milestones: [{ id: 'KL-1/1', measureTitle: 'Interkulturelle Trainings', text: 'Alle Führungskräfte geschult', dueText: 'bis 24. März 2027', dueDate: '2027-03-24', status: 'open' }],
      });
      const accession = await startAccession(world.env.client, world.database.db, world.taskQueue, joining);
      // A day of retries (at most ten minutes apart) for each, and an hour more.
      await sleepUntil(world, '2027-02-25T09:00:00Z');
      const handles = { report, lifecycle, accession };

      // The ledger: each busy address's notice failed with the reason it gave up; nothing reached them.
      for (const [address, template] of [
        [partner.mainContact.email, 'report-invitation'],
        [partner.mainContact.email, 'milestone-request'],
        [joining.mainContact.email, 'declaration-invitation'],
      ]) {
        const rows = (await ledgerRowsFor(world, address as string)).filter((row) => row.template === template);
        expect(rows.map((row) => ({ status: row.status, gaveUp: row.lastError?.startsWith('gave up: ') }))).toEqual([{ status: 'failed', gaveUp: true }]);
        expect(rows[0]?.lastError).toContain('Mailbox busy');
      }
      expect(world.mail.messages.filter((message) => message.envelope.to.some((to) => busy.has(to)))).toEqual([]);

      // The audit log: one entry per notice given up, naming its workflow.
      const gaveUp = await world.database.db.select().from(auditLog).where(eq(auditLog.action, 'notice-gave-up'));
      expect(gaveUp.map((entry) => (entry.details as { workflowId: string }).workflowId).sort()).toEqual(
        [handles.report.workflowId, handles.lifecycle.workflowId, handles.accession.workflowId].sort(),
      );

      // Each workflow's timeline says which notice failed, and each goes on (queries answer, nothing failed).
      expect(noteOfFailure(await handles.report.query(reportTimelineQuery))).toEqual(['report-invitation']);
      expect(noteOfFailure(await handles.lifecycle.query(lifecycleTimelineQuery))).toEqual(['milestone-request']);
      expect(noteOfFailure(await handles.accession.query(accessionTimelineQuery))).toEqual(['declaration-invitation']);
      for (const handle of Object.values(handles)) expect((await handle.describe()).status.name).toBe('RUNNING');
    });
  }, 300_000);
});
