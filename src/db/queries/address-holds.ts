import { and, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { contacts, staff } from '../schema';
import { recordAudit } from './audit';

/**
 * Clears the hold on an address (partner contacts and staff holding it): staff have checked it, or
 * the mailbox works again. Audited; returns who was on hold under it.
 */
export async function clearAddressHold(db: Database, address: string, actor: string): Promise<{ contacts: number; staff: number }> {
  return db.transaction(async (tx) => {
    const sameAddress = (column: typeof contacts.email | typeof staff.email) => sql`lower(${column}) = lower(${address})`;
    const clearedContacts = await tx
      .update(contacts)
      .set({ emailFailingSince: null, emailFailureReason: null })
      .where(and(sameAddress(contacts.email), isNotNull(contacts.emailFailingSince)))
      .returning({ id: contacts.id, reason: contacts.emailFailureReason });
    const clearedStaff = await tx
      .update(staff)
      .set({ emailFailingSince: null, emailFailureReason: null })
      .where(and(sameAddress(staff.email), isNotNull(staff.emailFailingSince)))
      .returning({ id: staff.id });
    const cleared = { contacts: clearedContacts.length, staff: clearedStaff.length };
    if (cleared.contacts + cleared.staff > 0) {
      await recordAudit(tx, {
        occurredAt: new Date(),
        actor,
        entityType: 'address',
        entityId: address.toLowerCase(),
        action: 'address-hold-cleared',
        details: { contactIds: clearedContacts.map((c) => c.id), staffIds: clearedStaff.map((s) => s.id) },
      });
    }
    return cleared;
  });
}
