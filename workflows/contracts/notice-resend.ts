/**
 * Resending an email a workflow sent, as clients see it: the `resendNotice` Update every
 * notice-sending workflow (annual report, accession, lifecycle) answers while it runs, and the
 * small workflow that resends an email of a workflow that has ended.
 */
import { defineUpdate } from '@temporalio/workflow';
import type { SendNoticeInput } from '../../activities/notices';
import type { ResendArgs } from '../../src/domain/report-decisions';
import type { DeliveryView } from './annual-report';

/** The resend's own key prefix (`<original prefix>/resend-<attempt>`); its outcome lands in the ledger and the timeline. */
export type ResendReceipt = { keyPrefix: string; attempt: number };

/** Sends one earlier email again, to the same role (its current address), under a key of its own. */
export const resendNoticeUpdate = defineUpdate<ResendReceipt, [ResendArgs]>('resendNotice');

export const noticeResendWorkflowType = 'noticeResendWorkflow';

/**
 * An ended workflow's email sent again: the notice as that workflow sent it (read back from its
 * history), narrowed to one role, under the resend's key prefix, which is also this workflow's id.
 */
export type NoticeResendInput = { notice: SendNoticeInput; summary: string };
export type NoticeResendWorkflow = (input: NoticeResendInput) => Promise<{ deliveries: DeliveryView[] }>;
