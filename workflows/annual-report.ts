/**
 * One partner's annual report for one year, as a ministry clerk would describe it:
 * invite, remind, notice, escalate; receive the report; accept it or ask for a revision
 * (which starts its own short deadline); extend, waive or close on request.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { createActivities } from '../activities';
import type { ReportingContext } from '../activities/reporting';
import type { z } from 'zod';
import { dueAtEndOfDay, revisionDueAt } from '../src/domain/due-date';
import type { AcceptArgs, CloseArgs, ExtensionArgs, RevisionArgs, WaiverArgs } from '../src/domain/report-decisions';
import { decisionPhases, finalReportPhases, openReportPhases, type ReportPhase } from '../src/domain/report-phase';
import type { NoticeTemplate, RecipientRole } from '../src/domain/notice-families';
import { sendingCalendarOf } from '../src/domain/calendar';
import type { ReportingPolicy } from '../src/domain/policy';
import {
  acceptReportUpdate,
  annualReportPatches,
  closeReportUpdate,
  grantExtensionUpdate,
  reportScheduleQuery,
  reportStatusQuery,
  reportTimelineQuery,
  requestRevisionUpdate,
  resendNoticeUpdate,
  submitReportUpdate,
  waiveReportUpdate,
  type AnnualReportInput,
  type AnnualReportPatch,
  type AnnualReportWorkflow,
  type DeliveryView,
  type ReportStatusView,
  type SubmissionReceipt,
  type SubmitReportArgs,
  type TimelineEntry,
} from './contracts/annual-report';
import { EscalationLevel, ReportPhase as ReportPhaseAttribute } from './contracts/search-attributes';
import { DeadlineTracker, stepSummary } from './deadline-tracker';
import { patchesBegunWith, type PatchCheck } from './patches';
import { deliverNotice, type NoticeInput } from './notice-delivery';
import { NoticeResends } from './notice-resends';
import { invalidInput, invalidState, now, parseArgs } from './refusals';
import { databaseActivity, databaseRetry } from './activity-options';
import { reportDecisions } from './report-decisions';
import { parseReportSubmission } from './report-submission';

type Activities = ReturnType<typeof createActivities>;

// Reading and writing our own database: quick, retried until it works, at most 5 s apart, and
// elsewhere within seconds when a worker dies (activity-options.ts).
const { loadReportingContext, recordReportState, storeReportVersion, recordReview } = proxyActivities<Activities>(databaseActivity);

// The report's first step, run inside its first workflow task instead of as two activities with a
// task between them: at a thousand starts, those extra tasks and activity round trips were most
// of the time until every report had its first state. Retried as the database calls above; a
// local activity that outlives the task is carried over to the next task by the SDK.
const { openReport } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: databaseRetry,
});

const finalPhases = finalReportPhases;
const openPhases = openReportPhases;

type OneOffNotice = { key: string; template: NoticeTemplate; recipients: RecipientRole[]; extra: Record<string, unknown> };

export const annualReportWorkflow: AnnualReportWorkflow = async (input) => {
  // Handlers come first: a query or update may arrive before the context has loaded.
  let report: AnnualReport | undefined;
  // Once loaded, a handler must reach the report without an await: its first synchronous step
  // marks the report busy, so a second Update in the same activation is refused by its validator.
  const loaded = async (): Promise<AnnualReport> => {
    if (report) return report;
    await condition(() => report !== undefined);
    return report as unknown as AnnualReport;
  };
  const phase = () => report?.phase ?? 'awaiting_submission';
  const requireIdle = () => {
    if (report?.busy) throw invalidState(`another change (${report.busy}) is in progress; try again in a moment`);
  };

  setHandler(reportStatusQuery, () => report?.view() ?? startingView(input));
  setHandler(reportTimelineQuery, () => report?.timeline ?? []);
  setHandler(reportScheduleQuery, () => report?.schedule() ?? []);

  // Every change is an Update: its validator refuses bad input and wrong phases synchronously,
  // before anything is written; the handler then acts on the parsed arguments.
  const handle = <A, P, R>(
    update: UpdateDefinition<R, [A]>,
    parse: (args: A) => P,
    allowedNow: (parsed: P) => void,
    apply: (report: AnnualReport, parsed: P) => Promise<R>,
  ) =>
    setHandler(update, async (args) => apply(report ?? (await loaded()), parse(args)), {
      validator: (args) => {
        requireIdle();
        allowedNow(parse(args));
      },
    });

  // One row per Update: how its arguments parse, when it is allowed, what it does.
  handle(
    submitReportUpdate,
    (args: SubmitReportArgs) => args,
    ({ report: body }) => {
      if (phase() !== 'submitted') requireOpen(phase(), 'submit');
      const parsed = parseReportSubmission(body);
      if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.errors.join('\n'), 'InvalidReport', { errors: parsed.errors });
    },
    (r, args) => r.submit(args),
  );
  handle(
    acceptReportUpdate,
    (args) => parseArgs(reportDecisions().acceptArgsSchema, args),
    () => requireDecisionPhase(phase(), decisionPhases.accept, 'accept'),
    (r, args) => r.accept(args),
  );
  handle(
    requestRevisionUpdate,
    (args) => parseArgs(reportDecisions().revisionArgsSchema, args),
    () => requireDecisionPhase(phase(), decisionPhases.revision, 'request a revision'),
    (r, args) => r.requestRevision(args),
  );
  handle(
    grantExtensionUpdate,
    (args) => parseArgs(reportDecisions().extensionArgsSchema, args),
    ({ dueDate }) => {
      requireDecisionPhase(phase(), decisionPhases.extension, 'grant an extension');
      report?.checkLaterDueDate(dueDate);
    },
    (r, args) => r.grantExtension(args),
  );
  handle(
    waiveReportUpdate,
    (args) => parseArgs(reportDecisions().waiverArgsSchema, args),
    () => requireDecisionPhase(phase(), decisionPhases.waiver, 'waive'),
    (r, args) => r.waive(args),
  );
  handle(
    closeReportUpdate,
    (args) => parseArgs(reportDecisions().closeArgsSchema, args),
    () => requireNotFinal(phase(), 'close'),
    (r, args) => r.close(args),
  );
  handle(
    resendNoticeUpdate,
    (args) => parseArgs(reportDecisions().resendArgsSchema, args),
    ({ idempotencyKey }) => {
      if (!report) throw invalidState('the report is still starting; try again in a moment');
      report.resends.target(idempotencyKey);
    },
    (r, args) => Promise.resolve(r.resends.resend(args)),
  );

  const patches = patchesBegunWith(annualReportPatches, input.patchesBuiltIn);
  // Reports begun before the first step ran locally load their context and record their first state
  // as two activities, and replay so.
  if (patches.patched('open-report-locally')) {
    const { workflowId, runId } = workflowInfo();
    const context = await openReport({
      partnerNumber: input.partnerNumber,
      year: input.year,
      dueAt: input.dueAt,
      workflowId,
      occurredAt: now().toISOString(),
      eventKey: `${workflowId}/${runId}/open/started`,
    });
    report = new AnnualReport(input, patches, context, new Date(context.openedAt));
    return report.chase({ startRecorded: true });
  }
  const context = await loadReportingContext({ partnerNumber: input.partnerNumber, year: input.year, dueAt: input.dueAt });
  report = new AnnualReport(input, patches, context);
  return report.chase({ startRecorded: false });
};

/** The state of one report and what a clerk does with it. */
class AnnualReport {
  phase: ReportPhase = 'awaiting_submission';
  /** The change being made right now; Updates are refused meanwhile (see requireIdle). */
  busy: string | undefined;
  readonly timeline: TimelineEntry[] = [];
  private readonly versions: SubmissionReceipt[] = [];
  private readonly outbox: OneOffNotice[] = [];
  private readonly policy: ReportingPolicy;
  private readonly workflowId = workflowInfo().workflowId;
  private readonly runId = workflowInfo().runId;
  private tracker: DeadlineTracker;
  private revisions = 0;
  private persisted: Promise<void> = Promise.resolve();
  /** What this report sent, and the resends admins ask for (sent beside the clerk's loop). */
  readonly resends = new NoticeResends({
    sender: 'this report',
    deliver: (input, summary) => this.deliverSafely(input, summary),
    queued: ({ by, ...details }) => this.event('notice-resend', `staff:${by}`, details),
    sent: (input, deliveries) =>
      this.timeline.push({ kind: 'notice', at: now().toISOString(), template: input.template as NoticeTemplate, recipients: input.recipients as RecipientRole[], deliveries }),
  });

