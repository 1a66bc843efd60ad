/**
 * One partner's annual report for one year, as a ministry clerk would describe it:
 * invite, remind, notice, escalate; receive the report; accept it or ask for a revision
 * (which starts its own short deadline); extend, waive or close on request.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { ReportingContext } from '../activities/reporting';
import { dueAtEndOfDay, isLocalDate, revisionDueAt } from '../src/domain/due-date';
import type { NoticeTemplate, RecipientRole } from '../src/domain/notice-templates';
import type { ReportingPolicy } from '../src/domain/policy';
import { parseReportSubmission } from '../src/domain/report';
import { EscalationLevel, ReportState } from '../src/temporal/search-attributes';
import { DeadlineTracker, type TrackerEvent } from './deadline-tracker';

type Activities = ReturnType<typeof createActivities>;

// Reading and writing our own database: quick, retried with backoff until it works.
const { loadReportingContext, recordReportState, storeReportVersion, recordReview } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

// SMTP: 4xx and network errors are retried with backoff; 5xx come back as results, not errors.
const { sendNotice } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

export type AnnualReportInput = {
  partnerNumber: number;
  year: number;
  /** For drills: an exact due moment (ISO) instead of the cycle's due date. */
  dueAt?: string;
};

export type ReportPhase =
  | 'awaiting_submission'
  | 'overdue'
  | 'submitted'
  | 'revision_requested'
  | 'accepted'
  | 'waived'
  | 'closed';

const finalPhases: ReportPhase[] = ['accepted', 'waived', 'closed'];
const openPhases: ReportPhase[] = ['awaiting_submission', 'overdue', 'revision_requested'];

export type SubmissionReceipt = { reference: string; version: number; submittedAt: string };

export type TimelineEntry =
  | (TrackerEvent & { kind: 'deadline'; round: string; deliveries?: DeliveryView[] })
  | { kind: 'notice'; at: string; template: NoticeTemplate; recipients: RecipientRole[]; deliveries: DeliveryView[] }
  | { kind: 'event'; at: string; action: string; by?: string; details?: Record<string, unknown> };

export type DeliveryView = { role: string; recipient: string; status: string; error?: string };

export type ReportStatusView = {
  partnerNumber: number;
  /** Empty while the workflow is still loading its context. */
  partnerName: string;
  year: number;
  phase: ReportPhase;
  round: string;
  /** Empty while the workflow is still loading its context. */
  dueAt: string;
  escalationLevel: number;
  versions: SubmissionReceipt[];
  nextStep?: { stepId: string; template: NoticeTemplate; sendAt: string; recipients: RecipientRole[] };
};

export type StaffAction = { by: string };

export const submitReportUpdate = defineUpdate<SubmissionReceipt, [{ report: unknown; submittedBy?: string }]>(
  'submitReport',
);
export const acceptReportUpdate = defineUpdate<ReportStatusView, [StaffAction & { comment?: string }]>('acceptReport');
export const requestRevisionUpdate = defineUpdate<ReportStatusView, [StaffAction & { comments: string }]>(
  'requestRevision',
);
export const grantExtensionUpdate = defineUpdate<ReportStatusView, [StaffAction & { dueDate: string; reason: string }]>(
  'grantExtension',
);
export const waiveReportUpdate = defineUpdate<ReportStatusView, [StaffAction & { reason: string }]>('waiveReport');
export const closeReportUpdate = defineUpdate<ReportStatusView, [StaffAction & { reason?: string }]>('closeReport');

export const reportStatusQuery = defineQuery<ReportStatusView>('status');
export const reportTimelineQuery = defineQuery<TimelineEntry[]>('timeline');
export const reportScheduleQuery = defineQuery<
  { stepId: string; occurrence: number; template: NoticeTemplate; sendAt: string; recipients: RecipientRole[] }[]
>('schedule');

type OneOffNotice = { key: string; template: NoticeTemplate; recipients: RecipientRole[]; extra: Record<string, unknown> };
type Decision = { by: string };

