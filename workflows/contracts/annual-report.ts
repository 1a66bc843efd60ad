/**
 * The annual report workflow as its clients see it: input, Updates, Queries and views. The CLI,
 * the HTTP API and tests import this module, never the workflow's implementation.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { NoticeTemplate, RecipientRole } from '../../src/domain/notice-families';
import type { AcceptArgs, CloseArgs, ExtensionArgs, RevisionArgs, WaiverArgs } from '../../src/domain/report-decisions';
import type { ReportPhase } from '../../src/domain/report-phase';
import type { TrackerEvent } from './deadline';
import { EscalationLevel, PartnerNumber, ReportPhase as ReportPhaseAttribute, ReportYear, WorkflowKind } from './search-attributes';

export const annualReportWorkflowType = 'annualReportWorkflow';

export type AnnualReportInput = {
  partnerNumber: number;
  year: number;
  /** For drills: an exact due moment (ISO) instead of the cycle's due date. */
  dueAt?: string;
  /**
   * The highest number of `annualReportPatches` the code that began this report had: those patches
   * need no marker (workflows/patches.ts). Absent for reports begun before the count existed.
   */
  patchesBuiltIn?: number;
};

/**
 * The report's patches, each with its number: a report begun with `patchesBuiltIn` n has every
 * patch numbered up to n. A new patch takes the next number, and a number never changes, since
 * reports begun with it count on it (replay.test.ts checks they run 1 to n).
 */
export const annualReportPatches = {
  'open-report-locally': 1,
  'bring-forward-before-due': 2,
  'late-invitation-pinned': 3,
  'record-notice-gave-up': 4,
  'report-schema-not-stated': 5,
  // The start sets the first state's search attributes, so the first task does not upsert them.
  // Only ever asked as built in: a report begun without it upserts them as it always did.
  'state-shown-at-start': 6,
} as const;
export type AnnualReportPatch = keyof typeof annualReportPatches;

/** A report's input and search attributes as every start (client or parent workflow) gives them. */
export function annualReportStart(input: Omit<AnnualReportInput, 'patchesBuiltIn'>) {
  return {
    args: [{ ...input, patchesBuiltIn: Math.max(...Object.values(annualReportPatches)) }] as [AnnualReportInput],
    typedSearchAttributes: [
      { key: PartnerNumber, value: input.partnerNumber },
      { key: ReportYear, value: input.year },
      { key: ReportPhaseAttribute, value: 'awaiting_submission' },
      { key: EscalationLevel, value: 0 },
      { key: WorkflowKind, value: 'annual-report' },
    ],
  };
}

export type SubmissionReceipt = { reference: string; version: number; submittedAt: string };

export type DeliveryView = { role: string; recipient: string; status: string; error?: string };

export type TimelineEntry =
  | (TrackerEvent & { kind: 'deadline'; round: string; deliveries?: DeliveryView[] })
  | { kind: 'notice'; at: string; template: NoticeTemplate; recipients: RecipientRole[]; deliveries: DeliveryView[] }
  | { kind: 'event'; at: string; action: string; by?: string; details?: Record<string, unknown> };

export type ScheduledSendView = {
  stepId: string;
  occurrence: number;
  template: NoticeTemplate;
  sendAt: string;
  recipients: RecipientRole[];
};

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
  nextStep?: Omit<ScheduledSendView, 'occurrence'>;
};

// Every notice-sending workflow answers the same resend Update; defined once, named here as before.
export { resendNoticeUpdate, type ResendReceipt } from './notice-resend';

export type SubmitReportArgs = { report: unknown; submittedBy?: string };

export const submitReportUpdate = defineUpdate<SubmissionReceipt, [SubmitReportArgs]>('submitReport');
export const acceptReportUpdate = defineUpdate<ReportStatusView, [AcceptArgs]>('acceptReport');
export const requestRevisionUpdate = defineUpdate<ReportStatusView, [RevisionArgs]>('requestRevision');
export const grantExtensionUpdate = defineUpdate<ReportStatusView, [ExtensionArgs]>('grantExtension');
export const waiveReportUpdate = defineUpdate<ReportStatusView, [WaiverArgs]>('waiveReport');
export const closeReportUpdate = defineUpdate<ReportStatusView, [CloseArgs]>('closeReport');

export const reportStatusQuery = defineQuery<ReportStatusView>('status');
export const reportTimelineQuery = defineQuery<TimelineEntry[]>('timeline');
export const reportScheduleQuery = defineQuery<ScheduledSendView[]>('schedule');

/** The workflow function's signature, for typed client handles without importing its code. */
export type AnnualReportWorkflow = (input: AnnualReportInput) => Promise<ReportStatusView>;
