/**
 * A whole reporting year of 1,000 partners on the time-skipping server, PostgreSQL and real SMTP.
 * The cycle is opened the way `partnerflow cycle open` opens it (first interrupted half-way, then
 * resumed); partners then submit on time, after a reminder, late, after the first escalation, are
 * asked for a revision and resubmit, are waived, or never submit. What must have happened (every
 * email of every partner, the phases and escalation levels `cycle status` counts) is derived from
 * the mix below and the cycle's policy, then compared with the database and the mail catcher.
 * Opening the cycle again at the end starts nothing and sends nothing.
 */
import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cyclePolicy, startCycleReports, storeCycle, type CycleOpening } from '../../src/cli/cycle-opening';
import type { Config } from '../../src/config';
import { cyclePhases, findCycleStatus } from '../../src/db/queries/cycle-status';
import { contacts, emailLedger, organisations, staff } from '../../src/db/schema';
import { sendingCalendarOf } from '../../src/domain/calendar';
import { planDeadline, type PlannedSend } from '../../src/domain/deadline-schedule';
import { dueAtEndOfDay } from '../../src/domain/due-date';
import type { NoticeTemplate, RecipientRole } from '../../src/domain/notice-families';
import type { ReportingPolicy } from '../../src/domain/policy';
import type { ReportPhase } from '../../src/domain/report-phase';
import { annualReportWorkflowId } from '../../src/temporal/workflow-ids';
import {
  acceptReportUpdate,
  requestRevisionUpdate,
  submitReportUpdate,
  waiveReportUpdate,
} from '../../workflows/contracts/annual-report';
import { caseworker, createReportingWorld, headOfUnit, ledgerRows, partner as seededPartner, type ReportingWorld } from '../support/reporting-world';
import { readReportFixture, sleepUntil } from '../support/workflow-story';

/** How each partner's year goes. */
type Story = 'on-time' | 'after-reminder' | 'late' | 'after-escalation' | 'revised' | 'revised-after-reminder' | 'waived' | 'missing';

/** How many partners live each story: 1,000 in all. */
const mix: Record<Story, number> = {
  'on-time': 520,
  'after-reminder': 150,
  late: 90,
  'after-escalation': 50,
  revised: 70,
  'revised-after-reminder': 20,
  waived: 20,
  missing: 80,
};

/** After which step of the cycle's policy the partner (or staff) acts; missing partners never do. */
const actsAfter: Record<Exclude<Story, 'missing'>, string> = {
  'on-time': 'invitation',
  'after-reminder': 'reminder-2w',
  late: 'overdue',
  'after-escalation': 'escalation-1-ministry',
  revised: 'invitation',
  'revised-after-reminder': 'invitation',
  waived: 'overdue',
};

const finalPhase: Record<Story, ReportPhase> = {
  'on-time': 'accepted',
  'after-reminder': 'accepted',
  late: 'accepted',
  'after-escalation': 'accepted',
  revised: 'accepted',
  'revised-after-reminder': 'accepted',
  waived: 'waived',
  missing: 'overdue',
};

/** The one-off notices each story causes, as their ledger keys name them (after `notice/`). */
const noticesOf: Record<Story, string[]> = {
  'on-time': ['received-v1', 'accepted-v1'],
  'after-reminder': ['received-v1', 'accepted-v1'],
  late: ['received-v1', 'accepted-v1'],
  'after-escalation': ['received-v1', 'accepted-v1'],
  revised: ['received-v1', 'revision-1', 'received-v2', 'accepted-v2'],
  'revised-after-reminder': ['received-v1', 'revision-1', 'received-v2', 'accepted-v2'],
  waived: ['waived'],
  missing: [],
};
const noticeTemplate = (key: string): NoticeTemplate =>
  key.startsWith('received-')
    ? 'report-received'
    : key.startsWith('accepted-')
      ? 'report-accepted'
      : key.startsWith('revision-')
        ? 'report-revision-requested'
        : 'report-waived';

const stories = Object.keys(mix) as Story[];
const partnerCount = stories.reduce((sum, story) => sum + mix[story], 0);
const hour = 3_600_000;
const day = 24 * hour;
// Updates from staff and partners arrive in parallel, but bounded, as from a busy portal.
const updateConcurrency = 16;

let world: ReportingWorld;
/** The world's configuration, with its task queue: the one `cycle open` would read from the environment. */
let config: Config;
let year: number;
let policy: ReportingPolicy;
let opening: CycleOpening;
let plan: PlannedSend[];
/** Partner number → story, the seeded partner among them. */
const storyOf = new Map<number, Story>();
const revisionReminders = new Map<number, string>();

