import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReportHistory } from '../../src/domain/cycle-history';
import { defaultReportingPolicy, defaultReportingPolicyInput } from '../../src/domain/default-policy';
import { planDeadline } from '../../src/domain/deadline-schedule';
import { dueAtEndOfDay } from '../../src/domain/due-date';
import { behaviourOf, forecastCycle, type PartnerBehaviour, type PartnerForecastInput } from '../../src/domain/forecast';
import { reportingPolicySchema } from '../../src/domain/policy';
import { day, daysFrom, defaultLadder, reportHistory } from '../support/cycle-history';

// Wednesday 30 June 2027, no holiday near it: invitation Wed 19 May (W20), reminders Wed 16 June
// (W24) and Sun 27 June, deferred to Mon 28 June 08:00 (W26); overdue Thu 1 July (W26);
// escalation level 1 (two notices) Wed 14 July (W28), level 2 (two notices) Wed 28 July (W30).
const dueAt = dueAtEndOfDay('2027-06-30', 'Europe/Berlin');
const partner = (number: number, behaviour: PartnerBehaviour): PartnerForecastInput => ({ partner: number, dueAt, behaviour });

const onTime = partner(1, { kind: 'submitted', afterDueMs: -2 * day, revisions: [] });
const never = partner(2, { kind: 'not-submitted' });
const newcomer = partner(3, { kind: 'no-previous-report' });
// 20 days late (Tue 20 July, W29); sent back 3 days later, revised 12 days after that (Wed 4 August, W31).
const lateRevised = partner(4, {
  kind: 'submitted',
  afterDueMs: 20 * day,
  revisions: [{ requestedAfterSubmissionMs: 3 * day, resubmittedAfterRequestMs: 12 * day }],
});
const waived = partner(5, { kind: 'stopped', by: 'waived', afterDueMs: 5 * day });

const none = { invitations: 0, reminders: 0, overdueNotices: 0, escalations: [], reviews: 0, revisionReviews: 0 };

describe('forecastCycle', () => {
  it('replays each partner under the default policy and counts per ISO week', () => {
    const forecast = forecastCycle(defaultReportingPolicy, [onTime, never, newcomer, lateRevised, waived]);
    expect(forecast.weeks).toEqual([
      { week: '2027-W20', monday: '2027-05-17', ...none, invitations: 4 },
      { week: '2027-W24', monday: '2027-06-14', ...none, reminders: 4 },
      // The on-time partner submits on Monday night, after that morning's reminder.
      { week: '2027-W26', monday: '2027-06-28', ...none, reminders: 4, overdueNotices: 3, reviews: 1 },
      { week: '2027-W28', monday: '2027-07-12', ...none, escalations: [{ level: 1, notices: 4 }] },
      { week: '2027-W29', monday: '2027-07-19', ...none, reviews: 1 },
      { week: '2027-W30', monday: '2027-07-26', ...none, escalations: [{ level: 2, notices: 2 }] },
      // Revision due Fri 6 August: its reminder (Tue 3 August) precedes the revised version.
      { week: '2027-W31', monday: '2027-08-02', ...none, reminders: 1, revisionReviews: 1 },
    ]);
    expect(forecast.totals).toEqual({
      invitations: 4,
      reminders: 9,
      overdueNotices: 3,
      escalations: [
        { level: 1, notices: 4 },
        { level: 2, notices: 2 },
      ],
      reviews: 2,
      revisionReviews: 1,
    });
    expect(forecast.partners).toEqual({ forecast: 4, submitted: 2, notSubmitted: 1, stopped: 1, withoutPreviousReport: [3] });
  });

  it('shows what a stricter policy changes on the same behaviour', () => {
    // One reminder less (no three-day reminder) and escalation after one week instead of two.
    const { deadline } = defaultReportingPolicyInput;
    const steps = deadline.steps
      .filter((step) => step.id !== 'reminder-3d')
      .map((step) => (step.escalationLevel === 1 ? { ...step, offset: { ...step.offset, duration: 'P1W' } } : step));
    const strict = reportingPolicySchema.parse({ ...defaultReportingPolicyInput, deadline: { ...deadline, steps } });
    const forecast = forecastCycle(strict, [onTime, never, newcomer, lateRevised, waived]);
    expect(forecast.totals).toEqual({
      invitations: 4,
      reminders: 5,
      overdueNotices: 3,
      // Level 1 a week after the due date (Wed 7 July): the waived partner (Mon 5 July) is spared it.
      escalations: [
        { level: 1, notices: 4 },
        { level: 2, notices: 2 },
      ],
      reviews: 2,
      revisionReviews: 1,
    });
    expect(forecast.weeks.find((week) => week.week === '2027-W27')?.escalations).toEqual([{ level: 1, notices: 4 }]);
  });

  it('forecasts nothing for partners without a previous report, and names them', () => {
    const forecast = forecastCycle(defaultReportingPolicy, [newcomer, partner(9, { kind: 'no-previous-report' })]);
    expect(forecast.weeks).toEqual([]);
    expect(forecast.totals).toEqual(none);
    expect(forecast.partners).toEqual({ forecast: 0, submitted: 0, notSubmitted: 0, stopped: 0, withoutPreviousReport: [3, 9] });
  });

  it('counts a revision the partner never sent back with the whole revision ladder and no second review', () => {
    const forecast = forecastCycle(defaultReportingPolicy, [
      partner(6, { kind: 'submitted', afterDueMs: -10 * day, revisions: [{ requestedAfterSubmissionMs: day, resubmittedAfterRequestMs: null }] }),
    ]);
    // Invitation, the two-week reminder (the report came before the three-day one), then the
    // revision's reminder and overdue notice.
    expect(forecast.totals).toEqual({ ...none, invitations: 1, reminders: 2, overdueNotices: 1, reviews: 1 });
  });
});

