import { readFileSync } from 'node:fs';
import { asc, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client';
import { findPartnerByNumber, importPartners, listPartners } from '../../src/db/queries/partners';
import { auditLog, contacts, organisations } from '../../src/db/schema';
import type { PartnerRow } from '../../src/domain/partner';
import { importPartnerFile } from '../../src/db/queries/partners';
import { parsePartnerFile } from '../../src/domain/partner-file';
import { createTestDatabase, type TestDatabase } from '../support/database';

const demoFile = readFileSync(new URL('../../src/dev/demo-partners.json', import.meta.url), 'utf8');
const fixture = (name: string) => readFileSync(new URL(`../fixtures/partners/${name}`, import.meta.url), 'utf8');
const occurredAt = new Date('2019-01-15T09:00:00Z');

/** Everything an import may touch, in a stable order, to compare before and after. */
async function snapshot(db: Database) {
  return {
    organisations: await db.select().from(organisations).orderBy(asc(organisations.id)),
    contacts: await db.select().from(contacts).orderBy(asc(contacts.id)),
    audit: await db.select().from(auditLog).orderBy(asc(auditLog.id)),
  };
}

describe('partner import', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase();
  });
  afterEach(() => t?.drop());

  it('imports the demo partners: 28 in accession order, the cooperation with its 9 member cities', async () => {
    const result = await importPartnerFile(t.db, 'demo-partners.json', demoFile, { occurredAt });
    expect(result).toEqual({
      summary: { created: Array.from({ length: 28 }, (_, i) => i + 1), updated: [], unchanged: [] },
    });

    const partners = await listPartners(t.db);
    expect(partners).toHaveLength(28);
    expect(partners.map((p) => p.number)).toEqual(Array.from({ length: 28 }, (_, i) => i + 1));
    expect(partners.every((p) => p.status === 'active')).toBe(true);

    const cooperation = await findPartnerByNumber(t.db, 12);
    expect(cooperation).toMatchObject({
      name: 'Städtekooperation Integration. Interkommunal',
      kind: 'city_cooperation',
      accessionDate: '2013-07-09',
      reportHeading: 'Bericht der Städtekooperation Integration.Interkommunal',
      memberCities: [
        'Bochum',
        'Bottrop',
        'Dortmund',
        'Duisburg',
        'Essen',
        'Gelsenkirchen',
        'Herne',
        'Mülheim an der Ruhr',
        'Oberhausen',
      ],
    });
    expect(cooperation?.contacts.map((c) => c.role)).toEqual(['main_contact', 'leadership_signatory']);

    const lippe = await findPartnerByNumber(t.db, 2);
    expect(lippe?.contacts[0]).toMatchObject({ email: 'ikoe@kreis-lippe.example', language: 'de' });
    const english = await t.db.select().from(contacts).where(eq(contacts.language, 'en'));
    expect(new Set(english.map((c) => c.organisationId)).size).toBe(2);

    const audit = await t.db.select().from(auditLog).orderBy(asc(auditLog.id));
    expect(audit).toHaveLength(28);
    expect(audit[1]).toMatchObject({
      actor: 'cli',
      entityType: 'organisation',
      entityId: String(lippe?.id),
      action: 'partner.created',
      occurredAt,
      details: expect.objectContaining({ number: 2, name: 'Kreis Lippe', accessionDate: '2012-08-15' }),
    });
  });

  it('orders partners with the same accession date by number and prospects last', async () => {
    const csv = [
      'number,name,kind,accessionDate',
      '9,Kreis Später,district,',
      '4,Stadt Duisburg,municipality,2012-08-23',
      '3,Der PARITÄTISCHE NRW e.V.,association,2012-08-23',
    ].join('\n');
    const rows = parsePartnerFile('p.csv', csv);
    if (!('rows' in rows)) throw new Error(rows.errors.join('\n'));
    await importPartners(t.db, rows.rows, { occurredAt });
    const partners = await listPartners(t.db);
    expect(partners.map((p) => [p.number, p.status])).toEqual([
      [3, 'active'],
      [4, 'active'],
      [9, 'prospect'],
    ]);
  });

  it('imports a good CSV file with quoted names, member cities and optional contacts', async () => {
    const result = await importPartnerFile(t.db, 'good.csv', fixture('good.csv'), { occurredAt });
    expect(result).toEqual({ summary: { created: [101, 102, 103], updated: [], unchanged: [] } });

    const verbund = await findPartnerByNumber(t.db, 102);
    expect(verbund).toMatchObject({
      name: 'Städteverbund Rhein, Ruhr und Wupper',
      memberCities: ['Wuppertal', 'Remscheid', 'Solingen'],
      reportHeading: null,
    });
    expect(verbund?.contacts.map((c) => [c.role, c.email, c.language])).toEqual([
      ['main_contact', 'integration@staedteverbund.example', 'en'],
      ['leadership_signatory', 'leitung@staedteverbund.example', 'de'],
    ]);
    expect(await findPartnerByNumber(t.db, 103)).toMatchObject({
      status: 'prospect',
      accessionDate: null,
      memberCities: [],
      contacts: [],
    });
  });

  const badRowMessages: Record<string, number> = { 'bad.csv': 9, 'bad.json': 6 };
  for (const file of Object.keys(badRowMessages)) {
    it(`rejects ${file} with every bad row and leaves an empty database empty`, async () => {
      const before = await snapshot(t.db);
      const result = await importPartnerFile(t.db, file, fixture(file), { occurredAt });
      // The exact messages are pinned in test/unit/partner-file.test.ts.
      expect('errors' in result && result.errors).toHaveLength(badRowMessages[file]!);
      expect(await snapshot(t.db)).toEqual(before);
    });

    it(`rejects ${file} without touching partners already in the database`, async () => {
      await importPartnerFile(t.db, 'demo-partners.json', demoFile, { occurredAt });
      const before = await snapshot(t.db);
      const result = await importPartnerFile(t.db, file, fixture(file), { occurredAt });
      expect(result).toHaveProperty('errors');
      expect(await snapshot(t.db)).toEqual(before);
    });
  }

  it('rolls back every row when the database refuses one halfway through', async () => {
    await importPartnerFile(t.db, 'demo-partners.json', demoFile, { occurredAt });
    const before = await snapshot(t.db);
    // A real failure inside the transaction, after earlier rows were already written.
    await t.db.execute(sql`
      create function refuse_partner_20() returns trigger language plpgsql as $$
      begin
        if new.number = 20 then raise exception 'partner 20 refused by test trigger'; end if;
        return new;
      end $$`);
    await t.db.execute(sql`
      create trigger refuse_partner_20 before update on organisations
      for each row execute function refuse_partner_20()`);

    const renamed = (parsePartnerFile('demo-partners.json', demoFile) as { rows: PartnerRow[] }).rows.map((row) => ({
      ...row,
      name: `${row.name} (neu)`,
    }));
    await expect(importPartners(t.db, renamed, { occurredAt })).rejects.toThrow();
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('changes nothing and records nothing when the same file is imported again', async () => {
    await importPartnerFile(t.db, 'demo-partners.json', demoFile, { occurredAt });
    await importPartnerFile(t.db, 'good.csv', fixture('good.csv'), { occurredAt });
    const before = await snapshot(t.db);

    const again = await importPartnerFile(t.db, 'demo-partners.json', demoFile, { occurredAt });
    expect(again).toEqual({
      summary: { created: [], updated: [], unchanged: Array.from({ length: 28 }, (_, i) => i + 1) },
    });
    expect(await importPartnerFile(t.db, 'good.csv', fixture('good.csv'))).toEqual({
      summary: { created: [], updated: [], unchanged: [101, 102, 103] },
    });
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('updates a changed partner in place, keeps fields the file leaves out, and audits what changed', async () => {
    await importPartnerFile(t.db, 'good.csv', fixture('good.csv'), { occurredAt });
    const before = await findPartnerByNumber(t.db, 101);
    await t.db
      .update(contacts)
      .set({ emailFailingSince: new Date('2019-01-20T00:00:00Z'), emailFailureReason: '550 mailbox unavailable' })
      .where(eq(contacts.id, before!.contacts[0]!.id));

    const update = [
      'number,name,kind,accessionDate,mainContactName,mainContactEmail',
      '101,Kreis Musterland,district,2019-02-14,Erika Mustermann,erika.mustermann@kreis-musterland.example',
      '103,Handwerkskammer Beispielstadt,chamber,2019-03-01,,',
    ].join('\n');
    const result = await importPartnerFile(t.db, 'update.csv', update, { occurredAt, actor: 'staff:Jonas Beispiel' });
    expect(result).toEqual({ summary: { created: [], updated: [101, 103], unchanged: [] } });

    const after = await findPartnerByNumber(t.db, 101);
    expect(after?.id).toBe(before?.id);
    expect(after?.reportHeading).toBe('Bericht des Kreises Musterland');
    expect(after?.contacts[0]).toMatchObject({
      id: before?.contacts[0]?.id,
      email: 'erika.mustermann@kreis-musterland.example',
      language: 'de',
      emailFailingSince: null,
      emailFailureReason: null,
    });
    expect(after?.contacts[1]).toEqual(before?.contacts[1]);
    expect(await findPartnerByNumber(t.db, 103)).toMatchObject({ status: 'active', accessionDate: '2019-03-01' });

    const audit = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'partner.updated'))
      .orderBy(asc(auditLog.id));
    expect(audit.map((a) => [a.actor, a.details])).toEqual([
      [
        'staff:Jonas Beispiel',
        {
          number: 101,
          changes: {
            'main_contact.email': {
              from: 'ikoe@kreis-musterland.example',
              to: 'erika.mustermann@kreis-musterland.example',
            },
          },
        },
      ],
      [
        'staff:Jonas Beispiel',
        {
          number: 103,
          changes: { accessionDate: { from: null, to: '2019-03-01' }, status: { from: 'prospect', to: 'active' } },
        },
      ],
    ]);
  });
});
