import { relations, sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, instant, updatedAt } from './columns';
import { contacts, organisations, staff } from './organisations';

/** 'held': not sent because the address is on hold (refused for good earlier); sent once staff clear the hold or change it. */
export const emailStatus = pgEnum('email_status', ['pending', 'sending', 'sent', 'failed', 'unknown', 'held']);

/**
 * One row per intended email. The idempotency key (a business key) makes a retried activity
 * find its earlier row instead of sending twice; the Message-ID derives from it.
 */
export const emailLedger = pgTable(
  'email_ledger',
  {
    id: id(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    messageId: text('message_id').notNull().unique(),
    workflowId: text('workflow_id'),
    organisationId: integer('organisation_id').references(() => organisations.id),
    contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    staffId: integer('staff_id').references(() => staff.id, { onDelete: 'set null' }),
    recipientRole: text('recipient_role'),
    recipientEmail: text('recipient_email').notNull(),
    language: text('language'),
    template: text('template').notNull(),
    subject: text('subject').notNull(),
    status: emailStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /**
     * Sent again after an attempt whose outcome could not be known (it died between the SMTP
     * server's acceptance and this row's update, or lost the connection after the data): the
     * recipient may hold two copies with the same Message-ID, which mail clients fold into one.
     */
    possibleDuplicate: boolean('possible_duplicate').notNull().default(false),
    smtpResponse: text('smtp_response'),
    /**
     * For a 'held' row: the message as it was to go out, so it can be sent as it was (same
     * Message-ID) once the hold is cleared, without its workflow; null once sent.
     */
    heldMessage: jsonb('held_message').$type<HeldMessage>(),
    lastError: text('last_error'),
    createdAt: createdAt(),
    claimedAt: instant('claimed_at'),
    sentAt: instant('sent_at'),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('email_ledger_workflow_id_idx').on(t.workflowId),
    index('email_ledger_organisation_id_idx').on(t.organisationId),
    check('email_ledger_attempts_non_negative', sql`${t.attempts} >= 0`),
  ],
);

export const emailLedgerRelations = relations(emailLedger, ({ one }) => ({
  organisation: one(organisations, { fields: [emailLedger.organisationId], references: [organisations.id] }),
  contact: one(contacts, { fields: [emailLedger.contactId], references: [contacts.id] }),
  staff: one(staff, { fields: [emailLedger.staffId], references: [staff.id] }),
}));

/** A held email's content; attachments base64-encoded. */
export type HeldMessage = {
  text: string;
  html: string;
  headers?: Record<string, string>;
  attachments?: { filename: string; contentType: string; contentBase64: string }[];
};

export type EmailLedgerEntry = typeof emailLedger.$inferSelect;
export type NewEmailLedgerEntry = typeof emailLedger.$inferInsert;
