/** Reads and writes of the annual reporting workflow: its context, its state, its versions. */
import { sendingCalendarOf } from '../src/domain/calendar';
import { ApplicationFailure } from '@temporalio/activity';
import type { SendingCalendar } from '../src/domain/calendar';
import { dueAtEndOfDay } from '../src/domain/due-date';
import type { ReportingPolicy } from '../src/domain/policy';
import type { ReportPhase } from '../src/domain/report-phase';
import { reportReference } from '../src/domain/reference-number';
import { recordAudit } from '../src/db/queries/audit';
import { findPartnerCycle } from '../src/db/queries/partner-cycle';
import {
  findAnnualReportId,
  insertReportVersion,
  saveReportState,
  setReview,
  StoredPolicyInvalidError,
} from '../src/db/queries/reporting';
import type { DbOrTx } from '../src/db/client';
import { storeAcceptedChapterFragment } from './chapter-fragments';
import type { ActivityDeps } from './deps';

export type ReportingContext = {
  partnerName: string;
  policy: ReportingPolicy;
  /** ISO instant: the end of the partner's due date, or a drill's exact moment. */
  dueAt: string;
  calendar: SendingCalendar;
};

/**
 * What openReport returns: the context, and when it finished by the clock. The workflow's clock
 * stands still within a task, at the task's start; a timer set after the local activity runs from
 * the task's end, so the workflow counts its first wait from `openedAt` (deadline-tracker.ts).
 */
export type ReportOpening = ReportingContext & { openedAt: string };

/** A change of the report's state: its phase, due moment and escalation level, with the audit entry. */
export type ReportStateChange = {
  partnerNumber: number;
  year: number;
  workflowId: string;
  phase: ReportPhase;
  dueAt: string;
  escalationLevel: number;
  occurredAt: string;
  actor: string;
  action: string;
  details?: Record<string, unknown>;
  eventKey: string;
};

