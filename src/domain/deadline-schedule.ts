import { DateTime } from 'luxon';
import {
  addWorkingDays,
  firstMomentAtOrAfter,
  latestAllowedMomentBefore,
  localDateIn,
  localMillisOfDay,
  nextAllowedMoment,
  sendingCalendarOf,
  timeOfDayMillis,
  type SendingCalendar,
} from './calendar';
import { parseDuration, type ParsedDuration } from './duration';
import type { NoticeTemplate, RecipientRole } from './notice-families';
import type { DeadlinePolicy, DeadlineStep, StepKind } from './policy';

/**
 * Turns a deadline policy and a due moment into the concrete list of emails: when each is
 * planned, and when the calendar lets it go out. Pure, so a workflow can replan at any time.
 */

export type PlannedSend = {
  stepId: string;
  /** 0 for the step itself, 1.. for its repetitions. */
  occurrence: number;
  kind: StepKind;
  template: NoticeTemplate;
  recipients: RecipientRole[];
  escalationLevel: number;
  /** Where the policy puts it, before the calendar has a say. */
  plannedAt: Date;
  /**
   * The first allowed moment at or after plannedAt; for a step that must precede the due date and
   * would be pushed past it, the latest allowed moment before instead (see broughtForward).
   */
  sendAt: Date;
  /** True when the calendar moved the send earlier, not later, to keep it before the due date. */
  broughtForward: boolean;
};

export type DroppedSend = { stepId: string; occurrence: number; reason: string };

export type DeadlinePlan = { sends: PlannedSend[]; dropped: DroppedSend[] };

export type CatchUpSend = { send: PlannedSend; recipients: RecipientRole[] };

export type ScheduleRow = {
  /** Local, e.g. '2019-03-18 08:00 (Mon)'. */
  sendAt: string;
  step: string;
  occurrence: number;
  template: NoticeTemplate;
  recipients: RecipientRole[];
  /** The planned local moment if the calendar moved it later, else null. */
  deferredFrom: string | null;
  /** The planned local moment if the calendar moved it earlier to keep it before the due date, else null. */
  broughtForwardFrom: string | null;
};

/**
 * Plans every send of `policy` for a deadline at `dueAt`. Day-granular offsets move the local
 * date of `dueAt` (calendar or NRW working days) and fire at the policy's sendTime; time-granular
 * ones (drills) are exact. `calendar` overrides the policy's own zone and window when given.
 */
export function planDeadline(input: {
  policy: DeadlinePolicy;
  dueAt: Date;
  calendar?: SendingCalendar;
  /**
   * Bring a step that must precede the due date forward when the calendar would push it past it
   * (default). False reproduces the earlier rule, which dropped it, for workflows that began under it.
   */
  bringForward?: boolean;
}): DeadlinePlan {
  const { policy, dueAt, bringForward = true } = input;
  const calendar = input.calendar ?? sendingCalendarOf(policy);
  const sendTime = timeOfDayMillis(policy.sendTime);

  const at = (instant: Date) => formatLocal(instant, calendar.timezone);
  const timed = policy.steps.map((step, order) => ({
    step,
    order,
    occurrences: occurrencesOf(step, dueAt, sendTime, calendar.timezone).map((plannedAt) => {
      const sendAt = nextAllowedMoment(plannedAt, calendar);
      // Only the calendar's push is undone: a repetition the policy itself plans past the due date is dropped.
      const pushedPast =
        step.offset.direction === 'before' && plannedAt.getTime() < dueAt.getTime() && sendAt.getTime() >= dueAt.getTime();
      const earlier = pushedPast && bringForward ? latestAllowedMomentBefore(plannedAt, dueAt, calendar) : undefined;
      return earlier ? { plannedAt, sendAt: earlier, broughtForward: true } : { plannedAt, sendAt, broughtForward: false };
    }),
  }));
  // A step is "due" (for repeat.until) when its first occurrence goes out.
  const dueMoment = new Map(timed.map(({ step, occurrences }) => [step.id, occurrences[0]?.sendAt]));

  const sends: (PlannedSend & { order: number })[] = [];
  const dropped: DroppedSend[] = [];
  for (const { step, order, occurrences } of timed) {
    const until = step.repeat?.until;
    const stopAt = until === undefined ? undefined : dueMoment.get(until);
    let previous: Date | undefined;
    occurrences.forEach(({ plannedAt, sendAt, broughtForward }, occurrence) => {
      const drop = (reason: string) => dropped.push({ stepId: step.id, occurrence, reason });
      if (step.offset.direction === 'before' && plannedAt.getTime() >= dueAt.getTime()) {
        drop(`is planned for ${at(plannedAt)}, not before the due date ${at(dueAt)} it announces`);
      } else if (step.offset.direction === 'before' && sendAt.getTime() >= dueAt.getTime()) {
        const deferred = sendAt.getTime() === plannedAt.getTime() ? '' : ` (deferred from ${at(plannedAt)})`;
        const noEarlier = bringForward ? ', and no earlier moment within two weeks is allowed' : '';
        drop(`would go out ${at(sendAt)}${deferred}, not before the due date ${at(dueAt)} it announces${noEarlier}`);
      } else if (broughtForward && previous !== undefined && sendAt.getTime() <= previous.getTime()) {
        drop(`brought forward from ${at(plannedAt)} to ${at(sendAt)}, it would not follow the step's previous occurrence`);
      } else if (stopAt !== undefined && sendAt.getTime() >= stopAt.getTime()) {
        drop(`repetition stops once "${until}" is due (${at(stopAt)}), and this one would go out ${at(sendAt)}`);
      } else {
        sends.push({
          stepId: step.id,
          occurrence,
          kind: step.kind,
          template: step.template,
          recipients: [...step.recipients],
          escalationLevel: step.escalationLevel,
          plannedAt,
          sendAt,
          broughtForward,
          order,
        });
        previous = sendAt;
      }
    });
  }
  sends.sort(
    (a, b) => a.sendAt.getTime() - b.sendAt.getTime() || a.order - b.order || a.occurrence - b.occurrence,
  );
  return { sends: sends.map(({ order: _order, ...send }) => send), dropped };
}

