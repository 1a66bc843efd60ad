/** What the audit log says about one entity, as tests read it back. */
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../src/db/client';
import { auditLog } from '../../src/db/schema';

/** The entity's audit entries, oldest first: what was done, by whom, with which details. */
export function auditOf(db: DbOrTx, entityType: string, entityId: string) {
  return db
    .select({ action: auditLog.action, actor: auditLog.actor, details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(asc(auditLog.id));
}

/** Only the actions, oldest first. */
export async function auditActionsOf(db: DbOrTx, entityType: string, entityId: string): Promise<string[]> {
  return (await auditOf(db, entityType, entityId)).map((entry) => entry.action);
}
