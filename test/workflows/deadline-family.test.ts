/**
 * The deadline machinery is the same for every family of notices: a declaration deadline (the
 * first step of accession) runs through the unchanged tracker and delivery activity, and its
 * emails arrive over real SMTP with the family's own templates, link and calendar entry.
 */
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { sendingCalendarOf } from '../../src/domain/calendar';
import { declarationFamily } from '../../src/domain/notice-families';
import { deadlinePolicySchemaFor } from '../../src/domain/policy';
import { stopTrackingSignal, trackedDeadlineWorkflow } from '../fixtures/workflows/tracked-deadline';
import { bundleOf, caseworker, ledgerRows, partner } from '../support/reporting-world';
import { concurrentStories } from '../support/story-worlds';
import { sleepUntil } from '../support/workflow-story';

const fixtureWorkflows = fileURLToPath(new URL('../fixtures/workflows/index.ts', import.meta.url));
// A world for the story that uses one; the policy test needs none.
const it = concurrentStories({ concurrency: 1 });

// Declaration due in 8 weeks: invited now, reminded after 4 weeks, the caseworker told after 8.
const declarationPolicy = deadlinePolicySchemaFor(declarationFamily).parse({
  steps: [
    { id: 'invitation', kind: 'invitation', template: 'declaration-invitation', offset: { direction: 'before', duration: 'P8W' }, recipients: ['partner_main_contact'], sendIfLate: true },
    { id: 'reminder-4w', kind: 'reminder', template: 'declaration-reminder', offset: { direction: 'before', duration: 'P4W' }, recipients: ['partner_main_contact'] },
    { id: 'caseworker-told', kind: 'escalation', template: 'declaration-overdue-ministry', offset: { direction: 'after', duration: 'P1D', count: 'working' }, recipients: ['ministry_caseworker'], escalationLevel: 1 },
  ],
});

it('refuses a report template in a declaration policy: each family brings its own templates', () => {
  const parsed = deadlinePolicySchemaFor(declarationFamily).safeParse({
    steps: [{ id: 'invitation', kind: 'invitation', template: 'report-invitation', offset: { direction: 'before', duration: 'P8W' }, recipients: ['partner_main_contact'] }],
  });
  expect(parsed.success).toBe(false);
  expect(parsed.error?.issues[0]?.message).toMatch(/^must be one of declaration-invitation, declaration-reminder, .*, not "report-invitation"$/);
  expect(parsed.error?.issues[0]?.message).not.toMatch(/report-reminder/);
});

it('runs a declaration deadline through the tracker: its templates, form link and calendar entry over SMTP', async ({ world }) => {
  const dueAt = '2027-03-15T22:59:59.999Z'; // Mon 15.03.2027, end of day in Berlin
  const events = await world.withWorker(
    async () => {
      await sleepUntil(world, '2027-01-18T07:00:00Z'); // Mon 18.01.2027, 08:00 CET: the invitation is due
      const handle = await world.env.client.workflow.start(trackedDeadlineWorkflow, {
        taskQueue: world.taskQueue,
        workflowId: `declaration-deadline-${Date.now()}`,
        args: [
          {
            family: 'declaration',
            partnerNumber: partner.number,
            policy: declarationPolicy,
            calendar: sendingCalendarOf(declarationPolicy),
            dueAt,
            lateBy: '0 ms',
            context: {},
          },
        ],
      });
      await sleepUntil(world, '2027-01-18T09:00:00Z');
      await world.mail.waitForCount(1);
      await sleepUntil(world, '2027-03-17T12:00:00Z');
      await world.mail.waitForCount(3);
      await handle.signal(stopTrackingSignal);
      return handle.result();
    },
    { bundle: await bundleOf(fixtureWorkflows) },
  );

  expect(events.map((event) => `${event.stepId} ${event.outcome} ${event.plannedFor}`)).toEqual([
    'invitation sent 2027-01-18T08:00:00.000Z', // 8 weeks before, at 09:00 CET
    'reminder-4w sent 2027-02-15T08:00:00.000Z',
    'caseworker-told sent 2027-03-16T08:00:00.000Z', // the working day after
  ]);
  expect(world.sentTo(partner.mainContact.email)).toEqual([
    'Beitritt zum Partnernetzwerk: Ihre Absichtserklärung – bitte bis 15.03.2027 einreichen',
    'Erinnerung: Ihre Absichtserklärung zum Beitritt – bis 15.03.2027',
  ]);
  expect(world.sentTo(caseworker.email)).toEqual([`Beitritt: Absichtserklärung ausstehend – ${partner.name}`]);

  const [invitation, reminder, told] = world.mail.messages;
  // The partner's personal link to the declaration form: a token, scoped and expiring (src/email/partner-links.ts).
  // Each mail to the partner carries its own personal link to the declaration form: a fresh token,
  // scoped to the organisation and the declaration, expiring (src/email/partner-links.ts).
  const personalLink = /\n(http:\/\/localhost:3000\/link\/[A-Za-z0-9_-]{43})\n/;
  const invitationLink = personalLink.exec(invitation?.text ?? '')?.[1];
  const reminderLink = personalLink.exec(reminder?.text ?? '')?.[1];
  expect(invitationLink).toBeDefined();
  expect(reminderLink).toBeDefined();
  expect(reminderLink).not.toBe(invitationLink);
  // The caseworker gets the staff page of the accession, never the partner's signed form link.
  expect(told?.text).toContain(`/staff/accessions/${partner.number}`);
  expect(told?.text).not.toContain('token=');

  const calendar = invitation?.attachments.find((a) => a.filename === 'absichtserklaerung.ics')?.content.toString('utf8') ?? '';
  expect(calendar).toContain('DTSTART;VALUE=DATE:20270315\r\n');
  expect(calendar).toContain('SUMMARY:Absichtserklärung zum Beitritt einreichen\r\n');
  expect(calendar).toMatch(new RegExp(`UID:absichtserklaerung-${partner.number}-2027-03-15@`));
  expect(reminder?.attachments).toEqual([]);

  // Each email once in the ledger, under the family's template and the tracker's business key.
  const rows = await ledgerRows(world);
  expect(rows.map((row) => [row.template, row.status, row.idempotencyKey.split('/').slice(1).join('/')])).toEqual([
    ['declaration-invitation', 'sent', 'invitation#0/partner_main_contact/1'],
    ['declaration-reminder', 'sent', 'reminder-4w#0/partner_main_contact/1'],
    ['declaration-overdue-ministry', 'sent', 'caseworker-told#0/ministry_caseworker/1'],
  ]);
});
