/**
 * What a reminder policy would cause in the coming cycle if each partner behaved as it did in the
 * previous one: per ISO week, the invitations, reminders, overdue notices and escalations the
 * policy would send, and the submissions staff would have to decide on. A partner keeps its
 * timing relative to its due date (three days late stays three days late), so two policies can
 * be compared on the same behaviour. A partner without a previous report is not guessed at: it
 * is counted apart and named.
 */
import { DateTime } from 'luxon';
import { sendingCalendarOf } from './calendar';
import type { CycleHistory, ReportHistory } from './cycle-history';
import { planDeadline, type PlannedSend } from './deadline-schedule';
import { revisionDueAt } from './due-date';
import type { DeadlinePolicy, ReportingPolicy } from './policy';

/** How a partner behaved in the previous cycle, relative to its due date there (milliseconds). */
export type PartnerBehaviour =
  | { kind: 'no-previous-report' }
  /** Had not submitted by the end of the previous cycle's records (nor been waived or closed). */
  | { kind: 'not-submitted' }
  | { kind: 'stopped'; by: 'waived' | 'closed'; afterDueMs: number }
  | {
      kind: 'submitted';
      afterDueMs: number;
      /** Each revision staff asked for: after how long, and how long the partner then took (null: never). */
      revisions: { requestedAfterSubmissionMs: number; resubmittedAfterRequestMs: number | null }[];
    };

export type PartnerForecastInput = { partner: number; dueAt: Date; behaviour: PartnerBehaviour };

export type ForecastCounts = {
  invitations: number;
  reminders: number;
  overdueNotices: number;
  /** Escalation notices per level, ascending; levels the policy never reaches are left out. */
  escalations: { level: number; notices: number }[];
  /** First versions to review (accept or send back). */
  reviews: number;
  /** Revised versions to review. */
  revisionReviews: number;
};

export type WeekForecast = ForecastCounts & {
  /** ISO week in the policy's time zone, e.g. '2027-W12'. */
  week: string;
  /** Its Monday (YYYY-MM-DD). */
  monday: string;
};

export type CycleForecast = {
  /** Weeks in which anything happens, in order. */
  weeks: WeekForecast[];
  totals: ForecastCounts;
  partners: {
    /** Partners whose previous behaviour the forecast replays. */
    forecast: number;
    submitted: number;
    notSubmitted: number;
    stopped: number;
    /** Partners without a report in the previous cycle: in no figure above, named here. */
    withoutPreviousReport: number[];
  };
};

/** The behaviour of a partner's previous report; undefined (no report) is stated as such. */
export function behaviourOf(report: ReportHistory | undefined): PartnerBehaviour {
  if (report === undefined) return { kind: 'no-previous-report' };
  const [first] = report.versions;
  if (first === undefined) {
    if (report.stopped) return { kind: 'stopped', by: report.stopped.by, afterDueMs: report.stopped.at.getTime() - report.dueAt.getTime() };
    return { kind: 'not-submitted' };
  }
  const revisions: Extract<PartnerBehaviour, { kind: 'submitted' }>['revisions'] = [];
  for (const [index, version] of report.versions.entries()) {
    if (version.review !== 'revision_requested' || version.reviewedAt === null) break;
    const next = report.versions[index + 1];
    revisions.push({
      requestedAfterSubmissionMs: version.reviewedAt.getTime() - version.submittedAt.getTime(),
      resubmittedAfterRequestMs: next ? next.submittedAt.getTime() - version.reviewedAt.getTime() : null,
    });
    if (!next) break;
  }
  return { kind: 'submitted', afterDueMs: first.submittedAt.getTime() - report.dueAt.getTime(), revisions };
}

/** The behaviour of every partner in `partners` as the previous cycle recorded it. */
export function behavioursFrom(previous: CycleHistory | undefined, partners: { partner: number; dueAt: Date }[]): PartnerForecastInput[] {
  const reports = new Map(previous?.reports.map((report) => [report.partner, report]));
  return partners.map(({ partner, dueAt }) => ({ partner, dueAt, behaviour: behaviourOf(reports.get(partner)) }));
}

type Event =
  | { at: Date; what: 'send'; send: PlannedSend }
  | { at: Date; what: 'review' | 'revisionReview' };

