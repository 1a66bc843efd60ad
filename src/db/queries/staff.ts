import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { staff, type staffRole } from '../schema';

export type StaffRole = (typeof staffRole.enumValues)[number];

/** Active staff members holding one of `roles`, in the order they were added. */
export async function listActiveStaff(db: DbOrTx, roles: StaffRole[]) {
  return db
    .select({ id: staff.id, name: staff.name, email: staff.email, language: staff.language, role: staff.role })
    .from(staff)
    .where(and(eq(staff.active, true), inArray(staff.role, roles)))
    .orderBy(asc(staff.id));
}
