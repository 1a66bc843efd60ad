import { localDateIn } from '../../domain/calendar';
import { planDeadline } from '../../domain/deadline-schedule';
import { defaultReportingPolicy } from '../../domain/default-policy';
import { parseReportingPolicy, type ReportingPolicy } from '../../domain/policy';
import { contacts, organisations, reportingCycles, staff } from '../../db/schema';
import { messageIdFor } from '../../email/message-id';
import { startAnnualReport } from '../../temporal/annual-report-client';
import { annualReportWorkflowId } from '../../temporal/workflow-ids';
import type { ChaosWorld } from './world';

/**
 * A compressed reporting cycle for N synthetic partners: one drill policy with three waves of mail
 * (invitation at once, reminder shortly before the due moment, overdue notice shortly after), the
 * same due moment for every partner, and the list of every email it must deliver, with the
 * Message-ID the product derives for it, so the sink can be checked without trusting the ledger.
 */

export type IntendedEmail = {
  idempotencyKey: string;
  messageId: string;
  workflowId: string;
  stepId: string;
  /** When the plan says it goes out (the invitation: when its workflow starts). */
  plannedAt: number;
};

export type DrillCycle = {
  year: number;
  dueAt: Date;
  /** When the first and the last planned wave are due. */
  firstWaveAt: number;
  lastWaveAt: number;
  workflowIds: string[];
  intended: IntendedEmail[];
  timezone: string;
};


/** Workflow starts in flight at once: enough to keep both cores busy, few enough not to time out. */
const startConcurrency = 20;

/**
 * When the waves go out, in seconds: the due moment comes `lead` after the opening (every workflow
 * must have started, and planned, before the reminder); the reminder `gap` before it and the
 * overdue notice `gap` after. The gap grows with the partners so that a wave is out before the next
 * falls due; otherwise the workflows would rightly collapse the two into one catch-up mail.
 */
export function drillTiming(partners: number): { leadSeconds: number; gapSeconds: number } {
  const gapSeconds = Math.round(10 + partners * 0.04);
  // Each first workflow task costs a worker a fraction of a CPU second; on a shared machine, more.
  return { leadSeconds: Math.round(30 + gapSeconds + partners * 0.3), gapSeconds };
}

/** `openedAt`: the moment the due date counts from (default now), so a drill can time its faults by the waves. */
export async function openDrillCycle(world: ChaosWorld, options: { partners: number; openedAt?: number; log: (line: string) => void }): Promise<DrillCycle> {
  const { db, config } = world;
  const { partners, openedAt = Date.now() } = options;
  const { leadSeconds, gapSeconds } = drillTiming(partners);
  const dueAt = new Date(openedAt + leadSeconds * 1000);
  const timezone = config.timezone;
  const policy = drillPolicy(leadSeconds, gapSeconds, timezone);
  const year = new Date(openedAt).getUTCFullYear();

  const [caseworker] = await db
    .insert(staff)
    .values({ name: 'Drill Caseworker', email: 'caseworker@drill.example', role: 'caseworker' })
    .returning({ id: staff.id });
  const contactIds = new Map<number, number>();
  for (let first = 1; first <= partners; first += 500) {
    const numbers = Array.from({ length: Math.min(500, partners - first + 1) }, (_, i) => first + i);
    const orgs = await db
      .insert(organisations)
      .values(numbers.map((number) => ({ number, name: `Drill-Partner ${number}`, kind: 'association' as const, status: 'active' as const, accessionDate: `${year - 2}-01-15`, caseworkerId: caseworker?.id })))
      .returning({ id: organisations.id, number: organisations.number });
    const people = await db
      .insert(contacts)
      .values(orgs.map((org) => ({ organisationId: org.id, role: 'main_contact' as const, name: `Kontakt ${org.number}`, email: `partner-${org.number}@drill.example` })))
      .returning({ id: contacts.id, organisationId: contacts.organisationId });
    const numberOf = new Map(orgs.map((org) => [org.id, org.number]));
    for (const person of people) contactIds.set(numberOf.get(person.organisationId)!, person.id);
  }
  await db.insert(reportingCycles).values({
    year,
    periodStart: `${year - 1}-10-01`,
    periodEnd: `${year}-09-30`,
    dueDate: localDateIn(dueAt, timezone),
    policy,
    status: 'open',
  });

  const { sends } = planDeadline({ policy: policy.deadline, dueAt });
  const workflowIds: string[] = [];
  const intended: IntendedEmail[] = [];
  for (let number = 1; number <= partners; number += 1) {
    const workflowId = annualReportWorkflowId(number, year);
    workflowIds.push(workflowId);
    for (const send of sends) {
      const idempotencyKey = `${workflowId}/initial/${send.stepId}#${send.occurrence}/partner_main_contact/${contactIds.get(number)}`;
      intended.push({ idempotencyKey, messageId: messageIdFor(idempotencyKey, config.smtp.from), workflowId, stepId: send.stepId, plannedAt: Math.max(openedAt, send.sendAt.getTime()) });
    }
  }

  const queue = [...workflowIds.keys()];
  await Promise.all(
    Array.from({ length: startConcurrency }, async () => {
      for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
        await startAnnualReport(world.client, config.temporal.taskQueue, { partnerNumber: index + 1, year, dueAt: dueAt.toISOString() });
      }
    }),
  );
  options.log(`${partners} workflows started in ${((Date.now() - openedAt) / 1000).toFixed(1)} s; due ${dueAt.toISOString()} (${timezone}), ${intended.length} emails intended`);
  const waves = sends.map((send) => Math.max(openedAt, send.sendAt.getTime()));
  return { year, dueAt, firstWaveAt: Math.min(...waves), lastWaveAt: Math.max(...waves), workflowIds, intended, timezone };
}

/** The default policy with three waves in seconds, sent on every day around the clock (the drill is not about the calendar). */
function drillPolicy(leadSeconds: number, gapSeconds: number, timezone: string): ReportingPolicy {
  return parseReportingPolicy({
    ...defaultReportingPolicy,
    deadline: {
      sendTime: '09:00',
      sendingWindow: { start: '00:00', end: '24:00' },
      sendingDays: 'every',
      timezone,
      steps: [
        {
          id: 'invitation',
          kind: 'invitation',
          template: 'report-invitation',
          offset: { direction: 'before', duration: `PT${leadSeconds}S` },
          recipients: ['partner_main_contact'],
          sendIfLate: true,
        },
        {
          id: 'reminder',
          kind: 'reminder',
          template: 'report-reminder',
          offset: { direction: 'before', duration: `PT${gapSeconds}S` },
          recipients: ['partner_main_contact'],
        },
        {
          id: 'overdue',
          kind: 'overdue',
          template: 'report-overdue',
          offset: { direction: 'after', duration: `PT${gapSeconds}S` },
          recipients: ['partner_main_contact'],
        },
      ],
    },
  });
}

