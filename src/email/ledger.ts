import { asyncLocalStorage } from '@temporalio/activity';
import type { Logger as TemporalLogger } from '@temporalio/common';
import { eq, sql } from 'drizzle-orm';
import type { FaultInjector } from '../faults';
import type { DbOrTx, Database } from '../db/client';
import { contacts, emailLedger } from '../db/schema';
import { TemporalLogAdapter } from '../observability/logger';
import { countEmail } from '../observability/metrics';
import { partnerOfWorkflowId } from '../temporal/workflow-ids';
import { messageIdFor } from './message-id';
import type { NoticeLanguage } from './notice-context';
import { SmtpOutcomeUnknownError, SmtpPermanentError, type Mailer, type OutgoingEmail } from './transport';

/** One intended email: what to send, and the business key that makes it happen at most once. */
export type LedgerEmail = Omit<OutgoingEmail, 'messageId'> & {
  idempotencyKey: string;
  template: string;
  language: NoticeLanguage;
  recipientRole: string;
  workflowId?: string;
  organisationId?: number;
  /** Set for partner contacts: a rejected address marks the contact as failing. */
  contactId?: number;
  staffId?: number;
};

export type DeliveryOutcome =
  | { status: 'sent'; messageId: string; smtpResponse: string }
  | { status: 'already-sent'; messageId: string }
  /** This or an earlier attempt may or may not have handed the mail over; it is never sent again. */
  | { status: 'unknown'; messageId: string }
  | { status: 'failed'; messageId: string; error: string };

export type LedgerDeps = { db: Database; mailer: Mailer; faults: FaultInjector };

/** `discovered`: this call found an attempt that ended without an outcome and recorded it as unknown. */
type Claim = { outcome: DeliveryOutcome; discovered?: true } | { messageId: string };

/**
 * Sends `email` unless its idempotency key was sent (or attempted with unknown outcome) before.
 * Throws SmtpTransientError (row back to 'pending', retry later) or SmtpPermanentError (row
 * 'failed'). A connection lost after the message was handed over marks the row 'unknown' and
 * returns that outcome. A crash after the claim leaves the row 'sending'; the next call marks it 'unknown'.
 */
export async function deliverOnce(deps: LedgerDeps, email: LedgerEmail): Promise<DeliveryOutcome> {
  const { db, mailer, faults } = deps;
  const key = email.idempotencyKey;
  await db
    .insert(emailLedger)
    .values({
      idempotencyKey: key,
      messageId: messageIdFor(key, mailer.from),
      workflowId: email.workflowId,
      organisationId: email.organisationId,
      contactId: email.contactId,
      staffId: email.staffId,
      recipientRole: email.recipientRole,
      recipientEmail: email.to.address,
      language: email.language,
      template: email.template,
      subject: email.subject,
    })
    .onConflictDoNothing({ target: emailLedger.idempotencyKey });

  const claim = await claimForSending(db, email);
  if ('outcome' in claim) {
    if (claim.discovered) reportOutcome(email, claim.outcome, 'the previous attempt ended without recording an outcome');
    else eventLog().debug('email not sent again', { ...emailFields(email), status: claim.outcome.status });
    return claim.outcome;
  }
  const { messageId } = claim;

  let smtpResponse: string;
  try {
    ({ response: smtpResponse } = await mailer.send({ ...email, messageId }));
  } catch (error) {
    if (error instanceof SmtpOutcomeUnknownError) {
      await db.update(emailLedger).set({ status: 'unknown', lastError: error.message }).where(eq(emailLedger.idempotencyKey, key));
      const outcome = { status: 'unknown', messageId } as const;
      reportOutcome(email, outcome, error.message);
      return outcome;
    }
    await recordFailure(db, email, messageId, error);
    throw error;
  }
  // Outside the try: a crash from here on must leave the row 'sending', never 'pending'.
  await faults.at('notice.afterSmtpAccepted', key);
  await db
    .update(emailLedger)
    .set({ status: 'sent', smtpResponse, sentAt: sql`now()`, lastError: null })
    .where(eq(emailLedger.idempotencyKey, key));
  const outcome = { status: 'sent', messageId, smtpResponse } as const;
  reportOutcome(email, outcome);
  return outcome;
}