beforeAll(async () => {
  world = await createReportingWorld();
  // The year after the test server's "now", so the whole schedule lies ahead whenever this runs.
  year = new Date(await world.env.currentTimeMs()).getUTCFullYear() + 1;
  config = { ...world.config, temporal: { ...world.config.temporal, taskQueue: world.taskQueue } };
  policy = await cyclePolicy(config, undefined);
  opening = { year, dueDate: `${year}-03-31`, policy };
  plan = planDeadline({ policy: policy.deadline, dueAt: dueAtEndOfDay(opening.dueDate, policy.deadline.timezone), calendar: sendingCalendarOf(policy.deadline) }).sends;

  // 999 synthetic partners next to the world's own (number 2), all with the world's caseworker.
  const [assigned] = await world.database.db.select({ id: staff.id }).from(staff).where(eq(staff.email, caseworker.email));
  const numbers = Array.from({ length: partnerCount - 1 }, (_, i) => 1_000 + i);
  const rows = await world.database.db
    .insert(organisations)
    .values(numbers.map((number) => ({ number, name: `Kommune ${number}`, kind: 'municipality' as const, status: 'active' as const, accessionDate: '2016-01-01', caseworkerId: assigned?.id })))
    .returning({ id: organisations.id, number: organisations.number });
  await world.database.db.insert(contacts).values(
    rows.flatMap((row) => [
      { organisationId: row.id, role: 'main_contact' as const, name: `Kontakt ${row.number}`, email: `ikoe@kommune-${row.number}.example`, language: 'de' as const },
      { organisationId: row.id, role: 'leadership_signatory' as const, name: `Leitung ${row.number}`, email: `leitung@kommune-${row.number}.example`, language: 'de' as const },
    ]),
  );
  // Stories spread over the partners (a stride coprime to 1,000), not in blocks by number.
  const ordered = stories.flatMap((story) => Array.from({ length: mix[story] }, () => story));
  const all = [seededPartner.number, ...numbers];
  all.forEach((number, i) => storyOf.set(number, ordered[(i * 389) % partnerCount] as Story));
}, 120_000);

afterAll(async () => {
  await world?.teardown();
});

/** When the step goes out for this cycle's due date (all partners share it). */
function sendAtOf(stepId: string): number {
  const send = plan.find((s) => s.stepId === stepId);
  if (!send) throw new Error(`the policy has no step ${stepId}`);
  return send.sendAt.getTime();
}

/** Runs `act` for every partner of the stories, at most `updateConcurrency` at a time. */
async function forPartnersOf(which: Story[], act: (number: number, story: Story) => Promise<void>): Promise<void> {
  const queue = [...storyOf].filter(([, story]) => which.includes(story));
  await Promise.all(
    Array.from({ length: updateConcurrency }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await act(next[0], next[1]);
    }),
  );
}

/** Wall time per stage, printed as it ends: where a slow CI run spends it. */
let lapStart = performance.now();
function lap(stage: string): void {
  const now = performance.now();
  console.log(`cycle of ${partnerCount} partners: ${stage} ${((now - lapStart) / 1000).toFixed(1)} s`);
  lapStart = now;
}

const handleOf = (number: number) => world.env.client.workflow.getHandle(annualReportWorkflowId(number, year));

async function submitAndAccept(number: number): Promise<void> {
  const handle = handleOf(number);
  await handle.executeUpdate(submitReportUpdate, { args: [{ report: await readReportFixture('minimal.json'), submittedBy: `Kontakt ${number}` }] });
  await handle.executeUpdate(acceptReportUpdate, { args: [{ by: caseworker.name }] });
}

/** The emails one partner's report must have caused: ledger labels (round/step#occurrence or notice/key) with their roles. */
function expectedEmails(story: Story): { label: string; template: NoticeTemplate; role: RecipientRole }[] {
  const lastStep = story === 'missing' ? Infinity : sendAtOf(actsAfter[story]);
  const steps = plan
    .filter((send) => send.sendAt.getTime() <= lastStep)
    .flatMap((send) => send.recipients.map((role) => ({ label: `initial/${send.stepId}#${send.occurrence}`, template: send.template, role })));
  const notices = noticesOf[story].map((key) => ({ label: `notice/${key}`, template: noticeTemplate(key), role: 'partner_main_contact' as const }));
  const revisionReminder = policy.revision.deadline.steps.find((step) => step.kind === 'reminder');
  const revisionSteps =
    story === 'revised-after-reminder' && revisionReminder
      ? revisionReminder.recipients.map((role) => ({ label: `revision-1/${revisionReminder.id}#0`, template: revisionReminder.template, role }))
      : [];
  return [...steps, ...revisionSteps, ...notices];
}

function expectedEscalationLevel(story: Story): number {
  const lastStep = story === 'missing' ? Infinity : sendAtOf(actsAfter[story]);
  return Math.max(0, ...plan.filter((send) => send.sendAt.getTime() <= lastStep).map((send) => send.escalationLevel));
}

