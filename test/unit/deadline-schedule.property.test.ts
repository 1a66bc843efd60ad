import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isAllowedMoment, nextAllowedMoment, sendingCalendarOf } from '../../src/domain/calendar';
import { catchUpSelection, occurrenceKey, planDeadline } from '../../src/domain/deadline-schedule';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import { recipientRoles } from '../../src/domain/notice-families';
import { deadlinePolicySchema, stepKinds, type DeadlinePolicy } from '../../src/domain/policy';

const dueAtArb = fc.oneof(
  fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T23:59:59Z'), noInvalidDate: true }),
  // End of a local day, as real due dates are, including the DST Sundays.
  fc
    .record({ year: fc.integer({ min: 2000, max: 2040 }), dayOfYear: fc.integer({ min: 1, max: 365 }) })
    .map(({ year, dayOfYear }) =>
      DateTime.fromObject({ year, ordinal: dayOfYear }, { zone: 'Europe/Berlin' }).endOf('day').toJSDate(),
    ),
);

const durationArb = fc.oneof(
  fc.integer({ min: 1, max: 60 }).map((n) => `P${n}D`),
  fc.integer({ min: 1, max: 8 }).map((n) => `P${n}W`),
  fc.integer({ min: 1, max: 3 }).map((n) => `P${n}M`),
  fc.constant('P1Y'),
  fc.integer({ min: 1, max: 600 }).map((n) => `PT${n}S`),
  fc.integer({ min: 1, max: 300 }).map((n) => `PT${n}M`),
  fc.integer({ min: 1, max: 72 }).map((n) => `PT${n}H`),
);
const wholeDays = (duration: string) => /^P\d+D$/.test(duration);

const stepArb = fc.record({
  kind: fc.constantFrom(...stepKinds),
  duration: durationArb,
  working: fc.boolean(),
  recipients: fc.subarray([...recipientRoles], { minLength: 1 }),
  repeat: fc.option(
    fc.record({ every: durationArb, times: fc.integer({ min: 1, max: 4 }), until: fc.option(fc.nat(5), { nil: undefined }) }),
    { nil: undefined },
  ),
});

/** Random policies that pass validation (the rest are discarded): up to five steps, repeats, windows. */
const policyArb: fc.Arbitrary<DeadlinePolicy> = fc
  .record({
    steps: fc.array(stepArb, { minLength: 1, maxLength: 5 }),
    // Windows open at 04:00 or later, clear of the night-time DST change, so sendTime always exists.
    window: fc.integer({ min: 240, max: 1200 }).chain((start) =>
      fc.record({ start: fc.constant(start), length: fc.integer({ min: 1, max: 1440 - start }), sendAfter: fc.nat() }),
    ),
  })
  .map(({ steps, window }) => {
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    return deadlinePolicySchema.safeParse({
      sendTime: hhmm(window.start + (window.sendAfter % window.length)),
      sendingWindow: { start: hhmm(window.start), end: hhmm(window.start + window.length) },
      steps: steps.map((step, index) => {
        const working = step.working && wholeDays(step.duration) && (!step.repeat || wholeDays(step.repeat.every));
        return {
          id: `step-${index}`,
          kind: step.kind,
          template: step.kind === 'escalation' ? 'report-escalation-ministry' : `report-${step.kind}`,
          offset: {
            direction: step.kind === 'invitation' || step.kind === 'reminder' ? 'before' : 'after',
            duration: step.duration,
            count: working ? 'working' : 'calendar',
          },
          recipients: step.recipients,
          escalationLevel: step.kind === 'escalation' ? 1 : 0,
          repeat: step.repeat && {
            every: step.repeat.every,
            times: step.repeat.times,
            until: step.repeat.until === undefined ? undefined : `step-${step.repeat.until % steps.length}`,
          },
        };
      }),
    });
  })
  .filter((parsed) => parsed.success)
  .map((parsed) => parsed.data as DeadlinePolicy);

const anyPolicyArb = fc.oneof(
  fc.constant(defaultReportingPolicy.deadline),
  fc.constant(defaultReportingPolicy.revision.deadline),
  policyArb,
);


