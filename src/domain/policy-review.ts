import { DateTime } from 'luxon';
import { sendingCalendarOf } from './calendar';
import { planDeadline } from './deadline-schedule';
import type { DeadlinePolicy, ReportingPolicy } from './policy';

/**
 * What a person may want to know about a policy that is valid: steps the calendar drops for some
 * due dates, and a ladder without an invitation. Found by planning every due date of a year.
 * Errors (a step that can never be sent) are the schema's business; these are warnings.
 */
/** Warnings about both deadlines of a reporting policy. */
export function reviewReportingPolicy(policy: ReportingPolicy): string[] {
  return [
    ...reviewPolicy(policy.deadline, { label: 'deadline' }),
    ...reviewPolicy(policy.revision.deadline, { label: 'revision.deadline', invites: false }),
  ];
}

export function reviewPolicy(
  policy: DeadlinePolicy,
  { year = 2031, label = 'deadline', invites = true }: { year?: number; label?: string; /** Whether the ladder should open with an invitation (a revision round opens with its request instead). */ invites?: boolean } = {},
): string[] {
  const warnings: string[] = [];
  if (invites && !policy.steps.some((step) => step.kind === 'invitation')) {
    warnings.push(`${label}: no invitation step; the first notice a partner gets is then a reminder or a notice of lateness`);
  }
  const calendar = sendingCalendarOf(policy);
  const first = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: policy.timezone });
  const days = Array.from({ length: first.daysInYear }, (_, offset) => first.plus({ days: offset }));
  const dropped = new Map<string, { count: number; example: string }>();
  for (const day of days) {
    const plan = planDeadline({ policy, dueAt: day.endOf('day').toJSDate(), calendar });
    for (const drop of plan.dropped) {
      const seen = dropped.get(drop.stepId);
      if (seen) seen.count += 1;
      else dropped.set(drop.stepId, { count: 1, example: `due ${day.toISODate()}: this step ${drop.reason}` });
    }
  }
  policy.steps.forEach((step, index) => {
    const seen = dropped.get(step.id);
    if (seen) {
      warnings.push(
        `${label}.steps[${index}] (${step.id}): dropped for ${seen.count} of ${days.length} due dates in ${year}, e.g. ${seen.example}`,
      );
    }
  });
  return warnings;
}
