/**
 * The one deadline machinery: something is due, reminders go out before, notices after,
 * escalations climb a ladder, and it all stops the moment the thing arrives or the date moves.
 * Driven by policy data and the pure calendar/schedule functions of src/domain, so accession,
 * signatures, milestones and annual reports all reuse it unchanged.
 *
 * Workflow code: deterministic, no I/O. Sending is delegated to the `deliver` callback.
 */
import { CancellationScope, condition, isCancellation, patched } from '@temporalio/workflow';
import { nextAllowedMoment, type SendingCalendar } from '../src/domain/calendar';
import {
  catchUpSelection,
  occurrenceKey,
  planDeadline,
  supersedingSend,
  type DeadlinePlan,
  type PlannedSend,
} from '../src/domain/deadline-schedule';
import type { RecipientRole } from '../src/domain/notice-families';
import type { DeadlinePolicy } from '../src/domain/policy';
import type { TrackedSendOutcome, TrackerEvent } from './contracts/deadline';

/** Mails up to this late still count as on time; later ones are catch-ups after downtime. */
const CATCH_UP_TOLERANCE_MS = 60_000;

export type DeliverySend = { send: PlannedSend; recipients: RecipientRole[]; catchUp: boolean };

export type DeadlineTrackerOptions = {
  /** Distinguishes rounds (e.g. 'initial', 'revision-1') in idempotency keys and the timeline. */
  round: string;
  policy: DeadlinePolicy;
  dueAt: Date;
  /**
   * A moment known to have passed although the workflow's clock (the task's start) shows an
   * earlier one: a local activity ran in this task. Waits count from it, so a timer set now does
   * not fire late by the activity's duration.
   */
  notBefore?: Date;
  calendar: SendingCalendar;
  /** Sends one planned step to the given roles; must be idempotent per (round, step, occurrence). */
  deliver(delivery: DeliverySend): Promise<void>;
  /** Called once when the due moment passes without the deadline being met. */
  onDuePassed?(): Promise<void>;
  /** Called whenever a sent or superseded step raises the escalation level. */
  onEscalation?(level: number): Promise<void>;
  /** Receives every decision about a planned send, for the workflow's timeline. */
  record(event: TrackerEvent): void;
  /** Asks for the tracker's patches; Temporal's `patched` unless the owner knows better (workflows/patches.ts). */
  patched?(id: TrackerPatch): boolean;
};

/** The patches the tracker asks for, on behalf of the workflow that owns it. */
export type TrackerPatch = 'late-invitation-pinned' | 'bring-forward-before-due';

export class DeadlineTracker {
  private plan: DeadlinePlan;
  private readonly handled = new Set<string>();
  /**
   * Steps the late-start rule decided to send although their moment had passed (the invitation).
   * The decision stands: a step that falls due before it actually goes out (the report's first
   * activities ran late) does not replace it; and such a step is due from the start, not late.
   */
  private readonly pinned = new Set<string>();
  private readonly startedAt = Date.now();
  private changes = 0;
  private duePassedAnnounced = false;
  private level = 0;

  constructor(private readonly options: DeadlineTrackerOptions) {
    this.plan = this.replan(options.dueAt);
    this.skipPast('skipped-before-start', { honourSendIfLate: true });
  }

  get dueAt(): Date {
    return this.options.dueAt;
  }

  get escalationLevel(): number {
    return this.level;
  }

  get round(): string {
    return this.options.round;
  }

  /** The zone the policy counts days in. */
  get timezone(): string {
    return this.options.calendar.timezone;
  }

  /** Planned sends that have neither gone out nor been skipped, in order. */
  pending(): PlannedSend[] {
    return this.plan.sends.filter((send) => !this.handled.has(occurrenceKey(send)));
  }

  /**
   * Moves the due date: every pending step moves with it; steps already sent are not sent again,
   * and steps that now lie in the past are skipped rather than sent in a burst.
   */
  moveDue(dueAt: Date): void {
    this.options.dueAt = dueAt;
    this.plan = this.replan(dueAt);
    this.duePassedAnnounced = false;
    this.skipPast('skipped-after-change', { honourSendIfLate: false });
    this.changes += 1;
  }