describe('behaviourOf', () => {
  it("is tested on histories whose ladder is the default policy's", () => {
    const byId = (a: [string, string], b: [string, string]) => a[0].localeCompare(b[0]);
    expect(defaultLadder.map((s): [string, string] => [s.stepId, s.template]).sort(byId)).toEqual(
      defaultReportingPolicy.deadline.steps.map((s): [string, string] => [s.id, s.template]).sort(byId),
    );
  });

  const report = (overrides: Partial<ReportHistory>): ReportHistory => reportHistory(7, dueAt, { phase: 'accepted', ...overrides });
  const at = daysFrom(dueAt);

  it('states a partner without a previous report as such', () => {
    expect(behaviourOf(undefined)).toEqual({ kind: 'no-previous-report' });
  });

  it('takes the first submission relative to the due date and each revision round', () => {
    expect(
      behaviourOf(
        report({
          versions: [
            { version: 1, submittedAt: at(3), review: 'revision_requested', reviewedAt: at(5) },
            { version: 2, submittedAt: at(9), review: 'revision_requested', reviewedAt: at(10) },
            { version: 3, submittedAt: at(12.5), review: 'accepted', reviewedAt: at(13) },
          ],
        }),
      ),
    ).toEqual({
      kind: 'submitted',
      afterDueMs: 3 * day,
      revisions: [
        { requestedAfterSubmissionMs: 2 * day, resubmittedAfterRequestMs: 4 * day },
        { requestedAfterSubmissionMs: 1 * day, resubmittedAfterRequestMs: 2.5 * day },
      ],
    });
  });

  it('knows a revision asked for and never answered, a waiver and a silence', () => {
    expect(behaviourOf(report({ versions: [{ version: 1, submittedAt: at(-1), review: 'revision_requested', reviewedAt: at(0) }] }))).toEqual({
      kind: 'submitted',
      afterDueMs: -day,
      revisions: [{ requestedAfterSubmissionMs: day, resubmittedAfterRequestMs: null }],
    });
    expect(behaviourOf(report({ phase: 'waived', stopped: { by: 'waived', at: at(4) } }))).toEqual({ kind: 'stopped', by: 'waived', afterDueMs: 4 * day });
    expect(behaviourOf(report({ phase: 'overdue' }))).toEqual({ kind: 'not-submitted' });
  });
});

describe('forecastCycle, properties', () => {
  const behaviourArb: fc.Arbitrary<PartnerBehaviour> = fc.oneof(
    fc.constant<PartnerBehaviour>({ kind: 'no-previous-report' }),
    fc.constant<PartnerBehaviour>({ kind: 'not-submitted' }),
    fc.integer({ min: -60 * day, max: 90 * day }).map((afterDueMs): PartnerBehaviour => ({ kind: 'stopped', by: 'waived', afterDueMs })),
    fc
      .record({
        afterDueMs: fc.integer({ min: -60 * day, max: 90 * day }),
        revisions: fc.array(
          fc.record({
            requestedAfterSubmissionMs: fc.integer({ min: 0, max: 20 * day }),
            resubmittedAfterRequestMs: fc.option(fc.integer({ min: 0, max: 40 * day }), { nil: null }),
          }),
          { maxLength: 2 },
        ),
      })
      .map((b): PartnerBehaviour => ({ kind: 'submitted', ...b })),
  );
  const partnersArb = fc.array(behaviourArb, { maxLength: 12 }).map((behaviours) => behaviours.map((b, i) => partner(i + 1, b)));
  const sum = (counts: { invitations: number; reminders: number; overdueNotices: number; escalations: { notices: number }[]; reviews: number; revisionReviews: number }) =>
    counts.invitations + counts.reminders + counts.overdueNotices + counts.reviews + counts.revisionReviews + counts.escalations.reduce((s, e) => s + e.notices, 0);

  it('the weeks add up to the totals, and every partner is counted once', () => {
    fc.assert(
      fc.property(partnersArb, (partners) => {
        const forecast = forecastCycle(defaultReportingPolicy, partners);
        expect(forecast.weeks.reduce((s, w) => s + sum(w), 0)).toBe(sum(forecast.totals));
        const p = forecast.partners;
        expect(p.forecast + p.withoutPreviousReport.length).toBe(partners.length);
        expect(p.submitted + p.notSubmitted + p.stopped).toBe(p.forecast);
        expect(forecast.totals.reviews).toBe(p.submitted);
        // Invited: everyone with a previous report who had not submitted (or been waived) before the invitation went out.
        const invitationAt = planDeadline({ policy: defaultReportingPolicy.deadline, dueAt }).sends[0]?.sendAt.getTime() ?? 0;
        const invited = partners.filter(({ behaviour: b }) => b.kind === 'not-submitted' || ((b.kind === 'submitted' || b.kind === 'stopped') && dueAt.getTime() + b.afterDueMs > invitationAt));
        expect(forecast.totals.invitations).toBe(invited.length);
      }),
    );
  });

  it('a partner who submits later never receives fewer notices', () => {
    fc.assert(
      fc.property(fc.integer({ min: -60 * day, max: 90 * day }), fc.integer({ min: 0, max: 30 * day }), (afterDueMs, delay) => {
        const notices = (ms: number) => {
          const t = forecastCycle(defaultReportingPolicy, [partner(1, { kind: 'submitted', afterDueMs: ms, revisions: [] })]).totals;
          return sum(t) - t.reviews;
        };
        expect(notices(afterDueMs + delay)).toBeGreaterThanOrEqual(notices(afterDueMs));
      }),
    );
  });
});
