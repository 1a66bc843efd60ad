import { asyncLocalStorage } from '@temporalio/activity';
import type { Logger as TemporalLogger } from '@temporalio/common';
import { and, eq, inArray, isNotNull, like, sql } from 'drizzle-orm';
import type { FaultInjector } from '../faults';
import type { DbOrTx, Database } from '../db/client';
import { recordAudit } from '../db/queries/audit';
import { contacts, emailLedger, staff, type HeldMessage } from '../db/schema';
import { TemporalLogAdapter } from '../observability/logger';
import { countEmail } from '../observability/metrics';
import { partnerOfWorkflowId } from '../temporal/workflow-ids';
import { messageIdFor } from './message-id';
import type { NoticeLanguage } from './notice-context';
import { SmtpOutcomeUnknownError, SmtpPermanentError, type Mailer, type OutgoingEmail } from './transport';

/** One intended email: what to send, and the business key that makes it happen once (at least once; see deliverOnce). */
export type LedgerEmail = Omit<OutgoingEmail, 'messageId'> & {
  idempotencyKey: string;
  template: string;
  language: NoticeLanguage;
  recipientRole: string;
  workflowId?: string;
  organisationId?: number;
  /** Set for partner contacts: a rejected address puts the contact's address on hold (marked failing). */
  contactId?: number;
  /** Set for ministry staff: the same for their address. */
  staffId?: number;
};

export type DeliveryOutcome =
  /** `possibleDuplicate`: sent again after an attempt whose outcome could not be known. */
  | { status: 'sent'; messageId: string; smtpResponse: string; possibleDuplicate: boolean }
  | { status: 'already-sent'; messageId: string }
  | { status: 'failed'; messageId: string; error: string }
  /** Not sent: the address is on hold since an earlier final refusal; sent when staff clear the hold or change the address. */
  | { status: 'held'; messageId: string; error: string };

export type LedgerDeps = { db: Database; mailer: Mailer; faults: FaultInjector };

/**
 * How long a claim protects a row from a first attempt that finds it (two workflows' sends never
 * share a key, so that is a stray concurrent caller): the send activity's heartbeat timeout.
 */
export const CLAIM_LEASE_SECONDS = 5;

/** Another attempt claimed the row moments ago and may still be sending: retry later. */
export class ClaimedElsewhereError extends Error {
  override readonly name = 'ClaimedElsewhereError';
  readonly code = 'EMAIL_CLAIMED_ELSEWHERE';
  constructor(idempotencyKey: string, attempt: number) {
    super(`${idempotencyKey}: attempt ${attempt} is sending it right now`);
  }
}

/** `resend`: an earlier attempt may have handed the mail over; this one sends it again. */
type Claim = { outcome: DeliveryOutcome } | { messageId: string; resend: boolean };

/**
 * Delivers `email` at least once: a lost invitation is worse than a rare second copy with the same
 * Message-ID. The row goes pending → sending (claimed) → sent; a sent or failed row is final.
 * Throws SmtpTransientError (row back to 'pending', retried later), SmtpOutcomeUnknownError (the
 * connection was lost after the data: row 'unknown', retried later) or SmtpPermanentError (row
 * 'failed'). A later attempt that finds the row 'sending' (its attempt died) or 'unknown' sends
 * the mail again under the same Message-ID and marks the row possibleDuplicate: only those rows
 * can have reached a recipient twice.
 */
