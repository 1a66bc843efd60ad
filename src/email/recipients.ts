import { and, asc, eq } from 'drizzle-orm';
import type { RecipientRole } from '../domain/notice-families';
import type { DbOrTx } from '../db/client';
import { contacts, staff, type Organisation } from '../db/schema';
import type { NoticeLanguage } from './notice-context';

/** A person a notice goes to, with the row that identifies them in the ledger key. */
export type NoticeRecipient = {
  role: RecipientRole;
  name: string;
  email: string;
  language: NoticeLanguage;
} & ({ kind: 'contact'; contactId: number } | { kind: 'staff'; staffId: number });

/** The people behind one role for one organisation; empty when nobody holds it. */
export async function resolveRecipients(
  db: DbOrTx,
  organisation: Pick<Organisation, 'id' | 'caseworkerId'>,
  role: RecipientRole,
): Promise<NoticeRecipient[]> {
  switch (role) {
    case 'partner_main_contact':
      return partnerContacts(db, organisation.id, role, 'main_contact');
    case 'partner_leadership':
      return partnerContacts(db, organisation.id, role, 'leadership_signatory');
    case 'ministry_caseworker': {
      if (organisation.caseworkerId !== null) {
        const assigned = await activeStaff(db, role, eq(staff.id, organisation.caseworkerId));
        if (assigned.length > 0) return assigned;
      }
      // No (active) caseworker assigned: every caseworker hears of it rather than nobody.
      return activeStaff(db, role, eq(staff.role, 'caseworker'));
    }
    case 'head_of_unit':
      return activeStaff(db, role, eq(staff.role, 'head_of_unit'));
  }
}

async function partnerContacts(
  db: DbOrTx,
  organisationId: number,
  role: RecipientRole,
  contactRole: 'main_contact' | 'leadership_signatory',
): Promise<NoticeRecipient[]> {
  const rows = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.organisationId, organisationId), eq(contacts.role, contactRole)))
    .orderBy(asc(contacts.id));
  return rows.map((c) => ({ role, kind: 'contact', contactId: c.id, name: c.name, email: c.email, language: c.language }));
}

async function activeStaff(
  db: DbOrTx,
  role: RecipientRole,
  condition: ReturnType<typeof eq>,
): Promise<NoticeRecipient[]> {
  const rows = await db
    .select()
    .from(staff)
    .where(and(eq(staff.active, true), condition))
    .orderBy(asc(staff.id));
  return rows.map((s) => ({ role, kind: 'staff', staffId: s.id, name: s.name, email: s.email, language: s.language }));
}