/**
 * Skips to the step's moment, waits in real time until its emails are all out, then skips one hour
 * more. A wave of a thousand sends inside one skip would keep the server's sleep call open for
 * minutes, and a sleep call that outlives the client's deadline leaves time skipping unlocked.
 */
async function reachStep(stepId: string): Promise<void> {
  await sleepUntil(world, new Date(sendAtOf(stepId)).toISOString());
  const label = `%/initial/${stepId}#0/%`;
  const expected = [...storyOf.values()].flatMap(expectedEmails).filter((email) => email.label === `initial/${stepId}#0`).length;
  for (let waited = 0; waited < 600; waited += 1) {
    const [row] = await world.database.db
      .select({ sent: sql<number>`count(*)::int` })
      .from(emailLedger)
      .where(and(like(emailLedger.idempotencyKey, label), eq(emailLedger.status, 'sent')));
    if ((row?.sent ?? 0) >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  await sleepUntil(world, new Date(sendAtOf(stepId) + hour).toISOString());
}

/** One hour after each step the acting partners act; no other send of the plan may fall into that hour. */
async function actAfter(stepId: string, act: () => Promise<void>): Promise<void> {
  const at = sendAtOf(stepId) + hour;
  expect(plan.filter((send) => send.sendAt.getTime() > sendAtOf(stepId) && send.sendAt.getTime() <= at)).toEqual([]);
  await reachStep(stepId);
  lap(`until ${stepId}`);
  await act();
}

describe('a reporting cycle of 1,000 partners', () => {
  it('runs to its end with on-time, late, revised, waived and missing reports, each email once, and opening again changes nothing', async () => {
    const client = world.env.client;
    lapStart = performance.now();
    await world.withWorker(
      async () => {
        // Opening, interrupted after half the partners (as by a crash), then run again in full.
        const partners = await storeCycle(config, opening, true);
        expect(partners).toHaveLength(partnerCount);
        const half = await startCycleReports(client, config, year, partners.slice(0, partnerCount / 2));
        expect(half).toEqual({ announced: 0, startedDirectly: partnerCount / 2, alreadyStarted: 0 });
        const progress: number[] = [];
        const resumed = await startCycleReports(client, config, year, await storeCycle(config, opening, true), (done) => progress.push(done));
        expect(resumed).toEqual({ announced: 0, startedDirectly: partnerCount / 2, alreadyStarted: partnerCount / 2 });
        expect(progress.at(-1)).toBe(partnerCount);
        lap('opening');

        await actAfter('invitation', async () => {
          await forPartnersOf(['on-time'], submitAndAccept);
          await forPartnersOf(['revised', 'revised-after-reminder'], async (number) => {
            const handle = handleOf(number);
            await handle.executeUpdate(submitReportUpdate, { args: [{ report: await readReportFixture('minimal.json') }] });
            const view = await handle.executeUpdate(requestRevisionUpdate, { args: [{ by: caseworker.name, comments: 'Bitte die Zielgruppe der Schulung nennen.' }] });
            if (view.nextStep) revisionReminders.set(number, view.nextStep.sendAt);
          });
        });
        lap('invitations, on-time submissions, revision requests');
        // The quick ones resubmit the next day; the others after their revision's reminder.
        await sleepUntil(world, new Date(sendAtOf('invitation') + day).toISOString());
        await forPartnersOf(['revised'], submitAndAccept);
        const lastRevisionReminder = Math.max(...[...revisionReminders.values()].map(Date.parse));
        expect(lastRevisionReminder).toBeLessThan(sendAtOf('reminder-2w'));
        await sleepUntil(world, new Date(lastRevisionReminder + hour).toISOString());
        await forPartnersOf(['revised-after-reminder'], submitAndAccept);

        lap('resubmissions');
        await actAfter('reminder-2w', () => forPartnersOf(['after-reminder'], submitAndAccept));
        lap('first reminder and submissions after it');
        await actAfter('overdue', async () => {
          await forPartnersOf(['late'], submitAndAccept);
          await forPartnersOf(['waived'], async (number) => {
            await handleOf(number).executeUpdate(waiveReportUpdate, { args: [{ by: headOfUnit.name, reason: 'Auflösung der Stelle, Bericht entfällt' }] });
          });
        });
        lap('second reminder, overdue notices, late submissions, waivers');
        await actAfter('escalation-1-ministry', () => forPartnersOf(['after-escalation'], submitAndAccept));
        const lastSend = Math.max(...plan.map((send) => send.sendAt.getTime()));
        await sleepUntil(world, new Date(lastSend + day).toISOString());

        const expected = new Map([...storyOf].map(([number, story]) => [number, expectedEmails(story)]));
        const expectedTotal = [...expected.values()].reduce((sum, emails) => sum + emails.length, 0);
        await world.mail.waitForCount(expectedTotal, 60_000);
        lap('escalations to the end');

        // The counts `cycle status` shows, from its own query.
        const status = await findCycleStatus(world.database.db, year);
        const count = <K>(key: (story: Story) => K) => {
          const counts = new Map<K, number>();
          for (const story of storyOf.values()) counts.set(key(story), (counts.get(key(story)) ?? 0) + 1);
          return counts;
        };
        const phases = count((story) => finalPhase[story]);
        expect(status?.partners).toBe(partnerCount);
        expect(status?.phases).toEqual(Object.fromEntries(cyclePhases.map((phase) => [phase, phases.get(phase as ReportPhase) ?? 0])));
        expect(status?.escalationLevels).toEqual(
          [...count(expectedEscalationLevel)].sort(([a], [b]) => a - b).map(([level, partners]) => ({ level, partners })),
        );
        for (const row of status?.rows ?? []) {
          const story = storyOf.get(row.partner) as Story;
          expect({ partner: row.partner, phase: row.phase, versions: row.versions, lastEmail: row.lastEmail?.status }).toEqual({
            partner: row.partner,
            phase: finalPhase[story],
            versions: story.startsWith('revised') ? 2 : story === 'waived' || story === 'missing' ? 0 : 1,
            lastEmail: 'sent',
          });
        }

        // The ledger: every partner's emails exactly as its story and the policy say, each sent once.
        const ledger = await ledgerRows(world);
        expect(ledger).toHaveLength(expectedTotal);
        expect(ledger.filter((row) => row.status !== 'sent' || row.possibleDuplicate)).toEqual([]);
        const labelsOf = new Map<number, string[]>();
        for (const row of ledger) {
          const number = Number(row.workflowId?.split('/')[1]);
          const label = row.idempotencyKey.slice((row.workflowId?.length ?? 0) + 1).split('/').slice(0, -1).join('/');
          labelsOf.set(number, [...(labelsOf.get(number) ?? []), `${label} ${row.template}`]);
        }
        for (const [number, emails] of expected) {
          expect(labelsOf.get(number)?.sort(), `partner ${number} (${storyOf.get(number)})`).toEqual(
            emails.map((email) => `${email.label}/${email.role} ${email.template}`).sort(),
          );
        }

        // SMTP: one message per ledger row, none twice, per template and per kind of recipient as expected.
        const messageIds = world.mail.messages.map((message) => message.messageId);
        expect(new Set(messageIds).size).toBe(messageIds.length);
        expect(messageIds.sort()).toEqual(ledger.map((row) => row.messageId).sort());
        const rowByMessageId = new Map(ledger.map((row) => [row.messageId, row]));
        const tally = (entries: string[]) => Object.fromEntries([...new Set(entries)].sort().map((key) => [key, entries.filter((e) => e === key).length]));
        const all = [...expected.values()].flat();
        expect(tally(world.mail.messages.map((m) => rowByMessageId.get(m.messageId ?? '')?.template ?? 'unknown'))).toEqual(tally(all.map((e) => e.template)));
        expect(tally(world.mail.messages.map((m) => rowByMessageId.get(m.messageId ?? '')?.recipientRole ?? 'unknown'))).toEqual(tally(all.map((e) => e.role)));
        expect(world.mail.messages.every((m) => m.envelope.to.join() === rowByMessageId.get(m.messageId ?? '')?.recipientEmail)).toBe(true);
        const toStaff = (role: RecipientRole) => all.filter((email) => email.role === role).length;
        expect(world.sentTo(caseworker.email)).toHaveLength(toStaff('ministry_caseworker'));
        expect(world.sentTo(headOfUnit.email)).toHaveLength(toStaff('head_of_unit'));

        // Opening once more, after the end: nothing is started, nothing more is sent.
        const again = await startCycleReports(client, config, year, await storeCycle(config, opening, true));
        expect(again).toEqual({ announced: 0, startedDirectly: 0, alreadyStarted: partnerCount });
        await sleepUntil(world, new Date(lastSend + 60 * day).toISOString());
        expect(world.mail.messages).toHaveLength(expectedTotal);
        expect(await ledgerRows(world)).toHaveLength(expectedTotal);
        lap(`checks of ${expectedTotal} emails, and opening again`);
      },
      // A cache for every open report (so a timer's task does not replay its history), and few
      // tasks at once: on a busy machine, 40 workflow tasks queued on one thread outlive their 10 s
      // timeout, and dozens of sends interleaved on one event loop their 5 s heartbeat timeout.
      { tuning: { maxCachedWorkflows: partnerCount + 100, maxConcurrentActivityTaskExecutions: 10, maxConcurrentWorkflowTaskExecutions: 8 } },
    );
    // Generous for a shared machine; each stage prints its wall time as it ends.
  }, 1_800_000);
});
