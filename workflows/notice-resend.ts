/**
 * One email of a workflow that has ended, sent again at an admin's request: the notice as the ended
 * workflow sent it (read back from its history by the web process), to one role, under the resend's
 * own key prefix, which is also this workflow's id. A new ledger row with its own Message-ID; the
 * web process never talks SMTP.
 */
import type { NoticeResendWorkflow } from './contracts/notice-resend';
import { deliverNotice } from './notice-delivery';

export const noticeResendWorkflow: NoticeResendWorkflow = async ({ notice, summary }) => ({
  // Given up after its retries: the ledger and the audit log say so, as for any notice (always did here).
  deliveries: await deliverNotice(notice, summary, { failed: () => undefined, recordsGiveUp: () => true }),
});