describe('planDeadline properties', () => {
  it('sorts sends, sends only at allowed moments, and keeps announcements before the due date', () => {
    fc.assert(
      fc.property(anyPolicyArb, dueAtArb, (policy, dueAt) => {
        const calendar = sendingCalendarOf(policy);
        const plan = planDeadline({ policy, dueAt, calendar });
        const stepsById = new Map(policy.steps.map((step) => [step.id, step]));
        plan.sends.forEach((send, index) => {
          const previous = plan.sends[index - 1];
          if (previous) expect(send.sendAt.getTime()).toBeGreaterThanOrEqual(previous.sendAt.getTime());
          expect(isAllowedMoment(send.sendAt, calendar)).toBe(true);
          if (send.broughtForward) {
            // Moved earlier only because the calendar would have pushed it past the due date.
            expect(send.sendAt.getTime()).toBeLessThan(send.plannedAt.getTime());
            expect(nextAllowedMoment(send.plannedAt, calendar).getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
          } else {
            expect(send.sendAt.getTime()).toBe(nextAllowedMoment(send.plannedAt, calendar).getTime());
          }
          if (stepsById.get(send.stepId)?.offset.direction === 'before') {
            expect(send.sendAt.getTime()).toBeLessThan(dueAt.getTime());
          }
        });
      }),
      { numRuns: 400 },
    );
  });

  it('accounts for every occurrence exactly once, as a send or as dropped with a reason', () => {
    fc.assert(
      fc.property(anyPolicyArb, dueAtArb, (policy, dueAt) => {
        const plan = planDeadline({ policy, dueAt, calendar: sendingCalendarOf(policy) });
        const expected = policy.steps.flatMap((step) =>
          Array.from({ length: step.repeat?.times ?? 1 }, (_, occurrence) => occurrenceKey({ stepId: step.id, occurrence })),
        );
        const seen = [...plan.sends, ...plan.dropped].map(occurrenceKey);
        expect([...seen].sort()).toEqual([...expected].sort());
        for (const dropped of plan.dropped) expect(dropped.reason).not.toBe('');
      }),
      { numRuns: 300 },
    );
  });

  it('fires day-granular steps and their day-granular repeats at sendTime local', () => {
    fc.assert(
      fc.property(anyPolicyArb, dueAtArb, (policy, dueAt) => {
        const plan = planDeadline({ policy, dueAt, calendar: sendingCalendarOf(policy) });
        const stepsById = new Map(policy.steps.map((step) => [step.id, step]));
        for (const send of plan.sends) {
          const step = stepsById.get(send.stepId);
          const exact = step?.offset.duration.includes('T') || (send.occurrence > 0 && step?.repeat?.every.includes('T'));
          if (exact) continue;
          expect(DateTime.fromJSDate(send.plannedAt, { zone: policy.timezone }).toFormat('HH:mm')).toBe(policy.sendTime);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('catch-up gives every recipient of the due sends exactly one email, from the latest send meant for them', () => {
    fc.assert(
      fc.property(anyPolicyArb, dueAtArb, (policy, dueAt) => {
        const due = planDeadline({ policy, dueAt, calendar: sendingCalendarOf(policy) }).sends;
        const selection = catchUpSelection(due);
        const delivered = selection.flatMap(({ recipients }) => recipients);
        expect(new Set(delivered).size).toBe(delivered.length);
        expect(new Set(delivered)).toEqual(new Set(due.flatMap((send) => send.recipients)));
        for (const { send, recipients } of selection) {
          for (const role of recipients) {
            const later = due.slice(due.indexOf(send) + 1).filter((other) => other.recipients.includes(role));
            expect(later).toEqual([]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('steps that must precede the due date', () => {
  it('with the default policy, go out before every due date 2012–2058: brought forward, never dropped', () => {
    const calendar = sendingCalendarOf(defaultReportingPolicy.deadline);
    const announcing = defaultReportingPolicy.deadline.steps.filter((step) => step.offset.direction === 'before');
    fc.assert(
      fc.property(
        fc.record({ year: fc.integer({ min: 2012, max: 2058 }), dayOfYear: fc.integer({ min: 1, max: 366 }) }),
        ({ year, dayOfYear }) => {
          const due = DateTime.fromObject({ year, ordinal: dayOfYear }, { zone: 'Europe/Berlin' });
          fc.pre(due.isValid);
          const dueAt = due.endOf('day').toJSDate();
          const plan = planDeadline({ policy: defaultReportingPolicy.deadline, dueAt, calendar });
          expect(plan.dropped).toEqual([]);
          for (const step of announcing) {
            const send = plan.sends.find((candidate) => candidate.stepId === step.id);
            expect(send, `${step.id} for a due date ${due.toISODate()}`).toBeDefined();
            expect(send!.sendAt.getTime()).toBeLessThan(dueAt.getTime());
            expect(isAllowedMoment(send!.sendAt, calendar)).toBe(true);
            // Moved earlier only when the calendar would have pushed it past the due date.
            expect(send!.broughtForward).toBe(nextAllowedMoment(send!.plannedAt, calendar).getTime() >= dueAt.getTime());
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