/** The idempotency key of one send within a deadline round. */
export function occurrenceKey(send: Pick<PlannedSend, 'stepId' | 'occurrence'>): string {
  return `${send.stepId}#${send.occurrence}`;
}

/**
 * At most one catch-up email per recipient: when several sends fell due at once (the worker was
 * down), each recipient gets only the latest one meant for them. Returns them earliest first.
 *
 * `pinned` (occurrence keys): sends that go out whatever else fell due with them, and claim their
 * recipients first. The late-start rule pins the invitation it decided to send: the report's
 * first contact, with the form link and the calendar entry; a reminder that came due before the
 * invitation could go out must not replace it.
 */
export function catchUpSelection(due: PlannedSend[], pinned: ReadonlySet<string> = new Set()): CatchUpSend[] {
  const isPinned = (send: PlannedSend) => pinned.has(occurrenceKey(send));
  const latestFirst = due
    .map((send, index) => ({ send, index }))
    .sort((a, b) => Number(isPinned(b.send)) - Number(isPinned(a.send)) || b.send.sendAt.getTime() - a.send.sendAt.getTime() || b.index - a.index);
  const covered = new Set<RecipientRole>();
  const selection: CatchUpSend[] = [];
  for (const { send } of latestFirst) {
    const recipients = send.recipients.filter((role) => !covered.has(role));
    for (const role of recipients) covered.add(role);
    if (recipients.length > 0) selection.push({ send, recipients });
  }
  return selection.sort((a, b) => a.send.sendAt.getTime() - b.send.sendAt.getTime() || due.indexOf(a.send) - due.indexOf(b.send));
}

/** For a send the catch-up rule left out: the chosen send that now reaches its recipients (the first, if several). */
export function supersedingSend(send: PlannedSend, selection: readonly CatchUpSend[]): PlannedSend | undefined {
  return selection.find((chosen) => chosen.recipients.some((role) => send.recipients.includes(role)))?.send;
}

/** The plan as rows a person reads: local times with weekday, and where the calendar moved a send. */
export function previewSchedule(plan: DeadlinePlan, calendar: Pick<SendingCalendar, 'timezone'>): ScheduleRow[] {
  const { timezone } = calendar;
  return plan.sends.map((send) => ({
    sendAt: formatLocal(send.sendAt, timezone),
    step: send.stepId,
    occurrence: send.occurrence,
    template: send.template,
    recipients: [...send.recipients],
    deferredFrom: send.sendAt.getTime() > send.plannedAt.getTime() ? formatLocal(send.plannedAt, timezone) : null,
    broughtForwardFrom: send.broughtForward ? formatLocal(send.plannedAt, timezone) : null,
  }));
}

/** 'YYYY-MM-DD HH:mm (EEE)' in `timezone`; the locale is fixed so output never depends on the machine. */
export function formatLocal(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).setLocale('en').toFormat('yyyy-MM-dd HH:mm (EEE)');
}

/** Planned moments of a step: the offset from the due date, then `repeat.every` k times from there. */
function occurrencesOf(step: DeadlineStep, dueAt: Date, sendTime: number, timezone: string): Date[] {
  const offset = parseDuration(step.offset.duration);
  const sign = step.offset.direction === 'before' ? -1 : 1;
  const first = shift(dueAt, offset, sign, step.offset.count, timezone, sendTime);
  if (!step.repeat) return [first];
  const every = parseDuration(step.repeat.every);
  // Repetitions of a day-granular step fire at sendTime too; others keep the first one's clock.
  const clock = offset.granularity === 'days' ? sendTime : localMillisOfDay(first, timezone);
  return Array.from({ length: step.repeat.times }, (_, k) =>
    k === 0 ? first : shift(first, every, k, step.offset.count, timezone, clock),
  );
}

/**
 * `from` moved by `factor` × `duration`. Time-granular: exact milliseconds. Day-granular: the
 * local date moves (calendar or NRW working days) and the result is that day at `clock`.
 */
function shift(
  from: Date,
  duration: ParsedDuration,
  factor: number,
  count: 'calendar' | 'working',
  timezone: string,
  clock: number,
): Date {
  if (duration.granularity === 'time') return new Date(from.getTime() + factor * duration.milliseconds);
  const date = localDateIn(from, timezone);
  const target =
    count === 'working'
      ? addWorkingDays(date, factor * duration.days)
      : (DateTime.fromISO(date, { zone: 'utc' })
          .plus({
            years: factor * duration.years,
            months: factor * duration.months,
            weeks: factor * duration.weeks,
            days: factor * duration.days,
          })
          .toISODate() as string);
  return firstMomentAtOrAfter(target, clock, timezone);
}
