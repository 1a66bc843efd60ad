import { bigserial, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns';

/** Append-only record of what happened to which entity, by whom. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    recordedAt: instant('recorded_at').notNull().defaultNow(),
    /** Business time: when it happened, which for a replayed workflow is not when it was recorded. */
    occurredAt: instant('occurred_at').notNull(),
    /** 'system' | 'workflow:<id>' | 'staff:<name>' | 'cli' */
    actor: text('actor').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action').notNull(),
    details: jsonb('details'),
    /** Set by retried activities so that a retry records the event once. */
    eventKey: text('event_key').unique(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entityType, t.entityId, t.occurredAt)],
);

export type AuditLogEntry = typeof auditLog.$inferSelect;
export type NewAuditLogEntry = typeof auditLog.$inferInsert;