export async function deliverOnce(deps: LedgerDeps, email: LedgerEmail): Promise<DeliveryOutcome> {
  const { db, mailer, faults } = deps;
  const key = email.idempotencyKey;
  const claim = (await claimNewRow(db, email, messageIdFor(key, mailer.from))) ?? (await claimExistingRow(db, email, mailer));
  if ('outcome' in claim) {
    if (claim.outcome.status === 'held') reportOutcome(email, claim.outcome, claim.outcome.error);
    else eventLog().debug('email not sent again', { ...emailFields(email), status: claim.outcome.status });
    return claim.outcome;
  }
  const { messageId, resend } = claim;
  if (resend) eventLog().warn('email sent again: an earlier attempt may have delivered it', { ...emailFields(email), messageId });

  let smtpResponse: string;
  try {
    ({ response: smtpResponse } = await mailer.send({ ...email, messageId }));
  } catch (error) {
    if (error instanceof SmtpOutcomeUnknownError) {
      // Retried like a 4xx, but the next attempt knows the mail may already be out.
      await db.update(emailLedger).set({ status: 'unknown', lastError: error.message }).where(eq(emailLedger.idempotencyKey, key));
      eventLog().warn('email outcome unknown; it is sent again', { ...emailFields(email), messageId, reason: error.message });
      countEmail(email.template, 'unknown');
      throw error;
    }
    await recordFailure(db, email, messageId, error);
    throw error;
  }
  // Outside the try: a crash from here on must leave the row 'sending', never 'pending'.
  await faults.at('notice.afterSmtpAccepted', key);
  await db
    .update(emailLedger)
    // A resent row keeps the reason it was resent: that is what makes it a possible duplicate.
    .set({ status: 'sent', smtpResponse, sentAt: sql`now()`, heldMessage: null, ...(resend ? {} : { lastError: null }) })
    .where(eq(emailLedger.idempotencyKey, key));
  const outcome = { status: 'sent', messageId, smtpResponse, possibleDuplicate: resend } as const;
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
  else if (outcome.status === 'failed') eventLog().error('email failed', fields);
  else if (outcome.status === 'held') eventLog().warn('email held: the address is on hold', fields);
  if (outcome.status !== 'already-sent') countEmail(email.template, outcome.status);
}

/**
 * The first attempt at a key, in one statement: the row is inserted already claimed ('sending',
 * attempt 1), as the insert and the claim below would leave it. Undefined when the key has a row
 * already (a retry, a stray concurrent caller) or the address is on hold: claimExistingRow decides
 * those. One round trip instead of seven (insert, then the claim's transaction) for nearly every mail.
 */
async function claimNewRow(db: Database, email: LedgerEmail, messageId: string): Promise<Claim | undefined> {
  const onHold =
    email.contactId !== undefined
      ? sql`exists (select 1 from ${contacts} where ${contacts.id} = ${email.contactId} and ${contacts.emailFailingSince} is not null)`
      : email.staffId !== undefined
        ? sql`exists (select 1 from ${staff} where ${staff.id} = ${email.staffId} and ${staff.emailFailingSince} is not null)`
        : sql`false`;
  // INSERT … SELECT: the parameters carry their column's type, which a SELECT list does not infer.
  const rows = await db.execute<{ message_id: string }>(sql`
    insert into ${emailLedger} (idempotency_key, message_id, workflow_id, organisation_id, contact_id, staff_id, recipient_role,
      recipient_email, language, template, subject, status, attempts, claimed_at)
    select ${email.idempotencyKey}::text, ${messageId}::text, ${email.workflowId ?? null}::text, ${email.organisationId ?? null}::integer,
      ${email.contactId ?? null}::integer, ${email.staffId ?? null}::integer, ${email.recipientRole}::text, ${email.to.address}::text,
      ${email.language}::text, ${email.template}::text, ${email.subject}::text, 'sending', 1, now()
    where not ${onHold}
    on conflict (idempotency_key) do nothing
    returning message_id`);
  const [row] = rows;
  return row === undefined ? undefined : { messageId: row.message_id, resend: false };
}

/** A key that has a row, or an address on hold: the row is made if missing, then claimed or decided (claimForSending). */
async function claimExistingRow(db: Database, email: LedgerEmail, mailer: Mailer): Promise<Claim> {
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
  return claimForSending(db, email);
}

