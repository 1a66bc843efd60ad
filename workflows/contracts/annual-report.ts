/**
 * The annual report workflow as its clients see it: input, Updates, Queries and views. The CLI,
 * the HTTP API and tests import this module, never the workflow's implementation.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { NoticeTemplate, RecipientRole } from '../../src/domain/notice-families';
import type { AcceptArgs, CloseArgs, ExtensionArgs, RevisionArgs, WaiverArgs } from '../../src/domain/report-decisions';
import type { ReportPhase } from '../../src/domain/report-phase';
import type { TrackerEvent } from './deadline';

export const annualReportWorkflowType = 'annualReportWorkflow';

export type AnnualReportInput = {
  partnerNumber: number;
  year: number;
  /** For drills: an exact due moment (ISO) instead of the cycle's due date. */
  dueAt?: string;
};

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