/** Replays each partner's behaviour under `policy` and counts what happens, per ISO week. */
export function forecastCycle(policy: ReportingPolicy, partners: PartnerForecastInput[]): CycleForecast {
  const timezone = policy.deadline.timezone;
  const weeks = new Map<string, { monday: string; events: Event[] }>();
  const all: Event[] = [];
  // Many partners share send moments; the time-zone arithmetic is done once per moment.
  const weekOfMoment = new Map<number, { week: string; monday: string }>();
  const weekOf = (at: Date) => {
    let found = weekOfMoment.get(at.getTime());
    if (!found) {
      const local = DateTime.fromJSDate(at, { zone: timezone });
      found = { week: local.toFormat("kkkk-'W'WW"), monday: local.startOf('week').toISODate() as string };
      weekOfMoment.set(at.getTime(), found);
    }
    return found;
  };
  const record = (event: Event) => {
    const { week, monday } = weekOf(event.at);
    const entry = weeks.get(week) ?? { monday, events: [] };
    entry.events.push(event);
    weeks.set(week, entry);
    all.push(event);
  };
  const plans = new PlanCache();
  const withoutPreviousReport: number[] = [];
  const partnerCounts = { forecast: 0, submitted: 0, notSubmitted: 0, stopped: 0 };

  for (const { partner, dueAt, behaviour } of partners) {
    if (behaviour.kind === 'no-previous-report') {
      withoutPreviousReport.push(partner);
      continue;
    }
    partnerCounts.forecast += 1;
    const initial = plans.of(policy.deadline, dueAt);
    if (behaviour.kind === 'not-submitted') {
      partnerCounts.notSubmitted += 1;
      for (const send of initial) record({ at: send.sendAt, what: 'send', send });
      continue;
    }
    const endsAt = new Date(dueAt.getTime() + behaviour.afterDueMs);
    // The tracker stops once the report arrives (or is waived): later sends never go out.
    for (const send of initial) if (send.sendAt.getTime() < endsAt.getTime()) record({ at: send.sendAt, what: 'send', send });
    if (behaviour.kind === 'stopped') {
      partnerCounts.stopped += 1;
      continue;
    }
    partnerCounts.submitted += 1;
    record({ at: endsAt, what: 'review' });
    let submittedAt = endsAt;
    for (const revision of behaviour.revisions) {
      const requestedAt = new Date(submittedAt.getTime() + revision.requestedAfterSubmissionMs);
      const revisionDue = revisionDueAt(requestedAt, policy.revision.period, policy.revision.deadline.timezone);
      const resubmittedAt =
        revision.resubmittedAfterRequestMs === null ? undefined : new Date(requestedAt.getTime() + revision.resubmittedAfterRequestMs);
      for (const send of revisionRoundSends(policy.revision.deadline, plans.of(policy.revision.deadline, revisionDue), requestedAt)) {
        if (resubmittedAt === undefined || send.at.getTime() < resubmittedAt.getTime()) record({ at: send.at, what: 'send', send: send.send });
      }
      if (resubmittedAt === undefined) break;
      record({ at: resubmittedAt, what: 'revisionReview' });
      submittedAt = resubmittedAt;
    }
  }

  return {
    weeks: [...weeks]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([week, { monday, events }]) => ({ week, monday, ...countsOf(events) })),
    totals: countsOf(all),
    partners: { ...partnerCounts, withoutPreviousReport },
  };
}

/**
 * The sends of a revision round that starts at `requestedAt`: steps already past are skipped, as
 * the tracker skips them, except a sendIfLate step's first occurrence, which goes out at once.
 */
function revisionRoundSends(policy: DeadlinePolicy, plan: PlannedSend[], requestedAt: Date): { at: Date; send: PlannedSend }[] {
  const late = new Set(policy.steps.filter((step) => step.sendIfLate).map((step) => step.id));
  return plan.flatMap((send) => {
    if (send.sendAt.getTime() > requestedAt.getTime()) return [{ at: send.sendAt, send }];
    return late.has(send.stepId) && send.occurrence === 0 ? [{ at: requestedAt, send }] : [];
  });
}

function countsOf(events: Event[]): ForecastCounts {
  const counts = { invitations: 0, reminders: 0, overdueNotices: 0, reviews: 0, revisionReviews: 0 };
  const levels = new Map<number, number>();
  for (const event of events) {
    if (event.what !== 'send') {
      if (event.what === 'review') counts.reviews += 1;
      else counts.revisionReviews += 1;
      continue;
    }
    if (event.send.kind === 'invitation') counts.invitations += 1;
    else if (event.send.kind === 'reminder') counts.reminders += 1;
    else if (event.send.kind === 'overdue') counts.overdueNotices += 1;
    else levels.set(event.send.escalationLevel, (levels.get(event.send.escalationLevel) ?? 0) + 1);
  }
  const escalations = [...levels].sort(([a], [b]) => a - b).map(([level, notices]) => ({ level, notices }));
  return { ...counts, escalations };
}

/** Partners share a few due dates: each plan is made once. */
class PlanCache {
  private readonly plans = new Map<DeadlinePolicy, Map<number, PlannedSend[]>>();

  of(policy: DeadlinePolicy, dueAt: Date): PlannedSend[] {
    const byDue = this.plans.get(policy) ?? new Map<number, PlannedSend[]>();
    this.plans.set(policy, byDue);
    let sends = byDue.get(dueAt.getTime());
    if (!sends) {
      sends = planDeadline({ policy, dueAt, calendar: sendingCalendarOf(policy) }).sends;
      byDue.set(dueAt.getTime(), sends);
    }
    return sends;
  }
}