export function createReportingActivities({ db, faults }: ActivityDeps) {
  /** The partner's organisation and cycle rows, in one select; missing ones are permanent errors, not retried. */
  async function locate(tx: DbOrTx, partnerNumber: number, year: number) {
    let found;
    try {
      found = await findPartnerCycle(tx, partnerNumber, year);
    } catch (error) {
      if (error instanceof StoredPolicyInvalidError) throw ApplicationFailure.nonRetryable(error.message, error.code);
      throw error;
    }
    if (found.found === 'nothing') {
      throw ApplicationFailure.nonRetryable(`partnerNumber: no partner with number ${partnerNumber}`, 'PartnerNotFound');
    }
    if (found.found === 'partner') throw ApplicationFailure.nonRetryable(`year: no reporting cycle for ${year}`, 'CycleNotFound');
    return { partner: found.partner, cycle: found.cycle };
  }

  type Located = Awaited<ReturnType<typeof locate>>;

  function contextOf({ partner, cycle }: Located, dueAt: string | undefined): ReportingContext {
    const calendar = sendingCalendarOf(cycle.policy.deadline);
    return {
      partnerName: partner.name,
      policy: cycle.policy,
      dueAt: dueAt ?? dueAtEndOfDay(cycle.dueDate, calendar.timezone).toISOString(),
      calendar,
    };
  }

  async function saveState(tx: DbOrTx, { partner, cycle }: Located, change: ReportStateChange): Promise<void> {
    await saveReportState(tx, {
      cycleId: cycle.cycleId,
      organisationId: partner.id,
      phase: change.phase,
      dueAt: new Date(change.dueAt),
      escalationLevel: change.escalationLevel,
      workflowId: change.workflowId,
    });
    await recordAudit(tx, {
      occurredAt: new Date(change.occurredAt),
      actor: change.actor,
      entityType: 'annual_report',
      entityId: change.workflowId,
      action: change.action,
      details: { phase: change.phase, dueAt: change.dueAt, escalationLevel: change.escalationLevel, ...change.details },
      eventKey: change.eventKey,
    });
  }

  return {
    /** Read-only. */
    async loadReportingContext(input: { partnerNumber: number; year: number; dueAt?: string }): Promise<ReportingContext> {
      return contextOf(await locate(db, input.partnerNumber, input.year), input.dueAt);
    },

    /**
     * A report's start in one transaction: its context, and its first state ('started', awaiting
     * the submission) recorded. Quick enough to run as a local activity inside the report's first
     * workflow task. Idempotent as recordReportState is: by `eventKey`, the row set to the same values.
     * `openedAt`: this process's clock when the state was recorded (see ReportOpening).
     */
    async openReport(input: { partnerNumber: number; year: number; dueAt?: string; workflowId: string; occurredAt: string; eventKey: string }): Promise<ReportOpening> {
      const context = await db.transaction(async (tx) => {
        const located = await locate(tx, input.partnerNumber, input.year);
        const context = contextOf(located, input.dueAt);
        const dueAt = new Date(context.dueAt).toISOString();
        await saveState(tx, located, {
          partnerNumber: input.partnerNumber,
          year: input.year,
          workflowId: input.workflowId,
          phase: 'awaiting_submission',
          dueAt,
          escalationLevel: 0,
          occurredAt: input.occurredAt,
          actor: 'system',
          action: 'started',
          details: { dueAt },
          eventKey: input.eventKey,
        });
        return context;
      });
      return { ...context, openedAt: new Date().toISOString() };
    },

    /** Idempotent by `eventKey`: the row is set to the given values; the audit entry is written once. */
    async recordReportState(change: ReportStateChange): Promise<void> {
      await faults.at('report.beforeStateRecorded', change.eventKey);
      await db.transaction(async (tx) => saveState(tx, await locate(tx, change.partnerNumber, change.year), change));
    },

    /** Idempotent by (report, version): a retry returns the version stored by the first attempt. */
    async storeReportVersion(input: {
      partnerNumber: number;
      year: number;
      version: number;
      content: unknown;
      submittedAt: string;
      submittedBy: string;
      workflowId: string;
      updateId: string;
    }): Promise<{ reference: string; version: number; submittedAt: string }> {
      return db.transaction(async (tx) => {
        const { partner, cycle } = await locate(tx, input.partnerNumber, input.year);
        const annualReportId = await ensureReport(tx, cycle.cycleId, partner.id, input.workflowId, cycle.dueDate, cycle.policy);
        const stored = await insertReportVersion(tx, {
          annualReportId,
          version: input.version,
          reference: reportReference({ year: input.year, partnerNumber: input.partnerNumber, version: input.version }),
          submittedAt: new Date(input.submittedAt),
          content: input.content,
        });
        await recordAudit(tx, {
          occurredAt: new Date(input.submittedAt),
          actor: input.submittedBy,
          entityType: 'annual_report',
          entityId: input.workflowId,
          action: 'version-stored',
          details: { version: stored.version, reference: stored.reference },
          eventKey: `${input.workflowId}/update/${input.updateId}`,
        });
        return { reference: stored.reference, version: stored.version, submittedAt: stored.submittedAt.toISOString() };
      });
    },

    /** Idempotent: sets the review of one version to the same values on every attempt. */
    async recordReview(input: {
      partnerNumber: number;
      year: number;
      version: number;
      review: 'accepted' | 'revision_requested';
      comment?: string;
      by: string;
      /** Workflow time of the decision (ISO). */
      at: string;
    }): Promise<void> {
      const annualReportId = await db.transaction(async (tx) => {
        const { partner, cycle } = await locate(tx, input.partnerNumber, input.year);
        const annualReportId = await findAnnualReportId(tx, cycle.cycleId, partner.id);
        if (annualReportId === undefined) {
          throw ApplicationFailure.nonRetryable(`version: no report of partner ${input.partnerNumber} for ${input.year}`, 'ReportNotFound');
        }
        await setReview(tx, { annualReportId, version: input.version, review: input.review, comment: input.comment, reviewedAt: new Date(input.at) });
        return annualReportId;
      });
      // After the commit (the fragment is keyed by the row as accepted); never fails the review.
      if (input.review === 'accepted') await storeAcceptedChapterFragment(db, { annualReportId, version: input.version });
    },
  };
}

async function ensureReport(
  tx: DbOrTx,
  cycleId: number,
  organisationId: number,
  workflowId: string,
  dueDate: string,
  policy: ReportingPolicy,
): Promise<number> {
  const existing = await findAnnualReportId(tx, cycleId, organisationId);
  if (existing !== undefined) return existing;
  return saveReportState(tx, {
    cycleId,
    organisationId,
    phase: 'submitted',
    dueAt: dueAtEndOfDay(dueDate, policy.deadline.timezone),
    escalationLevel: 0,
    workflowId,
  });
}
