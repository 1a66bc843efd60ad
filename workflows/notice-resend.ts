/**
 * One email of a workflow that has ended, sent again at an admin's request: the notice as the ended
 * workflow sent it (read back from its history by the web process), to one role, under the resend's
 * own key prefix, which is also this workflow's id. A new ledger row with its own Message-ID; the
 * web process never talks SMTP.
 */
import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { NoticeResendWorkflow } from './contracts/notice-resend';

type Activities = ReturnType<typeof createActivities>;

const { recordNoticeGivenUp } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

// SMTP as the workflows send: 4xx and lost connections retried for up to a day, 5xx come back as results.
const { sendNotice } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '5 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export const noticeResendWorkflow: NoticeResendWorkflow = async ({ notice, summary }) => {
  try {
    return { deliveries: (await sendNotice.executeWithOptions({ summary }, [notice])).deliveries };
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    // Given up after its retries: the ledger and the audit log say so, as for any notice.
    const reason = error.cause?.message ?? error.message;
    await recordNoticeGivenUp({ keyPrefix: notice.keyPrefix, workflowId: notice.workflowId, template: notice.template, reason });
    return { deliveries: notice.recipients.map((role) => ({ role, recipient: '', status: 'failed', error: reason })) };
  }
};