  /** Runs the reminder ladder until `settled()` holds (the thing arrived, or the workflow must act). */
  async run(settled: () => boolean): Promise<void> {
    while (!settled()) {
      const seenChanges = this.changes;
      const interrupted = () => settled() || this.changes !== seenChanges;
      const target = this.nextTarget();
      if (target === undefined) {
        await condition(interrupted);
        continue;
      }
      const wait = target.at.getTime() - this.clock(target.at);
      // The timer names the step it waits for, so the Temporal Web UI shows 'reminder-2w', not '1'.
      if (wait > 0 && (await condition(interrupted, wait, { summary: target.summary }))) continue;

      const now = new Date(Date.now());
      if (!this.duePassedAnnounced && now.getTime() >= this.options.dueAt.getTime()) {
        this.duePassedAnnounced = true;
        await this.options.onDuePassed?.();
        continue;
      }
      const due = this.pending().filter((send) => send.sendAt.getTime() <= now.getTime());
      if (due.length === 0) continue;
      // After downtime we may wake at night or on a Sunday: catch-ups obey the calendar too.
      const allowedAt = nextAllowedMoment(now, this.options.calendar);
      if (allowedAt.getTime() > now.getTime()) {
        const waiting = due.map((send) => this.summaryOf(send)).join(', ');
        await condition(interrupted, allowedAt.getTime() - now.getTime(), { summary: `${waiting}: waits for sending hours` });
        continue;
      }
      await this.sendDue(due, now, settled);
    }
  }

  private async sendDue(due: PlannedSend[], now: Date, settled: () => boolean): Promise<void> {
    // Pinning matters only when something fell due with a pinned step; workflows that decided such
    // a batch before pinning existed keep their choice on replay.
    const pinnedDue = due.length > 1 && due.some((send) => this.pinned.has(occurrenceKey(send)));
    const pinned = pinnedDue && this.isPatched('late-invitation-pinned') ? this.pinned : undefined;
    const selection = catchUpSelection(due, pinned);
    const chosen = new Set(selection.map((item) => occurrenceKey(item.send)));
    const late = (send: PlannedSend) => {
      const plannedAt = this.pinned.has(occurrenceKey(send)) ? Math.max(send.sendAt.getTime(), this.startedAt) : send.sendAt.getTime();
      return now.getTime() - plannedAt > CATCH_UP_TOLERANCE_MS;
    };
    for (const send of due) {
      this.handled.add(occurrenceKey(send));
      if (!chosen.has(occurrenceKey(send))) this.record(send, send.recipients, 'superseded', now, late(send), supersedingSend(send, selection));
    }
    const reached = Math.max(...due.map((send) => send.escalationLevel));
    for (const { send, recipients } of selection) {
      // The thing may arrive while an earlier mail of the batch is being sent: send no more then.
      if (settled()) {
        this.record(send, recipients, 'skipped-after-change', now, false);
        continue;
      }
      this.record(send, recipients, 'sent', now, late(send));
      await this.deliverUnlessSettled({ send, recipients, catchUp: late(send) }, settled);
    }
    if (reached > this.level) {
      this.level = reached;
      await this.options.onEscalation?.(reached);
    }
  }

  /**
   * A mail still being retried (say the server answers 4xx for hours) is called off the moment the
   * thing arrives: the scope's cancellation stops further attempts of its activity.
   */
  private async deliverUnlessSettled(delivery: DeliverySend, settled: () => boolean): Promise<void> {
    const scope = new CancellationScope();
    let finished = false;
    const sending = scope.run(() => this.options.deliver(delivery)).finally(() => {
      finished = true;
    });
    const callOff = condition(() => finished || settled()).then(() => {
      if (!finished) scope.cancel();
    });
    try {
      await sending;
    } catch (error) {
      if (!isCancellation(error)) throw error;
      this.record(delivery.send, delivery.recipients, 'called-off', new Date(Date.now()), delivery.catchUp);
    } finally {
      await callOff;
    }
  }

