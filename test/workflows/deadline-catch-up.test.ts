/**
 * Catch-up after downtime: when the deadline tracker wakes long after several steps fell due,
 * each recipient gets at most one email (the latest step meant for them), never a burst.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import { sendingCalendarOf } from '../../src/domain/calendar';
import { trackedDeadlineWorkflow, stopTrackingSignal } from '../fixtures/workflows/tracked-deadline';
import { bundleOf, caseworker, createReportingWorld, partner, type ReportingWorld } from '../support/reporting-world';
import { sleepUntil } from '../support/workflow-story';
import { compressedDrill } from '../../src/dev/bench/drill';

const lateWorkflows = fileURLToPath(new URL('../fixtures/workflows/index.ts', import.meta.url));
let world: ReportingWorld;

beforeEach(async () => {
  world = await createReportingWorld();
});

afterEach(async () => {
  await world.teardown();
});

it('sends each recipient only its latest due step after downtime, then carries on on time', async () => {
  const policy = defaultReportingPolicy.deadline;
  const wakeAt = Date.parse('2027-04-20T10:00:00Z'); // Tue 20.04.2027, 12:00 CEST
  const events = await world.withWorker(
    async () => {
      const lateBy = wakeAt - (await world.env.currentTimeMs());
      const handle = await world.env.client.workflow.start(trackedDeadlineWorkflow, {
        taskQueue: world.taskQueue,
        workflowId: `late-deadline-${Date.now()}`,
        args: [
          {
            family: 'annual-report',
            partnerNumber: partner.number,
            context: { year: 2027, round: 'initial' },
            policy,
            calendar: sendingCalendarOf(policy),
            dueAt: '2027-03-31T21:59:59.999Z',
            lateBy: `${lateBy} ms`,
          },
        ],
      });
      await sleepUntil(world, '2027-04-20T11:00:00Z');
      await world.mail.waitForCount(3);
      await sleepUntil(world, '2027-05-01T10:00:00Z'); // escalation level 2 (28.04.) goes out on time
      await world.mail.waitForCount(5);
      await handle.signal(stopTrackingSignal);
      return handle.result();
    },
    { bundle: await bundleOf(lateWorkflows) },
  );

  const decided = events.map((event) => `${event.stepId} ${event.outcome}${event.catchUp ? ' (catch-up)' : ''}`);
  expect(decided).toEqual([
    'invitation superseded (catch-up)',
    'reminder-2w superseded (catch-up)',
    'reminder-3d superseded (catch-up)',
    'overdue sent (catch-up)',
    'escalation-1-partner sent (catch-up)',
    'escalation-1-ministry sent (catch-up)',
    'escalation-2-ministry sent',
    'escalation-2-partner sent',
  ]);
  // One email per recipient at wake-up: the overdue notice, and each escalation to its own addressee.
  expect(world.mail.messages.slice(0, 3).map((mail) => mail.envelope.to[0]).sort()).toEqual(
    [caseworker.email, partner.leadership.email, partner.mainContact.email].sort(),
  );
  expect(world.sentTo(partner.mainContact.email)).toEqual(['Frist abgelaufen: Jahresbericht 2027']);
});

/**
 * The benchmark's lost invitations: a report that starts just after its invitation's moment (the
 * late-start rule keeps the invitation) but whose first activities take until after reminder 1's
 * moment found both due at once, and the catch-up rule sent the reminder in place of the invitation.
 */
it('sends the invitation a late start decided on, even when a reminder falls due before it goes out', async () => {
  const gapSeconds = 60;
  const startedAt = await world.env.currentTimeMs();
  // Opened a second before the start: the invitation is already late when the workflow plans.
  const drill = compressedDrill(new Date(startedAt - 1_000), gapSeconds, 'Europe/Berlin');
  const reminder2At = drill.waves[2]!.plannedAt.getTime();
  const events = await world.withWorker(
    async () => {
      const handle = await world.env.client.workflow.start(trackedDeadlineWorkflow, {
        taskQueue: world.taskQueue,
        workflowId: `late-start-${Date.now()}`,
        args: [
          {
            family: 'annual-report',
            partnerNumber: partner.number,
            context: { year: 2040, round: 'initial' },
            policy: drill.policy.deadline,
            calendar: sendingCalendarOf(drill.policy.deadline),
            dueAt: drill.dueAt.toISOString(),
            // Nothing runs the tracker until reminder 1 (a gap after the opening) is due too.
            lateBy: `${gapSeconds + 5} seconds`,
          },
        ],
      });
      await sleepUntil(world, new Date(startedAt + (gapSeconds + 10) * 1000).toISOString());
      await world.mail.waitForCount(1, 30_000);
      await sleepUntil(world, new Date(reminder2At + 1_000).toISOString());
      await world.mail.waitForCount(2, 30_000);
      await handle.signal(stopTrackingSignal);
      return handle.result();
    },
    { bundle: await bundleOf(lateWorkflows) },
  );

  expect(events.map((event) => `${event.stepId} ${event.outcome}${event.supersededBy ? ` by ${event.supersededBy}` : ''}`)).toEqual([
    'reminder-1 superseded by invitation#0',
    'invitation sent',
    'reminder-2 sent',
  ]);
  expect(world.sentTo(partner.mainContact.email)).toEqual([
    expect.stringMatching(/^Jahresbericht 2040 .* bitte bis/),
    expect.stringMatching(/^Erinnerung: Jahresbericht 2040/),
  ]);
});
