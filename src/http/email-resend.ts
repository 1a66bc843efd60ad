/**
 * An admin resends one email: the web process never talks SMTP. It asks the workflow that sent
 * the email, through an Update whose validator checks the key; the workflow's send activity writes
 * a new ledger row under a key derived from the original and the attempt. Audited.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { recordAudit } from '../db/queries/audit';
import { findLedgerEntry } from '../db/queries/email-deliveries';
import { resendNoticeUpdate, type AnnualReportWorkflow } from '../../workflows/contracts/annual-report';
import { nowOf, type AppDeps } from './context';
import { refusalOf, type Outcome } from './reporting-service';

/** Only the annual report workflow keeps what it sent, to send it again. */
const resendableWorkflow = /^annual-report\//;
/** A row still pending, sending or on hold is the first send's, still in progress. */
const settledStatuses = ['sent', 'failed'] as const;

export type ResendAccepted = { ledgerId: number; workflowId: string; updateId: string; keyPrefix: string; attempt: number };

export function canResend(row: { workflowId: string | null; status: string }): boolean {
  return row.workflowId !== null && resendableWorkflow.test(row.workflowId) && (settledStatuses as readonly string[]).includes(row.status);
}

/**
 * Asks the workflow to send ledger row `ledgerId` again and returns once the workflow queued it
 * (its validator ran, the handler answers at once): the send goes on in the workflow, and its
 * outcome lands in the ledger under the returned key prefix.
 */
export async function resendEmail(deps: AppDeps, ledgerId: number, reason: string, actor: string): Promise<Outcome<ResendAccepted>> {
  const row = await findLedgerEntry(deps.db, ledgerId);
  if (!row) return { ok: false, status: 404, errors: ['id: no such email'] };
  if (row.workflowId === null || !resendableWorkflow.test(row.workflowId)) {
    return { ok: false, status: 422, errors: ['id: only emails of an annual report can be resent'] };
  }
  if (!canResend(row)) return { ok: false, status: 409, errors: [`id: the email is still ${row.status}; wait for its outcome`] };
  const workflowId = row.workflowId;
  const updateId = `resend/${ledgerId}/${randomUUID()}`;
  const handle = deps.temporal.workflow.getHandle<AnnualReportWorkflow>(workflowId);
  let receipt;
  try {
    receipt = await handle.executeUpdate(resendNoticeUpdate, { args: [{ by: actor, idempotencyKey: row.idempotencyKey, reason }], updateId });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) return refusalOf(error);
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    // An Update to an ended workflow reads as "not found": say which it is.
    const status = await handle.describe().then(
      (description) => description.status.name,
      () => undefined,
    );
    if (status === undefined) return { ok: false, status: 404, errors: ['id: the workflow of this email no longer exists'] };
    return { ok: false, status: 409, errors: [`id: the workflow of this email has ended (${status.toLowerCase()}); it can send nothing any more`] };
  }
  await recordAudit(deps.db, { occurredAt: nowOf(deps), actor, entityType: 'email', entityId: String(ledgerId), action: 'resend', details: { reason, workflowId, updateId, keyPrefix: receipt.keyPrefix } });
  return { ok: true, value: { ledgerId, workflowId, updateId, ...receipt } };
}
