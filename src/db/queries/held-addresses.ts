import { asc, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { staff } from '../schema';

/**
 * Ministry addresses the SMTP server refused for good (550/554): on hold until corrected. Partner
 * contacts carry the same columns and show with their partner; staff have no partner to show with.
 */
export async function heldStaffAddresses(db: DbOrTx) {
  return db
    .select({ name: staff.name, email: staff.email, role: staff.role, since: staff.emailFailingSince, reason: staff.emailFailureReason })
    .from(staff)
    .where(isNotNull(staff.emailFailingSince))
    .orderBy(asc(staff.emailFailingSince), asc(staff.id));
}

export type HeldStaffAddress = Awaited<ReturnType<typeof heldStaffAddresses>>[number];