  /** `openedAt`: when openReport finished by the clock, if it ran in this task (ReportOpening). */
  constructor(
    private readonly input: AnnualReportInput,
    private readonly patches: PatchCheck<AnnualReportPatch>,
    private readonly context: ReportingContext,
    openedAt?: Date,
  ) {
    this.policy = context.policy;
    this.tracker = this.trackerFor('initial', new Date(context.dueAt), this.policy.deadline, openedAt);
  }

  /**
   * The clerk's loop: chase the report while it is open; send one-off notices as they arise.
   * `startRecorded`: openReport has recorded the first state already.
   */
  async chase({ startRecorded }: { startRecorded: boolean }): Promise<ReportStatusView> {
    const resender = this.resends.run();
    if (startRecorded) {
      // A report begun with its first state's search attributes (annualReportStart) shows them already.
      if (!this.patches.builtIn('state-shown-at-start')) this.showState();
    } else {
      upsertSearchAttributes([{ key: ReportPhaseAttribute, value: this.phase }]);
      await this.saveState('started', 'system', { dueAt: this.tracker.dueAt.toISOString() });
    }
    for (;;) {
      const notice = this.outbox.shift();
      if (notice) {
        await this.sendOneOff(notice);
      } else if (finalPhases.includes(this.phase)) {
        // Finished, once every handler has finished too: one may still queue a notice.
        await condition(() => this.outbox.length > 0 || allHandlersFinished());
        if (this.outbox.length === 0) break;
      } else if (openPhases.includes(this.phase)) {
        const current = this.tracker;
        await current.run(() => !openPhases.includes(this.phase) || this.outbox.length > 0 || this.tracker !== current);
      } else {
        await condition(() => this.outbox.length > 0 || this.phase !== 'submitted');
      }
    }
    this.resends.close();
    await resender;
    await this.persisted;
    return this.view();
  }

