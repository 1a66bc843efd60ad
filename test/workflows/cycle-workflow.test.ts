/**
 * The year's cycle workflow (`cycle/<year>`) on the time-skipping server, PostgreSQL and a real
 * SMTP catcher: it opens the cycle in batches (a batch crashing half-way and a worker replaced
 * mid-opening start nothing twice), admits partners who join during the cycle by its join rule
 * (both sides of the cut-off), and compiles on its configured date, emailing staff.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { eq, like } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FaultInjector } from '../../activities';
import { listCompiledReports } from '../../src/db/queries/compilation';
import { listOverrides } from '../../src/db/queries/reporting';
import { auditLog, contacts, emailLedger, organisations, reportingCycles } from '../../src/db/schema';
import { compileMoment } from '../../src/domain/cycle-settings';
import { defaultMilestonePolicy } from '../../src/domain/default-policy';
import { startLifecycle } from '../../src/temporal/accession-client';
import { cycleProgress, cycleWorkflowHandle, openCycleWorkflow, requestCompile, waitForOpening } from '../../src/temporal/cycle-client';
import type { CycleProgressView } from '../../workflows/contracts/cycle';
import { documentsTaskQueue } from '../../workflows/contracts/task-queues';
import { caseworker, createReportingWorld, headOfUnit, partner, type ReportingWorld } from '../support/reporting-world';
import { keepHistory, sleepUntil } from '../support/workflow-story';

let world: ReportingWorld;
let dataDir: string;

/** Addresses the mail server answers "450 mailbox busy", for the story that needs one. */
const busy = new Set<string>();

beforeEach(async () => {
  busy.clear();
  world = await createReportingWorld({ rejectRecipients: (address) => (busy.has(address) ? { code: 450, message: '4.2.1 Mailbox busy' } : undefined) });
  dataDir = mkdtempSync(join(tmpdir(), 'partnerflow-cycle-wf-'));
});

afterEach(async () => {
  await world.teardown();
  rmSync(dataDir, { recursive: true, force: true });
});

async function addPartner(number: number, accessionDate: string, status: 'active' | 'prospect' = 'active'): Promise<void> {
  const [organisation] = await world.database.db
    .insert(organisations)
    .values({ number, name: `Stadt ${number}`, kind: 'municipality', status, accessionDate })
    .returning();
  if (!organisation) throw new Error('seeding failed');
  await world.database.db
    .insert(contacts)
    .values({ organisationId: organisation.id, role: 'main_contact', name: `Kontakt ${number}`, email: `ikoe@stadt-${number}.example`, language: 'de' });
}