  /**
   * Now, for a wait until `target`: the workflow's clock, or `notBefore` when that is later (but
   * short of the target, so a clock ahead of the server's still waits, briefly, and never spins).
   */
  private clock(target: Date): number {
    const now = Date.now();
    const notBefore = this.options.notBefore?.getTime();
    // Written so an invalid moment (NaN) counts as none.
    if (notBefore === undefined || !(notBefore > now) || now >= target.getTime()) return now;
    return Math.min(notBefore, target.getTime() - 1);
  }

  /** The next moment to wake, and what for (the earliest step, or the due moment itself). */
  private nextTarget(): { at: Date; summary: string } | undefined {
    const candidates = this.pending().map((send) => ({ at: send.sendAt.getTime(), summary: this.summaryOf(send) }));
    if (!this.duePassedAnnounced) candidates.push({ at: this.options.dueAt.getTime(), summary: stepSummary(this.options.round, 'due', 0) });
    if (candidates.length === 0) return undefined;
    const earliest = candidates.reduce((a, b) => (b.at < a.at ? b : a));
    return { at: new Date(earliest.at), summary: earliest.summary };
  }

  private isPatched(id: TrackerPatch): boolean {
    return this.options.patched ? this.options.patched(id) : patched(id);
  }

  private summaryOf(send: PlannedSend): string {
    return stepSummary(this.options.round, send.stepId, send.occurrence);
  }

  private replan(dueAt: Date): DeadlinePlan {
    // Workflows that began when such steps were dropped keep that plan on replay.
    const bringForward = this.isPatched('bring-forward-before-due');
    return planDeadline({ policy: this.options.policy, dueAt, calendar: this.options.calendar, bringForward });
  }

  private skipPast(outcome: TrackedSendOutcome, { honourSendIfLate }: { honourSendIfLate: boolean }): void {
    const now = new Date(Date.now());
    const stepsById = new Map(this.options.policy.steps.map((step) => [step.id, step]));
    const late = this.pending().filter((send) => send.sendAt.getTime() <= now.getTime());
    const sendAnyway = new Set<string>();
    if (honourSendIfLate) {
      // A step marked sendIfLate (the invitation) still goes out once: it carries the form link.
      for (const send of late) {
        if (stepsById.get(send.stepId)?.sendIfLate && send.occurrence === 0) sendAnyway.add(occurrenceKey(send));
      }
    }
    for (const key of sendAnyway) this.pinned.add(key);
    for (const send of late) {
      if (sendAnyway.has(occurrenceKey(send))) continue;
      this.handled.add(occurrenceKey(send));
      this.record(send, send.recipients, outcome, now, false);
    }
  }

  private record(
    send: PlannedSend,
    recipients: RecipientRole[],
    outcome: TrackedSendOutcome,
    at: Date,
    catchUp: boolean,
    supersededBy?: PlannedSend,
  ): void {
    this.options.record({
      at: at.toISOString(),
      stepId: send.stepId,
      occurrence: send.occurrence,
      template: send.template,
      plannedFor: send.sendAt.toISOString(),
      recipients,
      outcome,
      catchUp,
      ...(supersededBy && { supersededBy: occurrenceKey(supersededBy) }),
    });
  }
}

/** How a step reads in the Temporal Web UI: 'reminder-2w', 'revision-1 revision-reminder', a repeat as '#2'. */
export function stepSummary(round: string, stepId: string, occurrence: number): string {
  return `${round === 'initial' ? '' : `${round} `}${stepId}${occurrence > 0 ? ` #${occurrence + 1}` : ''}`;
}

/**
 * The summary of a send, read back from its key prefix: '<workflowId>/<round>/<stepId>#<n>' names a
 * step ('reminder-3w'), '<workflowId>/notice/<key>' a one-off notice ('welcome').
 */
export function noticeSummary(keyPrefix: string, workflowId: string): string {
  const rest = keyPrefix.startsWith(`${workflowId}/`) ? keyPrefix.slice(workflowId.length + 1) : keyPrefix;
  const step = /^([^/]+)\/([^/#]+)#(\d+)$/.exec(rest);
  if (step?.[1] && step[2] && step[3] !== undefined && step[1] !== 'notice') return stepSummary(step[1], step[2], Number(step[3]));
  return rest.replace(/^notice\//, '');
}