  submit({ report, submittedBy }: { report: unknown; submittedBy?: string }): Promise<SubmissionReceipt> {
    return this.exclusively('submit', async () => {
      const content = reportContent(report, this.patches);
      const receipt = await storeReportVersion({
        partnerNumber: this.input.partnerNumber,
        year: this.input.year,
        version: this.versions.length + 1,
        content,
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
      await this.changePhase('submitted', 'submitted', submittedBy ?? 'partner', { reference: receipt.reference });
      return receipt;
    });
  }

  accept({ by, comment }: AcceptArgs): Promise<ReportStatusView> {
    return this.exclusively('accept', async () => {
      await this.review('accepted', by, comment);
      this.notify(`accepted-v${this.versions.length}`, 'report-accepted', {
        reference: this.versions.at(-1)?.reference,
        version: this.versions.length,
      });
      await this.changePhase('accepted', 'accepted', `staff:${by}`, comment ? { comment } : undefined);
      return this.view();
    });
  }

  requestRevision({ by, comments }: RevisionArgs): Promise<ReportStatusView> {
    return this.exclusively('revision request', async () => {
      await this.review('revision_requested', by, comments);
      this.revisions += 1;
      const revision = this.policy.revision;
      const dueAt = revisionDueAt(now(), revision.period, revision.deadline.timezone);
      this.tracker = this.trackerFor(`revision-${this.revisions}`, dueAt, revision.deadline);
      this.notify(`revision-${this.revisions}`, 'report-revision-requested', {
        comments,
        reference: this.versions.at(-1)?.reference,
      });
      await this.changePhase('revision_requested', 'revision-requested', `staff:${by}`, { comments, dueAt: dueAt.toISOString() });
      return this.view();
    });
  }

  grantExtension({ by, dueDate, reason }: ExtensionArgs): Promise<ReportStatusView> {
    return this.exclusively('extension', async () => {
      this.checkLaterDueDate(dueDate);
      this.tracker.moveDue(dueAtEndOfDay(dueDate, this.tracker.timezone));
      this.notify(`extension-${dueDate}`, 'report-extension-granted', { reason });
      // Overdue no more: back to waiting, in whichever round the report is.
      const reopened: ReportPhase =
        this.phase !== 'overdue' ? this.phase : this.tracker.round === 'initial' ? 'awaiting_submission' : 'revision_requested';
      await this.changePhase(reopened, 'extension-granted', `staff:${by}`, { dueDate, reason });
      return this.view();
    });
  }

  waive({ by, reason }: WaiverArgs): Promise<ReportStatusView> {
    return this.exclusively('waiver', async () => {
      this.notify('waived', 'report-waived', { reason });
      await this.changePhase('waived', 'waived', `staff:${by}`, { reason });
      return this.view();
    });
  }

  close({ by, reason }: CloseArgs): Promise<ReportStatusView> {
    return this.exclusively('closing', async () => {
      await this.changePhase('closed', 'closed', `staff:${by}`, reason ? { reason } : undefined);
      return this.view();
    });
  }

  /** An extension must move the date later, and not into the past. */
  checkLaterDueDate(dueDate: string): void {
    const dueAt = dueAtEndOfDay(dueDate, this.tracker.timezone).getTime();
    if (dueAt <= this.tracker.dueAt.getTime()) {
      throw invalidInput(`dueDate: must be later than the current due date (${this.tracker.dueAt.toISOString()})`);
    }
    if (dueAt <= Date.now()) throw invalidInput('dueDate: must not be in the past');
  }

  /** Runs one change at a time; `busy` is set before the first await, so validators see it. */
  private async exclusively<T>(change: string, body: () => Promise<T>): Promise<T> {
    if (finalPhases.includes(this.phase) && change !== 'submit') requireNotFinal(this.phase, change);
    this.busy = change;
    try {
      return await body();
    } finally {
      this.busy = undefined;
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

  private trackerFor(round: string, dueAt: Date, policy: ReportingPolicy['deadline'], notBefore?: Date): DeadlineTracker {
    const tracker: DeadlineTracker = new DeadlineTracker({
      round,
      policy,
      dueAt,
      notBefore,
      calendar: sendingCalendarOf(policy),
      patched: (id) => this.patches.patched(id),
      record: (entry) => this.timeline.push({ ...entry, kind: 'deadline', round }),
      deliver: async ({ send, recipients, catchUp }) => {
        const deliveries = await this.deliverSafely(
          {
          family: 'annual-report',
          keyPrefix: `${this.workflowId}/${round}/${send.stepId}#${send.occurrence}`,
          workflowId: this.workflowId,
          template: send.template,
          partnerNumber: this.input.partnerNumber,
          recipients,
          timezone: tracker.timezone,
          context: {
            year: this.input.year,
            dueAt: tracker.dueAt.toISOString(),
            round: round === 'initial' ? 'initial' : 'revision',
            escalationLevel: send.escalationLevel,
          },
          // The invitation carries the due date as a calendar entry.
          calendarEntry: send.kind === 'invitation',
          plannedFor: send.sendAt.toISOString(),
          },
          stepSummary(round, send.stepId, send.occurrence),
        );
        const entry = [...this.timeline]
          .reverse()
          .find((item) => item.kind === 'deadline' && item.round === round && item.stepId === send.stepId && item.occurrence === send.occurrence);
        if (entry?.kind === 'deadline') entry.deliveries = deliveries;
        if (catchUp) this.event('catch-up-sent', undefined, { stepId: send.stepId });
      },
      onDuePassed: async () => {
        if (this.phase === 'awaiting_submission' || this.phase === 'revision_requested') {
          await this.changePhase('overdue', 'overdue', 'system');
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
    const input: NoticeInput = {
      family: 'annual-report',
      keyPrefix: `${this.workflowId}/notice/${notice.key}`,
      workflowId: this.workflowId,
      template: notice.template,
      partnerNumber: this.input.partnerNumber,
      recipients: notice.recipients,
      timezone: this.tracker.timezone,
      context: {
        year: this.input.year,
        dueAt: this.tracker.dueAt.toISOString(),
        round: this.tracker.round === 'initial' ? 'initial' : 'revision',
        ...notice.extra,
      },
    };
    const deliveries = await this.deliverSafely(input, notice.template);
    this.timeline.push({ kind: 'notice', at: now().toISOString(), template: notice.template, recipients: notice.recipients, deliveries });
  }

  /**
   * Sends a notice; a notice that cannot be sent at all (after its retries) is recorded for staff
   * to see instead of failing the whole report.
   */
  private deliverSafely(input: NoticeInput, summary: string): Promise<DeliveryView[]> {
    this.resends.remember(input, summary);
    return deliverNotice(input, summary, {
      failed: (notice, reason) => this.event('notice-failed', undefined, { template: notice.template, reason }),
      recordsGiveUp: () => this.patches.patched('record-notice-gave-up'),
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

  private async changePhase(next: ReportPhase, action: string, actor: string, details?: Record<string, unknown>): Promise<void> {
    this.phase = next;
    this.event(action, actor, details);
    await this.saveState(action, actor, details);
  }

  /** The state as visibility shows it (search attributes); returns what it showed. */
  private showState(): { phase: ReportPhase; dueAt: string; escalationLevel: number } {
    const snapshot = { phase: this.phase, dueAt: this.tracker.dueAt.toISOString(), escalationLevel: this.tracker.escalationLevel };
    upsertSearchAttributes([
      { key: ReportPhaseAttribute, value: snapshot.phase },
      { key: EscalationLevel, value: snapshot.escalationLevel },
    ]);
    return snapshot;
  }

  // State is persisted in order, even when handlers and the main loop change it concurrently.
  private saveState(action: string, actor: string, details?: Record<string, unknown>): Promise<void> {
    const eventKey = `${this.workflowId}/${this.runId}/${this.timeline.length}/${action}`;
    const snapshot = this.showState();
    const record = () =>
      recordReportState({
        partnerNumber: this.input.partnerNumber,
        year: this.input.year,
        workflowId: this.workflowId,
        phase: snapshot.phase,
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

/**
 * The report as stored. Reports accepted under the earlier schema (which the current one, with
 * "not stated" values, refuses) are stored as they were accepted, so their histories replay.
 */
function reportContent(body: unknown, patches: PatchCheck<AnnualReportPatch>): unknown {
  if (!patches.patched('report-schema-not-stated')) return body;
  const parsed = parseReportSubmission(body);
  if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.errors.join('\n'), 'InvalidReport');
  return parsed.report;
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

function requireOpen(phase: ReportPhase, action: string): void {
  if (!openPhases.includes(phase)) throw invalidState(`cannot ${action} while the report is ${phase}`);
}

function requireDecisionPhase(phase: ReportPhase, allowed: readonly ReportPhase[], action: string): void {
  if (allowed.includes(phase)) return;
  throw invalidState(finalPhases.includes(phase) ? `cannot ${action}: the report is already ${phase}` : `cannot ${action} while the report is ${phase}`);
}

function requireNotFinal(phase: ReportPhase, action: string): void {
  if (finalPhases.includes(phase)) throw invalidState(`cannot ${action}: the report is already ${phase}`);
}