/** Polls the cycle's progress until `done` holds (queries do not move the test server's clock). */
async function progressUntil(year: number, done: (view: CycleProgressView) => boolean, seconds = 30): Promise<CycleProgressView> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const view = await cycleProgress(world.env.client, year).catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    });
    if (view && done(view)) return view;
    if (Date.now() > until) throw new Error(`cycle ${year} did not get there: ${JSON.stringify(view)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function openingBatches(year: number): Promise<number> {
  const history = await world.env.client.workflow.getHandle(`cycle/${year}`).fetchHistory();
  return (history.events ?? []).filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'openCycleBatch').length;
}

/** The activities the cycle's history scheduled (except opening batches and the schedule's), in order, with the queue of each. */
async function activitiesScheduled(year: number): Promise<string[]> {
  const history = await world.env.client.workflow.getHandle(`cycle/${year}`).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const scheduled = event.activityTaskScheduledEventAttributes;
    const name = scheduled?.activityType?.name ?? '';
    if (!['compileAnnualReport', 'typesetArchiveFormats', 'emailCompiledReport'].includes(name)) return [];
    return [scheduled?.taskQueue?.name === world.taskQueue ? name : `${name} on ${scheduled?.taskQueue?.name ?? '?'}`];
  });
}

describe('opening the cycle', () => {
  it('starts every active partner’s report in batches; a batch crashing half-way and a replaced worker start nothing twice', async () => {
    // The seeded partner and eleven more: 12 partners, batches of 5, slices of 2 (CYCLE_START_CONCURRENCY).
    for (let number = 10; number < 21; number += 1) await addPartner(number, '2014-01-01');
    await world.openCycle(2027, '2027-03-31');
    // The first batch's second slice crashes once after its heartbeat: its retry must resume after it.
    let crashed = 0;
    const crashOnce: FaultInjector = {
      at(point, key) {
        if (point === 'cycle.afterOpeningSlice' && key === '2027/10' && crashed === 0) {
          crashed += 1;
          throw new Error('injected crash in the middle of a batch');
        }
      },
    };

    const client = world.env.client;
    const { handle, requestId } = await world.withWorker(async () => {
      const opened = await client.workflow.start('cycleWorkflow', { workflowId: 'cycle/2027', taskQueue: world.taskQueue, args: [{ year: 2027, batchSize: 5 }] });
      await opened.signal('openCycle', { requestId: 'first-opening' });
      // This worker stops once the first batch is through; the next one carries on.
      await progressUntil(2027, (view) => (view.sweep?.opened ?? 0) >= 5);
      return { handle: opened, requestId: 'first-opening' };
    }, { faults: crashOnce, config: { cycleStartConcurrency: 2 } });
    expect(crashed).toBe(1);

    const sweep = await world.withWorker(async () => {
      // A batch the stopped worker had in hand is retried once its heartbeat timeout passes (skipped here).
      await world.env.sleep(30_000);
      return waitForOpening(client.workflow.getHandle(handle.workflowId), requestId, undefined, 100);
    });
    expect(sweep).toMatchObject({ opened: 12, total: 12, done: true, starts: { announced: 0, startedDirectly: 12, alreadyStarted: 0, deferred: 0 } });
    expect(await openingBatches(2027)).toBeGreaterThanOrEqual(3);
    expect(await openingBatches(2027)).toBeLessThanOrEqual(4);

    // Opening again reuses the running workflow: one more sweep, which finds every report started.
    await world.withWorker(async () => {
      const again = await openCycleWorkflow(client, world.taskQueue, 2027);
      expect(again.handle.workflowId).toBe('cycle/2027');
      const second = await waitForOpening(again.handle, again.requestId, undefined, 100);
      expect(second.starts).toEqual({ announced: 0, startedDirectly: 0, alreadyStarted: 12, deferred: 0 });
    });
    const described = await client.workflow.getHandle('cycle/2027').describe();
    expect(described.runId).toBe((await handle.describe()).runId);
    for (const number of [partner.number, 10, 15, 20]) {
      expect((await client.workflow.getHandle(`annual-report/${number}/2027`).describe()).status.name).toBe('RUNNING');
    }
  }, 60_000);
});

describe('partners who join during the cycle', () => {
  it('gives a partner that joined before the cut-off this year’s report with at least eight weeks; a later one reports from next year', async () => {
    // Due 31 March 2027: the cut-off is six weeks before (17 February), the minimum eight weeks.
    await world.openCycle(2027, '2027-03-31');
    const client = world.env.client;
    await world.withWorker(async () => {
      const { handle, requestId } = await openCycleWorkflow(client, world.taskQueue, 2027);
      await waitForOpening(handle, requestId, undefined, 100);

      // Both accessions complete now, while the cycle runs: their lifecycles tell the cycle.
      await addPartner(5, '2027-02-10');
      await addPartner(6, '2027-02-18');
      for (const number of [5, 6]) {
        const accessionDate = number === 5 ? '2027-02-10' : '2027-02-18';
        await startLifecycle(client, world.taskQueue, { partnerNumber: number, accessionDate, milestonePolicy: defaultMilestonePolicy, origin: 'accession', milestones: [] });
      }
      const view = await progressUntil(2027, (v) => v.joins.length === 2);
      const byPartner = new Map(view.joins.map((join) => [join.partnerNumber, join]));
      expect(byPartner.get(5)).toEqual({ partnerNumber: 5, accessionDate: '2027-02-10', decision: 'reports', cutoff: '2027-02-17', dueDate: '2027-04-07' });
      expect(byPartner.get(6)).toEqual({ partnerNumber: 6, accessionDate: '2027-02-18', decision: 'next-year', cutoff: '2027-02-17', fromYear: 2028 });

      // Partner 5's report runs under its lifecycle, due eight weeks after joining; partner 6 has none.
      const report = await client.workflow.getHandle('annual-report/5/2027').describe();
      expect(report.parentExecution?.workflowId).toBe('lifecycle/5');
      expect((await listOverrides(world.database.db, 2027)).get(5)).toBe('2027-04-07');
      await expect(client.workflow.getHandle('annual-report/6/2027').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    });
  }, 60_000);

  it('applies the same rule when the cycle opens after the partner joined', async () => {
    await addPartner(7, '2027-01-20');
    await addPartner(8, '2027-03-01');
    await world.openCycle(2027, '2027-03-31');
    const client = world.env.client;
    await world.withWorker(async () => {
      const { handle, requestId } = await openCycleWorkflow(client, world.taskQueue, 2027);
      const sweep = await waitForOpening(handle, requestId, undefined, 100);
      // Partner 2 (joined 2012) and 7 report; 8 joined after the cut-off.
      expect(sweep.starts).toEqual({ announced: 0, startedDirectly: 2, alreadyStarted: 0, deferred: 1 });
      // Joined 20 January: 31 March leaves more than eight weeks, so no override.
      expect((await listOverrides(world.database.db, 2027)).has(7)).toBe(false);
    });
  }, 60_000);
});

describe('compiling on the configured date', () => {
  it('sleeps until the compile date, stores a new version and emails staff', async () => {
    await world.openCycle(2027, '2027-03-31');
    await world.database.db.update(reportingCycles).set({ settings: { compileOn: '2027-05-03' } }).where(eq(reportingCycles.year, 2027));
    const client = world.env.client;
    // Compiled versions go to this test's own folder.
    await world.withWorker(async () => {
      const handle = await cycleWorkflowHandle(client, world.taskQueue, 2027);
      expect((await progressUntil(2027, (v) => v.compileOn !== undefined)).compilations).toEqual([]);
      expect(await listCompiledReports(world.database.db, 2027)).toEqual([]);

      await sleepUntil(world, new Date(compileMoment('2027-05-03', world.config.timezone).getTime() + 60_000).toISOString());
      const view = await progressUntil(2027, (v) => v.compilations.some((c) => c.status === 'compiled' || c.status === 'failed'), 50);
      expect(view.compilations).toEqual([{ requestId: 'cycle/2027/compile-on/2027-05-03', trigger: 'scheduled', status: 'compiled', version: 1, archive: 'ready', emailed: 2 }]);
      const [stored] = await listCompiledReports(world.database.db, 2027);
      expect(stored).toMatchObject({ version: 1, requestId: 'cycle/2027/compile-on/2027-05-03', partners: 1, chapters: 0 });
      expect(stored?.formats).toMatchObject({ html: { state: 'ready' }, pdf: { state: 'ready' }, docx: { state: 'ready' } });
      for (const person of [caseworker, headOfUnit]) expect(world.sentTo(person.email)).toEqual([expect.stringContaining('2027')]);
      // The text formats are stored first, the PDF and DOCX typeset after (by the documents worker), and only then is staff emailed, with them attached.
      expect(await activitiesScheduled(2027)).toEqual(['compileAnnualReport', `typesetArchiveFormats on ${documentsTaskQueue(world.taskQueue)}`, 'emailCompiledReport']);
      for (const message of world.mail.messages) {
        expect(message.attachments.map((a) => a.filename).sort()).toEqual(['jahresbericht-2027.docx', 'jahresbericht-2027.pdf']);
      }
      expect(handle.workflowId).toBe('cycle/2027');

      // Staff ask again (the web's and the API's compile): answered at once, compiled after, a new version.
      const queued = await requestCompile(client, world.taskQueue, 2027, { requestId: 'again', asOf: '2027-05-04' });
      expect(queued).toEqual({ requestId: 'again', trigger: 'request', status: 'queued' });
      // Usable once its text formats are stored ('compiled'); done once its PDF and DOCX are typeset too.
      const usable = await progressUntil(2027, (v) => v.compilations.some((c) => c.requestId === 'again' && (c.status === 'compiled' || c.status === 'failed')), 50);
      expect(usable.compilations.at(-1)).toMatchObject({ status: 'compiled', version: 2, archive: expect.stringMatching(/^(typesetting|ready)$/) });
      const again = await progressUntil(2027, (v) => v.compilations.some((c) => c.requestId === 'again' && c.archive !== 'typesetting'), 50);
      expect(again.compilations.at(-1)).toEqual({ requestId: 'again', trigger: 'request', status: 'compiled', version: 2, archive: 'ready' });
      await keepHistory('cycle-compiled-archive-follows', handle);
    }, { config: { dataDir } });
  }, 60_000);

  it('marks the staff email failed in the ledger and the audit log once it gives up, and says so in the compilation', async () => {
    busy.add(headOfUnit.email);
    await world.openCycle(2027, '2027-03-31');
    const client = world.env.client;
    await world.withWorker(async () => {
      await requestCompile(client, world.taskQueue, 2027, { requestId: 'mailed', email: true });
      await progressUntil(2027, (v) => v.compilations.some((c) => c.archive === 'ready'), 50);
      // The email's five attempts, 10 s to 80 s apart, all refused for the head of unit.
      await world.env.sleep('10 minutes');
      const view = await progressUntil(2027, (v) => v.compilations.some((c) => c.errors !== undefined), 50);
      expect(view.compilations).toEqual([
        { requestId: 'mailed', trigger: 'request', status: 'compiled', version: 1, archive: 'ready', errors: ['SMTP failed temporarily for 1 recipient(s):', expect.stringContaining('450 4.2.1 Mailbox busy')] },
      ]);
    }, { config: { dataDir } });
    const mails = await world.database.db.select().from(emailLedger).where(like(emailLedger.idempotencyKey, 'compiled-report/2027/v1/%'));
    expect(mails.map((mail) => [mail.recipientEmail, mail.status, mail.lastError?.split(':')[0]]).sort()).toEqual(
      [
        [caseworker.email, 'sent', undefined],
        [headOfUnit.email, 'failed', 'gave up'],
      ].sort(),
    );
    expect(world.sentTo(caseworker.email)).toHaveLength(1);
    const [gaveUp, ...more] = await world.database.db.select().from(auditLog).where(eq(auditLog.action, 'notice-gave-up'));
    expect(more).toEqual([]);
    expect(gaveUp).toMatchObject({ entityType: 'notice', entityId: 'compiled-report/2027/v1', details: { workflowId: 'cycle/2027', template: 'compiled-report-ready' } });
  }, 120_000);
});