export async function annualReportWorkflow(input: AnnualReportInput): Promise<ReportStatusView> {
  // Handlers come first: a query or update may arrive before the context has loaded.
  let report: AnnualReport | undefined;
  const loaded = async (): Promise<AnnualReport> => {
    await condition(() => report !== undefined);
    return report as AnnualReport;
  };
  const phase = () => report?.phase ?? 'awaiting_submission';

  setHandler(reportStatusQuery, () => report?.view() ?? startingView(input));
  setHandler(reportTimelineQuery, () => report?.timeline ?? []);
  setHandler(reportScheduleQuery, () => report?.schedule() ?? []);

  setHandler(submitReportUpdate, async (args) => (await loaded()).submit(args), {
    validator: ({ report: body }) => {
      if (report?.storing) throw invalidState('another submission is being stored');
      if (phase() !== 'submitted') requireOpen(phase(), 'submit');
      const parsed = parseReportSubmission(body);
      if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.errors.join('\n'), 'InvalidReport', { errors: parsed.errors });
    },
  });
  setHandler(acceptReportUpdate, async (args) => (await loaded()).accept(args), {
    validator: ({ by }) => {
      requireText('by', by);
      requirePhase(phase(), 'submitted', 'accept');
    },
  });
  setHandler(requestRevisionUpdate, async (args) => (await loaded()).requestRevision(args), {
    validator: ({ by, comments }) => {
      requireText('by', by);
      requireText('comments', comments);
      requirePhase(phase(), 'submitted', 'request a revision');
    },
  });
  setHandler(grantExtensionUpdate, async (args) => (await loaded()).grantExtension(args), {
    validator: ({ by, dueDate, reason }) => {
      requireText('by', by);
      requireText('reason', reason);
      requireOpen(phase(), 'grant an extension');
      if (!isLocalDate(dueDate)) throw invalidInput('dueDate: must be a calendar date as YYYY-MM-DD');
      report?.checkLaterDueDate(dueDate);
    },
  });
  setHandler(waiveReportUpdate, async (args) => (await loaded()).waive(args), {
    validator: ({ by, reason }) => {
      requireText('by', by);
      requireText('reason', reason);
      requireNotFinal(phase(), 'waive');
    },
  });
  setHandler(closeReportUpdate, async (args) => (await loaded()).close(args), {
    validator: ({ by }) => {
      requireText('by', by);
      requireNotFinal(phase(), 'close');
    },
  });

  const context = await loadReportingContext({ partnerNumber: input.partnerNumber, year: input.year, dueAt: input.dueAt });
  report = new AnnualReport(input, context);
  return report.chase();
}

/** The state of one report and what a clerk does with it. */
class AnnualReport {
  phase: ReportPhase = 'awaiting_submission';
  storing = false;
  readonly timeline: TimelineEntry[] = [];
  private readonly versions: SubmissionReceipt[] = [];
  private readonly outbox: OneOffNotice[] = [];
  private readonly policy: ReportingPolicy;
  private readonly workflowId = workflowInfo().workflowId;
  private tracker: DeadlineTracker;
  private revisions = 0;
  private persisted: Promise<void> = Promise.resolve();

  constructor(
    private readonly input: AnnualReportInput,
    private readonly context: ReportingContext,
  ) {
    this.policy = context.policy;
    this.tracker = this.trackerFor('initial', new Date(context.dueAt), this.policy.deadline);
  }

  /** The clerk's loop: chase the report while it is open; send one-off notices as they arise. */
  async chase(): Promise<ReportStatusView> {
    upsertSearchAttributes([{ key: ReportState, value: this.phase }]);
    await this.saveState('started', 'system', { dueAt: this.tracker.dueAt.toISOString() });
    while (!(finalPhases.includes(this.phase) && this.outbox.length === 0)) {
      const notice = this.outbox.shift();
      if (notice) {
        await this.sendOneOff(notice);
      } else if (openPhases.includes(this.phase)) {
        const current = this.tracker;
        await current.run(() => !openPhases.includes(this.phase) || this.outbox.length > 0 || this.tracker !== current);
      } else {
        await condition(() => this.outbox.length > 0 || !(this.phase === 'submitted'));
      }
    }
    await this.persisted;
    await condition(allHandlersFinished);
    return this.view();
  }