/**
 * Inside an activity, the SDK's context logger: its lines carry workflowId, activityType, attempt.
 * Elsewhere (scripts, tests of the ledger alone) the process logger.
 */
function eventLog(): TemporalLogger {
  return asyncLocalStorage.getStore()?.log ?? new TemporalLogAdapter();
}

/** What identifies an email in logs; the address stays out (personal data), the role says who. */
function emailFields(email: LedgerEmail) {
  return {
    workflowId: email.workflowId,
    partner: partnerOfWorkflowId(email.workflowId),
    idempotencyKey: email.idempotencyKey,
    template: email.template,
    recipientRole: email.recipientRole,
  };
}

/** One log line and one count per email that reached an outcome in this call. */
function reportOutcome(email: LedgerEmail, outcome: DeliveryOutcome, reason?: string): void {
  const fields = { ...emailFields(email), messageId: outcome.messageId, ...(reason && { reason }) };
  if (outcome.status === 'sent') eventLog().info('email sent', fields);
  else if (outcome.status === 'unknown') eventLog().warn('email outcome unknown; it is not sent again', fields);
  else if (outcome.status === 'failed') eventLog().error('email failed', fields);
  if (outcome.status !== 'already-sent') countEmail(email.template, outcome.status);
}

/** Moves a 'pending' row to 'sending' under a row lock; any other state decides the outcome without sending. */
async function claimForSending(db: Database, email: LedgerEmail): Promise<Claim> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(emailLedger)
      .where(eq(emailLedger.idempotencyKey, email.idempotencyKey))
      .for('update');
    if (!row) throw new Error(`email ledger: row ${email.idempotencyKey} vanished between insert and claim`);
    const { messageId } = row;
    switch (row.status) {
      case 'sent':
        return { outcome: { status: 'already-sent', messageId } };
      case 'unknown':
        return { outcome: { status: 'unknown', messageId } };
      case 'failed':
        return { outcome: { status: 'failed', messageId, error: row.lastError ?? 'failed earlier' } };
      case 'sending':
        // The previous attempt claimed the row and never recorded an outcome: the mail may be out.
        await tx
          .update(emailLedger)
          .set({
            status: 'unknown',
            lastError: `attempt ${row.attempts} ended without recording whether the SMTP server accepted the mail`,
          })
          .where(eq(emailLedger.id, row.id));
        return { outcome: { status: 'unknown', messageId }, discovered: true };
      case 'pending':
        // The address and wording of this attempt are what goes out, so the row records them.
        await tx
          .update(emailLedger)
          .set({
            status: 'sending',
            attempts: sql`${emailLedger.attempts} + 1`,
            claimedAt: sql`now()`,
            recipientEmail: email.to.address,
            subject: email.subject,
            language: email.language,
          })
          .where(eq(emailLedger.id, row.id));
        return { messageId };
    }
  });
}

async function recordFailure(db: Database, email: LedgerEmail, messageId: string, error: unknown): Promise<void> {
  const key = email.idempotencyKey;
  const lastError = error instanceof Error ? error.message : String(error);
  if (error instanceof SmtpPermanentError) {
    await db.transaction(async (tx) => {
      await tx.update(emailLedger).set({ status: 'failed', lastError }).where(eq(emailLedger.idempotencyKey, key));
      if (error.recipientRejected && email.contactId !== undefined) await markContactFailing(tx, email.contactId, error);
    });
    reportOutcome(email, { status: 'failed', messageId, error: lastError }, lastError);
    return;
  }
  // SmtpTransientError (the server cannot have the mail), or anything else a mailer threw: try again later.
  await db.update(emailLedger).set({ status: 'pending', lastError }).where(eq(emailLedger.idempotencyKey, key));
  eventLog().warn('email not sent yet; it is tried again', { ...emailFields(email), reason: lastError });
}

async function markContactFailing(db: DbOrTx, contactId: number, error: SmtpPermanentError): Promise<void> {
  await db
    .update(contacts)
    .set({
      // Keep the first failure's time: staff see how long the address has been broken.
      emailFailingSince: sql`coalesce(${contacts.emailFailingSince}, now())`,
      emailFailureReason: error.response ?? error.message,
    })
    .where(eq(contacts.id, contactId));
}
