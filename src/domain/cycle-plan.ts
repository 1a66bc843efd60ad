/**
 * The dry run of opening a cycle, as `cycle open --dry-run` prints it and the web's preview shows
 * it: per active partner, the sends its report would plan for its due date (an override stored for
 * the year wins over the cycle's), in the policy's own calendar. Pure: callers bring the partners
 * and overrides from the database.
 */
import { sendingCalendarOf } from './calendar';
import { planDeadline, previewSchedule, type DroppedSend, type ScheduleRow } from './deadline-schedule';
import { dueAtEndOfDay } from './due-date';
import type { ReportingPolicy } from './policy';
import { reviewReportingPolicy } from './policy-review';

export type PartnerPlan = { partner: number; name: string; dueDate: string; sends: ScheduleRow[]; dropped: DroppedSend[] };
export type CyclePlan = { timezone: string; steps: number; warnings: string[]; partners: PartnerPlan[] };
/** One due date's plan and the partners it is for. */
export type DueDateGroup = { dueDate: string; partners: { partner: number; name: string }[]; sends: ScheduleRow[]; dropped: DroppedSend[] };

export function planCycleSends(input: {
  dueDate: string;
  policy: ReportingPolicy;
  /** The active partners, in the order they are shown. */
  partners: readonly { number: number; name: string }[];
  overrides: ReadonlyMap<number, string>;
}): CyclePlan {
  const calendar = sendingCalendarOf(input.policy.deadline);
  // Partners share a few due dates: each is planned once.
  const plans = new Map<string, Pick<PartnerPlan, 'sends' | 'dropped'>>();
  const planFor = (dueDate: string) => {
    let planned = plans.get(dueDate);
    if (!planned) {
      const plan = planDeadline({ policy: input.policy.deadline, dueAt: dueAtEndOfDay(dueDate, calendar.timezone), calendar });
      planned = { sends: previewSchedule(plan, calendar), dropped: plan.dropped };
      plans.set(dueDate, planned);
    }
    return planned;
  };
  return {
    timezone: calendar.timezone,
    steps: input.policy.deadline.steps.length,
    warnings: reviewReportingPolicy(input.policy),
    partners: input.partners.map((partner) => {
      const dueDate = input.overrides.get(partner.number) ?? input.dueDate;
      return { partner: partner.number, name: partner.name, dueDate, ...planFor(dueDate) };
    }),
  };
}

/** The partners' plans by due date, earliest first: the web shows one table per date, not per partner. */
export function groupByDueDate(partners: readonly PartnerPlan[]): DueDateGroup[] {
  const groups = new Map<string, DueDateGroup>();
  for (const { partner, name, dueDate, sends, dropped } of partners) {
    const group = groups.get(dueDate) ?? { dueDate, partners: [], sends, dropped };
    group.partners.push({ partner, name });
    groups.set(dueDate, group);
  }
  return [...groups.values()].sort((a, b) => a.dueDate.localeCompare(b.dueDate));
}