  async submit({ report, submittedBy }: { report: unknown; submittedBy?: string }): Promise<SubmissionReceipt> {
    const parsed = parseReportSubmission(report);
    if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.errors.join('\n'), 'InvalidReport');
    this.storing = true;
    try {
      const receipt = await storeReportVersion({
        partnerNumber: this.input.partnerNumber,
        year: this.input.year,
        version: this.versions.length + 1,
        content: parsed.report,
        submittedAt: now().toISOString(),
        submittedBy: submittedBy ?? 'partner',
        workflowId: this.workflowId,
        updateId: currentUpdateInfo()?.id ?? `v${this.versions.length + 1}`,
      });
      this.versions.push(receipt);
      this.notify(`received-v${receipt.version}`, 'report-received', {
        reference: receipt.reference,
        version: receipt.version,
        submittedAt: receipt.submittedAt,
      });
      await this.changePhase('submitted', submittedBy ?? 'partner', { reference: receipt.reference });
      return receipt;
    } finally {
      this.storing = false;
    }
  }

  async accept({ by, comment }: Decision & { comment?: string }): Promise<ReportStatusView> {
    await this.review('accepted', by, comment);
    this.notify(`accepted-v${this.versions.length}`, 'report-accepted', {
      reference: this.versions.at(-1)?.reference,
      version: this.versions.length,
    });
    await this.changePhase('accepted', `staff:${by}`, comment ? { comment } : undefined);
    return this.view();
  }

  async requestRevision({ by, comments }: Decision & { comments: string }): Promise<ReportStatusView> {
    await this.review('revision_requested', by, comments);
    this.revisions += 1;
    const dueAt = revisionDueAt(now(), this.policy.revision.period, this.context.calendar.timezone);
    this.tracker = this.trackerFor(`revision-${this.revisions}`, dueAt, this.policy.revision.deadline);
    this.notify(`revision-${this.revisions}`, 'report-revision-requested', {
      comments,
      reference: this.versions.at(-1)?.reference,
    });
    await this.changePhase('revision_requested', `staff:${by}`, { comments, dueAt: dueAt.toISOString() });
    return this.view();
  }

  async grantExtension({ by, dueDate, reason }: Decision & { dueDate: string; reason: string }): Promise<ReportStatusView> {
    this.checkLaterDueDate(dueDate);
    this.tracker.moveDue(dueAtEndOfDay(dueDate, this.context.calendar.timezone));
    this.notify(`extension-${dueDate}`, 'report-extension-granted', { reason });
    const reopened: ReportPhase = this.phase === 'overdue' ? 'awaiting_submission' : this.phase;
    await this.changePhase(reopened, `staff:${by}`, { action: 'extension-granted', dueDate, reason });
    return this.view();
  }

  async waive({ by, reason }: Decision & { reason: string }): Promise<ReportStatusView> {
    this.notify('waived', 'report-waived', { reason });
    await this.changePhase('waived', `staff:${by}`, { reason });
    return this.view();
  }

  async close({ by, reason }: Decision & { reason?: string }): Promise<ReportStatusView> {
    await this.changePhase('closed', `staff:${by}`, reason ? { reason } : undefined);
    return this.view();
  }

  checkLaterDueDate(dueDate: string): void {
    if (dueAtEndOfDay(dueDate, this.context.calendar.timezone).getTime() <= this.tracker.dueAt.getTime()) {
      throw invalidInput(`dueDate: must be later than the current due date (${this.tracker.dueAt.toISOString()})`);
    }
  }

  view(): ReportStatusView {
    const next = openPhases.includes(this.phase) ? this.tracker.pending()[0] : undefined;
    return {
      partnerNumber: this.input.partnerNumber,
      partnerName: this.context.partnerName,
      year: this.input.year,
      phase: this.phase,
      round: this.tracker.round,
      dueAt: this.tracker.dueAt.toISOString(),
      escalationLevel: this.tracker.escalationLevel,
      versions: [...this.versions],
      nextStep: next && {
        stepId: next.stepId,
        template: next.template,
        sendAt: next.sendAt.toISOString(),
        recipients: next.recipients,
      },
    };
  }

  schedule() {
    return this.tracker.pending().map((send) => ({
      stepId: send.stepId,
      occurrence: send.occurrence,
      template: send.template,
      sendAt: send.sendAt.toISOString(),
      recipients: send.recipients,
    }));
  }

  private trackerFor(round: string, dueAt: Date, policy: ReportingPolicy['deadline']): DeadlineTracker {
    const tracker: DeadlineTracker = new DeadlineTracker({
      round,
      policy,
      dueAt,
      calendar: this.context.calendar,
      record: (entry) => this.timeline.push({ ...entry, kind: 'deadline', round }),
      deliver: async ({ send, recipients, catchUp }) => {
        const result = await sendNotice({
          keyPrefix: `${this.workflowId}/${round}/${send.stepId}#${send.occurrence}`,
          workflowId: this.workflowId,
          template: send.template,
          partnerNumber: this.input.partnerNumber,
          recipients,
          context: {
            year: this.input.year,
            dueAt: tracker.dueAt.toISOString(),
            round: round === 'initial' ? 'initial' : 'revision',
            escalationLevel: send.escalationLevel,
          },
          // The invitation carries the due date as a calendar entry.
          ics: send.kind === 'invitation' ? { summary: `Jahresbericht ${this.input.year}` } : undefined,
        });
        const entry = [...this.timeline]
          .reverse()
          .find((item) => item.kind === 'deadline' && item.round === round && item.stepId === send.stepId && item.occurrence === send.occurrence);
        if (entry?.kind === 'deadline') entry.deliveries = result.deliveries;
        if (catchUp) this.event('catch-up-sent', undefined, { stepId: send.stepId });
      },
      onDuePassed: async () => {
        if (this.phase === 'awaiting_submission' || this.phase === 'revision_requested') {
          await this.changePhase('overdue', 'system');
        }
      },
      onEscalation: async () => {
        await this.saveState('escalated', 'system');
      },
    });
    return tracker;
  }

  private notify(key: string, template: NoticeTemplate, extra: Record<string, unknown>): void {
    this.outbox.push({ key, template, recipients: ['partner_main_contact'], extra });
  }

  private async sendOneOff(notice: OneOffNotice): Promise<void> {
    const result = await sendNotice({
      keyPrefix: `${this.workflowId}/notice/${notice.key}`,
      workflowId: this.workflowId,
      template: notice.template,
      partnerNumber: this.input.partnerNumber,
      recipients: notice.recipients,
      context: {
        year: this.input.year,
        dueAt: this.tracker.dueAt.toISOString(),
        round: this.tracker.round === 'initial' ? 'initial' : 'revision',
        ...notice.extra,
      },
    });
    this.timeline.push({
      kind: 'notice',
      at: now().toISOString(),
      template: notice.template,
      recipients: notice.recipients,
      deliveries: result.deliveries,
    });
  }

  private async review(review: 'accepted' | 'revision_requested', by: string, comment: string | undefined): Promise<void> {
    await recordReview({
      partnerNumber: this.input.partnerNumber,
      year: this.input.year,
      version: this.versions.length,
      review,
      comment,
      by,
      at: now().toISOString(),
    });
  }

  private event(action: string, by?: string, details?: Record<string, unknown>): void {
    this.timeline.push({ kind: 'event', at: now().toISOString(), action, by, details });
  }

  private async changePhase(next: ReportPhase, actor: string, details?: Record<string, unknown>): Promise<void> {
    this.phase = next;
    this.event(next, actor, details);
    await this.saveState(next, actor, details);
  }

  // State is persisted in order, even when handlers and the main loop change it concurrently.
  private saveState(action: string, actor: string, details?: Record<string, unknown>): Promise<void> {
    const snapshot = { phase: this.phase, dueAt: this.tracker.dueAt.toISOString(), escalationLevel: this.tracker.escalationLevel };
    const eventKey = `${this.workflowId}/${this.timeline.length}/${action}`;
    upsertSearchAttributes([
      { key: ReportState, value: snapshot.phase },
      { key: EscalationLevel, value: snapshot.escalationLevel },
    ]);
    const record = () =>
      recordReportState({
        partnerNumber: this.input.partnerNumber,
        year: this.input.year,
        workflowId: this.workflowId,
        status: snapshot.phase,
        dueAt: snapshot.dueAt,
        escalationLevel: snapshot.escalationLevel,
        occurredAt: now().toISOString(),
        actor,
        action,
        details,
        eventKey,
      });
    this.persisted = this.persisted.then(record);
    return this.persisted;
  }
}

function now(): Date {
  return new Date(Date.now());
}

function startingView(input: AnnualReportInput): ReportStatusView {
  return {
    partnerNumber: input.partnerNumber,
    partnerName: '',
    year: input.year,
    phase: 'awaiting_submission',
    round: 'initial',
    dueAt: '',
    escalationLevel: 0,
    versions: [],
  };
}

function invalidState(reason: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`state: ${reason}`, 'InvalidState');
}

function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'InvalidInput');
}

function requireOpen(phase: ReportPhase, action: string): void {
  if (!openPhases.includes(phase)) throw invalidState(`cannot ${action} while the report is ${phase}`);
}

function requirePhase(phase: ReportPhase, wanted: ReportPhase, action: string): void {
  if (phase !== wanted) throw invalidState(`cannot ${action} while the report is ${phase}`);
}

function requireNotFinal(phase: ReportPhase, action: string): void {
  if (finalPhases.includes(phase)) throw invalidState(`cannot ${action}: the report is already ${phase}`);
}

function requireText(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') throw invalidInput(`${field}: must not be empty`);
}
