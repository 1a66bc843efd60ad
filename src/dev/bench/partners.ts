import { count } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { contacts, organisations, staff } from '../../db/schema';

/**
 * N synthetic active partners for the benchmark, each with a main contact and a leadership
 * signatory, all looked after by one caseworker; and a head of unit. Written in batches straight
 * into the tables: importing 10,000 partners through the audited import would time the import.
 */
export async function seedBenchPartners(db: Database, partners: number): Promise<number[]> {
  const [existing] = await db.select({ n: count() }).from(organisations);
  if ((existing?.n ?? 0) > 0) throw new Error('the benchmark needs an empty database: this one already holds partners');
  const [caseworker] = await db
    .insert(staff)
    .values([
      { name: 'Bench Caseworker', email: 'caseworker@bench.example', role: 'caseworker' },
      { name: 'Bench Head of Unit', email: 'head-of-unit@bench.example', role: 'head_of_unit' },
    ])
    .returning({ id: staff.id });
  const numbers = Array.from({ length: partners }, (_, i) => i + 1);
  const batch = 1_000;
  for (let from = 0; from < numbers.length; from += batch) {
    const rows = await db
      .insert(organisations)
      .values(
        numbers.slice(from, from + batch).map((number) => ({
          number,
          name: `Bench-Partner ${number}`,
          kind: 'municipality' as const,
          status: 'active' as const,
          accessionDate: '2015-01-01',
          caseworkerId: caseworker?.id ?? null,
        })),
      )
      .returning({ id: organisations.id, number: organisations.number });
    await db.insert(contacts).values(
      rows.flatMap(({ id, number }) => [
        { organisationId: id, role: 'main_contact' as const, name: `Kontakt ${number}`, email: `kontakt-${number}@bench.example` },
        { organisationId: id, role: 'leadership_signatory' as const, name: `Leitung ${number}`, email: `leitung-${number}@bench.example` },
      ]),
    );
  }
  return numbers;
}
