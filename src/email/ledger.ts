import { eq, sql } from 'drizzle-orm';
import type { FaultInjector } from '../faults';
import type { DbOrTx, Database } from '../db/client';
import { contacts, emailLedger } from '../db/schema';
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

type Claim = { outcome: DeliveryOutcome } | { messageId: string };

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
  if ('outcome' in claim) return claim.outcome;
  const { messageId } = claim;

  let smtpResponse: string;
  try {
    ({ response: smtpResponse } = await mailer.send({ ...email, messageId }));
  } catch (error) {
    if (error instanceof SmtpOutcomeUnknownError) {
      await db.update(emailLedger).set({ status: 'unknown', lastError: error.message }).where(eq(emailLedger.idempotencyKey, key));
      return { status: 'unknown', messageId };
    }
    await recordFailure(db, email, error);
    throw error;
  }
  // Outside the try: a crash from here on must leave the row 'sending', never 'pending'.
  await faults.at('notice.afterSmtpAccepted', key);
  await db
    .update(emailLedger)
    .set({ status: 'sent', smtpResponse, sentAt: sql`now()`, lastError: null })
    .where(eq(emailLedger.idempotencyKey, key));
  return { status: 'sent', messageId, smtpResponse };
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
        return { outcome: { status: 'unknown', messageId } };
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

async function recordFailure(db: Database, email: LedgerEmail, error: unknown): Promise<void> {
  const key = email.idempotencyKey;
  const lastError = error instanceof Error ? error.message : String(error);
  if (error instanceof SmtpPermanentError) {
    await db.transaction(async (tx) => {
      await tx.update(emailLedger).set({ status: 'failed', lastError }).where(eq(emailLedger.idempotencyKey, key));
      if (error.recipientRejected && email.contactId !== undefined) await markContactFailing(tx, email.contactId, error);
    });
    return;
  }
  // SmtpTransientError (the server cannot have the mail), or anything else a mailer threw: try again later.
  await db.update(emailLedger).set({ status: 'pending', lastError }).where(eq(emailLedger.idempotencyKey, key));
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
