/** A partner with people at it, for the privacy tests (codec, erasure, export). */
import { contacts, organisations, type Organisation } from '../../src/db/schema';
import type { Database } from '../../src/db/client';

export async function seedPartnerWithContacts(db: Database, { number }: { number: number }): Promise<Organisation> {
  const [organisation] = await db
    .insert(organisations)
    .values({ number, name: `Stadt Beispiel ${number}`, kind: 'municipality', status: 'active', accessionDate: '2014-03-01' })
    .returning();
  if (!organisation) throw new Error('seeding the partner failed');
  await db.insert(contacts).values([
    { organisationId: organisation.id, role: 'main_contact', name: 'Aylin Demir', email: `aylin.demir@stadt-${number}.example` },
    { organisationId: organisation.id, role: 'leadership_signatory', name: 'Bernd Vogel', email: `buergermeister@stadt-${number}.example` },
  ]);
  return organisation;
}
