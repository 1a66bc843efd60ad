/**
 * An admin resends one email: the web process never talks SMTP. While the workflow that sent the
 * email runs, it is asked through its `resendNotice` Update, whose validator checks the key; its
 * send activity writes a new ledger row under a key derived from the original and the attempt.
 * Once that workflow has ended (a closed report, a completed accession, a lifecycle's earlier
 * year), the notice is read back from its history and a small workflow of its own sends it the
 * same way. Either way: a new ledger row with its own Message-ID, the reason, audited.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { like } from 'drizzle-orm';
import { recordAudit } from '../db/queries/audit';
import { findLedgerEntry } from '../db/queries/email-deliveries';
import { partnerDataKeyStore } from '../db/queries/partner-data-keys';
import { emailLedger } from '../db/schema';
import { PartnerDataErasedError, PayloadEncryptionCodec } from '../temporal/codec';
import { findRecordedNotice } from '../temporal/recorded-notices';
import { partnerNumberOfWorkflowId } from '../temporal/workflow-ids';
import { noticeResendWorkflowType, resendNoticeUpdate, type NoticeResendWorkflow } from '../../workflows/contracts/notice-resend';
import { PartnerNumber, WorkflowKind } from '../../workflows/contracts/search-attributes';
import { nowOf, type AppDeps } from './context';
import { refusalOf, type Outcome } from './reporting-service';

/** The workflows that send notices (each answers `resendNotice` while it runs). */
const resendableWorkflow = /^(annual-report|accession|lifecycle)\//;
/** A row still pending, sending or on hold is the first send's, still in progress. */
const settledStatuses = ['sent', 'failed'] as const;
/** The refusal a running workflow gives for a key another of its runs sent (workflows/notice-resends.ts). */
const unknownNoticeFailureType = 'UnknownNotice';

export type ResendAccepted = {
  ledgerId: number;
  workflowId: string;
  keyPrefix: string;
  attempt: number;
  /** `update`: the running workflow sends it; `resend-workflow`: the workflow had ended, `resendWorkflowId` sends it. */
  via: 'update' | 'resend-workflow';
  updateId?: string;
  resendWorkflowId?: string;
};

export function canResend(row: { workflowId: string | null; status: string }): boolean {
  return row.workflowId !== null && resendableWorkflow.test(row.workflowId) && (settledStatuses as readonly string[]).includes(row.status);
}

/** A ledger key is `<keyPrefix>/<role>/<person id>`; a resend's prefix is `<root>/resend-<n>`. */
export function keyPartsOf(idempotencyKey: string): { keyPrefix: string; root: string; role: string } | undefined {
  const match = /^(.+)\/([a-z_]+)\/\d+$/.exec(idempotencyKey);
  if (!match?.[1] || !match[2]) return undefined;
  return { keyPrefix: match[1], root: match[1].replace(/\/resend-\d+$/, ''), role: match[2] };
}

/**
 * Asks for ledger row `ledgerId` to be sent again and returns once that is queued (by the running
 * workflow, or as a resend workflow): its outcome lands in the ledger under the returned key prefix.
 */
export async function resendEmail(deps: AppDeps, ledgerId: number, reason: string, actor: string): Promise<Outcome<ResendAccepted>> {
  const row = await findLedgerEntry(deps.db, ledgerId);
  if (!row) return { ok: false, status: 404, errors: ['id: no such email'] };
  const parts = keyPartsOf(row.idempotencyKey);
  if (row.workflowId === null || !resendableWorkflow.test(row.workflowId) || !parts) {
    return { ok: false, status: 422, errors: ['id: only emails of an annual report, an accession or a partner’s lifecycle can be resent'] };
  }
  if (!canResend(row)) return { ok: false, status: 409, errors: [`id: the email is still ${row.status}; wait for its outcome`] };
  const workflowId = row.workflowId;
  const attempt = await nextAttempt(deps, parts.root);
  const handle = deps.temporal.workflow.getHandle(workflowId);
  const status = await handle.describe().then(
    (description) => description.status.name,
    (error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    },
  );

  let outcome: Outcome<ResendAccepted> | undefined;
  if (status === 'RUNNING') {
    const updateId = `resend/${ledgerId}/${randomUUID()}`;
    try {
      const receipt = await handle.executeUpdate(resendNoticeUpdate, { args: [{ by: actor, idempotencyKey: row.idempotencyKey, reason, attempt }], updateId });
      outcome = { ok: true, value: { ledgerId, workflowId, via: 'update', updateId, ...receipt } };
    } catch (error) {
      const unknownToThisRun = error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === unknownNoticeFailureType;
      // Ended between describe and Update: its history has the email, as for any ended workflow.
      if (!unknownToThisRun && !(error instanceof WorkflowNotFoundError)) return refusalOf(error);
      // Not this run's: perhaps an earlier run's (a lifecycle continues as new each year).
      outcome = await resendFromHistory(deps, { ledgerId, workflowId, parts, attempt, skipLatest: unknownToThisRun });
      if (!outcome.ok && unknownToThisRun && outcome.status === 404) return refusalOf(error);
    }
  } else {
    outcome = await resendFromHistory(deps, { ledgerId, workflowId, parts, attempt, skipLatest: false, ended: status });
  }
  if (!outcome.ok) return outcome;
  const { via, keyPrefix, updateId, resendWorkflowId } = outcome.value;
  await recordAudit(deps.db, {
    occurredAt: nowOf(deps),
    actor,
    entityType: 'email',
    entityId: String(ledgerId),
    action: 'resend',
    details: { reason, workflowId, via, keyPrefix, ...(updateId && { updateId }), ...(resendWorkflowId && { resendWorkflowId }) },
  });
  return outcome;
}