/** Moves a 'pending' row to 'sending' under a row lock; any other state decides the outcome without sending. */
async function claimForSending(db: Database, email: LedgerEmail): Promise<Claim> {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ row: emailLedger, claimFresh: sql<boolean>`coalesce(${emailLedger.claimedAt} > now() - ${`${CLAIM_LEASE_SECONDS} seconds`}::interval, false)` })
      .from(emailLedger)
      .where(eq(emailLedger.idempotencyKey, email.idempotencyKey))
      .for('update');
    if (!found) throw new Error(`email ledger: row ${email.idempotencyKey} vanished between insert and claim`);
    const { row, claimFresh } = found;
    const { messageId } = row;
    switch (row.status) {
      case 'sent':
        return { outcome: { status: 'already-sent', messageId } };
      case 'failed':
        return { outcome: { status: 'failed', messageId, error: row.lastError ?? 'failed earlier' } };
      case 'sending':
      case 'unknown':
      case 'held':
      case 'pending': {
        // An address on hold is not tried again until staff clear the hold (or change it): the row
        // keeps the message, so it goes out later as it was, under the same Message-ID.
        const hold = await holdOn(tx, email);
        if (hold !== undefined) {
          await tx
            .update(emailLedger)
            .set({ status: 'held', lastError: hold, heldMessage: heldMessageOf(email), recipientEmail: email.to.address })
            .where(eq(emailLedger.id, row.id));
          return { outcome: { status: 'held', messageId, error: hold } };
        }
        // A fresh claim may belong to an attempt that is still sending: let it finish. A retry of
        // the activity knows better: Temporal retries only once the previous attempt failed or timed out.
        const retrying = (asyncLocalStorage.getStore()?.info.attempt ?? 1) > 1;
        if (row.status === 'sending' && claimFresh && !retrying) throw new ClaimedElsewhereError(email.idempotencyKey, row.attempts);
        // 'sending': the attempt that claimed the row ended without recording an outcome (Temporal
        // starts another attempt only once that one failed or timed out). 'unknown': it lost the
        // connection after the data. Either way the mail may be out: send again, and say so.
        const resend = row.status === 'sending' || row.status === 'unknown';
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
            ...(resend && {
              possibleDuplicate: true,
              lastError: row.lastError ?? `attempt ${row.attempts} ended without recording whether the SMTP server accepted the mail`,
            }),
          })
          .where(eq(emailLedger.id, row.id));
        return { messageId, resend };
      }
    }
  });
}

async function recordFailure(db: Database, email: LedgerEmail, messageId: string, error: unknown): Promise<void> {
  const key = email.idempotencyKey;
  const lastError = error instanceof Error ? error.message : String(error);
  if (error instanceof SmtpPermanentError) {
    await db.transaction(async (tx) => {
      await tx.update(emailLedger).set({ status: 'failed', lastError }).where(eq(emailLedger.idempotencyKey, key));
      if (error.recipientRejected) await holdAddress(tx, email, error);
      // A final failure is an event staff must be able to trace, like their own actions: keyed, so a retry writes it once.
      await recordAudit(tx, {
        occurredAt: new Date(),
        actor: email.workflowId === undefined ? 'system' : `workflow:${email.workflowId}`,
        entityType: 'email',
        entityId: key,
        action: 'email-refused',
        details: {
          messageId,
          template: email.template,
          recipientRole: email.recipientRole,
          smtpResponse: error.response ?? error.message,
          addressOnHold: error.recipientRejected,
        },
        eventKey: `${key}/refused`,
      });
    });
    reportOutcome(email, { status: 'failed', messageId, error: lastError }, lastError);
    return;
  }
  // SmtpTransientError or SmtpConfigurationError (the server cannot have the mail), or anything else a mailer threw: try again later.
  await db.update(emailLedger).set({ status: 'pending', lastError }).where(eq(emailLedger.idempotencyKey, key));
  eventLog().warn('email not sent yet; it is tried again', { ...emailFields(email), reason: lastError });
}

/** Puts the refused address on hold: the contact's or staff member's row says since when and why, for staff to see and fix. */
async function holdAddress(db: DbOrTx, email: LedgerEmail, error: SmtpPermanentError): Promise<void> {
  const reason = error.response ?? error.message;
  if (email.contactId !== undefined) {
    await db
      .update(contacts)
      // Keep the first failure's time: staff see how long the address has been broken.
      .set({ emailFailingSince: sql`coalesce(${contacts.emailFailingSince}, now())`, emailFailureReason: reason })
      .where(eq(contacts.id, email.contactId));
  }
  if (email.staffId !== undefined) {
    await db
      .update(staff)
      .set({ emailFailingSince: sql`coalesce(${staff.emailFailingSince}, now())`, emailFailureReason: reason })
      .where(eq(staff.id, email.staffId));
  }
}

/**
 * Records that the sends of one notice gave up (retries exhausted): every row under `keyPrefix`
 * that has not reached an outcome becomes 'failed' with the reason, so staff see it. Returns the
 * rows it changed. Idempotent: a second call finds them failed already.
 */
