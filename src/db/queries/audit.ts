import type { DbOrTx } from '../client';
import { auditLog } from '../schema';

export type AuditEntry = {
  occurredAt: Date;
  /** 'system' | 'workflow:<id>' | 'staff:<name>' | 'cli' */
  actor: string;
  entityType: string;
  entityId: string;
  action: string;
  details?: unknown;
  /** Idempotency for retried activities: a second entry with the same key is dropped. */
  eventKey?: string;
};

export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db
    .insert(auditLog)
    .values({ ...entry, details: entry.details ?? null, eventKey: entry.eventKey ?? null })
    .onConflictDoNothing({ target: auditLog.eventKey });
}