/** One more than the highest resend number the ledger holds for the notice (any run, any path). */
async function nextAttempt(deps: AppDeps, root: string): Promise<number> {
  const rows = await deps.db.select({ key: emailLedger.idempotencyKey }).from(emailLedger).where(like(emailLedger.idempotencyKey, `${root}/resend-%`));
  const numbers = rows.map(({ key }) => (key.startsWith(`${root}/resend-`) ? Number(/^(\d+)\//.exec(key.slice(root.length + 8))?.[1] ?? 0) : 0));
  return Math.max(0, ...numbers) + 1;
}

/**
 * The email of a workflow (or run) that has ended: its notice as recorded in the history, to the
 * same role, sent by a resend workflow whose id is the new key prefix (so two admins asking at
 * once start it once).
 */
async function resendFromHistory(
  deps: AppDeps,
  request: { ledgerId: number; workflowId: string; parts: { root: string; role: string }; attempt: number; skipLatest: boolean; ended?: string },
): Promise<Outcome<ResendAccepted>> {
  const { ledgerId, workflowId, parts, attempt } = request;
  const codec = new PayloadEncryptionCodec(deps.config.payloadKeys, { partnerKeys: partnerDataKeyStore(deps.db, deps.config.payloadKeys), onErased: 'throw' });
  let recorded;
  try {
    recorded = await findRecordedNotice(deps.temporal, codec, workflowId, parts.root, { skipLatest: request.skipLatest });
  } catch (error) {
    if (!(error instanceof PartnerDataErasedError)) throw error;
    return { ok: false, status: 409, errors: ['id: the partner’s data was erased with its key; this email cannot be rebuilt'] };
  }
  if (!recorded.found) {
    if (recorded.reason === 'no-history') {
      return { ok: false, status: 409, errors: ['id: the workflow that sent this email is no longer kept (past the retention period), so the email cannot be rebuilt; write to the recipient directly'] };
    }
    return { ok: false, status: 404, errors: [`id: ${request.ended ? `the ${request.ended.toLowerCase()} workflow's` : 'no'} history holds the email under this key`] };
  }
  const role = recorded.notice.recipients.find((r) => r === parts.role);
  if (!role) return { ok: false, status: 404, errors: [`id: the recorded email did not go to ${parts.role}`] };
  const keyPrefix = `${parts.root}/resend-${attempt}`;
  const partnerNumber = partnerNumberOfWorkflowId(workflowId);
  try {
    await deps.temporal.workflow.start<NoticeResendWorkflow>(noticeResendWorkflowType, {
      // Partner-owned like the original's id, so the codec seals the notice with the partner's key.
      workflowId: keyPrefix,
      taskQueue: deps.config.temporal.taskQueue,
      args: [{ notice: { ...recorded.notice, keyPrefix, recipients: [role] }, summary: `resend-${attempt} ${recorded.notice.template}` }],
      staticSummary: `Resend ${attempt} of ${recorded.notice.template}${partnerNumber === undefined ? '' : ` · partner ${partnerNumber}`}`,
      typedSearchAttributes: [{ key: WorkflowKind, value: 'notice-resend' }, ...(partnerNumber === undefined ? [] : [{ key: PartnerNumber, value: partnerNumber }])],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return { ok: false, status: 409, errors: [`id: this email is being resent right now (resend ${attempt}); see its outcome in the list of emails`] };
  }
  return { ok: true, value: { ledgerId, workflowId, keyPrefix, attempt, via: 'resend-workflow', resendWorkflowId: keyPrefix } };
}