export async function recordGivenUp(db: DbOrTx, keyPrefix: string, reason: string): Promise<{ idempotencyKey: string; recipientRole: string | null }[]> {
  return db
    .update(emailLedger)
    .set({ status: 'failed', lastError: `gave up: ${reason}` })
    .where(and(like(emailLedger.idempotencyKey, `${escapeLike(keyPrefix)}/%`), inArray(emailLedger.status, ['pending', 'sending', 'unknown'])))
    .returning({ idempotencyKey: emailLedger.idempotencyKey, recipientRole: emailLedger.recipientRole });
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** "on hold since …: reason" when the recipient's address is on hold, else undefined. */
async function holdOn(db: DbOrTx, email: LedgerEmail): Promise<string | undefined> {
  const [person] =
    email.contactId !== undefined
      ? await db.select({ since: contacts.emailFailingSince, reason: contacts.emailFailureReason }).from(contacts).where(eq(contacts.id, email.contactId))
      : email.staffId !== undefined
        ? await db.select({ since: staff.emailFailingSince, reason: staff.emailFailureReason }).from(staff).where(eq(staff.id, email.staffId))
        : [];
  if (!person?.since) return undefined;
  return `address on hold since ${person.since.toISOString()}: ${person.reason ?? 'refused for good'}`;
}

function heldMessageOf(email: LedgerEmail): HeldMessage {
  return {
    text: email.text,
    html: email.html,
    ...(email.headers && { headers: email.headers }),
    ...(email.attachments && {
      attachments: email.attachments.map(({ filename, contentType, content }) => ({
        filename,
        contentType,
        contentBase64: Buffer.from(content).toString('base64'),
      })),
    }),
  };
}

export type ReleasedEmail = { idempotencyKey: string; to: string; outcome: DeliveryOutcome['status'] | 'error'; error?: string };

/**
 * Sends every held email whose recipient is no longer on hold (staff cleared it, or changed the
 * address), as it was held: same Message-ID, to the person's current address. Safe to run again:
 * each goes through deliverOnce, so a sent row is not sent twice, one still held stays held, and
 * one the server deferred (or whose attempt was cut off) keeps its message for the next run.
 */
export async function sendReleasedHeldEmails(deps: LedgerDeps): Promise<ReleasedEmail[]> {
  const { db } = deps;
  const rows = await db
    .select({
      row: emailLedger,
      contact: { name: contacts.name, email: contacts.email, since: contacts.emailFailingSince },
      member: { name: staff.name, email: staff.email, since: staff.emailFailingSince },
    })
    .from(emailLedger)
    .leftJoin(contacts, eq(contacts.id, emailLedger.contactId))
    .leftJoin(staff, eq(staff.id, emailLedger.staffId))
    // Held, or released before and not sent yet (the SMTP server deferred it): the message is kept until it is sent.
    .where(and(isNotNull(emailLedger.heldMessage), inArray(emailLedger.status, ['held', 'pending', 'sending', 'unknown'])))
    .orderBy(emailLedger.id);
  const released: ReleasedEmail[] = [];
  for (const { row, contact, member } of rows) {
    const person = contact?.email ? contact : member?.email ? member : undefined;
    if (!person?.email || person.since !== null || !row.heldMessage) continue;
    const held = row.heldMessage;
    const email: LedgerEmail = {
      idempotencyKey: row.idempotencyKey,
      template: row.template,
      language: (row.language ?? 'de') as NoticeLanguage,
      recipientRole: row.recipientRole ?? '',
      workflowId: row.workflowId ?? undefined,
      organisationId: row.organisationId ?? undefined,
      contactId: row.contactId ?? undefined,
      staffId: row.staffId ?? undefined,
      to: { name: person.name ?? '', address: person.email },
      subject: row.subject,
      text: held.text,
      html: held.html,
      headers: held.headers,
      attachments: held.attachments?.map(({ filename, contentType, contentBase64 }) => ({ filename, contentType, content: Buffer.from(contentBase64, 'base64') })),
    };
    try {
      const outcome = await deliverOnce(deps, email);
      released.push({ idempotencyKey: row.idempotencyKey, to: person.email, outcome: outcome.status, ...(outcome.status !== 'sent' && 'error' in outcome && { error: outcome.error }) });
    } catch (error) {
      // One refusal or a server that is down stops nobody else's mail; the row says what happened.
      released.push({ idempotencyKey: row.idempotencyKey, to: person.email, outcome: 'error', error: error instanceof Error ? error.message : String(error) });
    }
  }
  return released;
}
