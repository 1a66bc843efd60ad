import { isDeepStrictEqual } from 'node:util';
import { eq, inArray } from 'drizzle-orm';
import type { ContactRole, PartnerRow } from '../../domain/partner';
import { parsePartnerFile } from '../../domain/partner-file';
import type { DbOrTx, Tx } from '../client';
import { contacts, organisations, type Contact, type Organisation } from '../schema';
import { recordAudit } from './audit';

/** An organisation with its contacts (main contact first). */
export type Partner = Organisation & { contacts: Contact[] };

/** All organisations in the order of the partner overview: by accession date, ties by number. */
export async function listPartners(db: DbOrTx): Promise<Partner[]> {
  // Ascending order puts prospects (no accession date yet) last.
  return db.query.organisations.findMany({
    with: { contacts: { orderBy: (c, { asc }) => [asc(c.role)] } },
    orderBy: (o, { asc }) => [asc(o.accessionDate), asc(o.number)],
  });
}

export async function findPartnerByNumber(db: DbOrTx, number: number): Promise<Partner | undefined> {
  return db.query.organisations.findFirst({
    where: (o, { eq }) => eq(o.number, number),
    with: { contacts: { orderBy: (c, { asc }) => [asc(c.role)] } },
  });
}

/** Partner numbers by what the import did to them. */
export type PartnerImportSummary = { created: number[]; updated: number[]; unchanged: number[] };

export type PartnerImportOptions = {
  /** When the import happened, for the audit log; now by default. */
  occurredAt?: Date;
  actor?: string;
};

/**
 * Creates or updates partners by number, all in one transaction: either every row lands or none.
 * A field the row leaves out keeps its stored value, so a file of names and dates never wipes
 * contacts or headings entered elsewhere. Each created or changed partner gets one audit entry;
 * importing the same file again changes nothing and records nothing.
 */
export async function importPartners(
  db: DbOrTx,
  rows: PartnerRow[],
  options: PartnerImportOptions = {},
): Promise<PartnerImportSummary> {
  const audit = { occurredAt: options.occurredAt ?? new Date(), actor: options.actor ?? 'cli' };
  return db.transaction(async (tx) => {
    const stored = await lockPartners(
      tx,
      rows.map((row) => row.number),
    );
    const summary: PartnerImportSummary = { created: [], updated: [], unchanged: [] };
    for (const row of rows) {
      const partner = stored.get(row.number);
      if (partner === undefined) {
        await createPartner(tx, row, audit);
        summary.created.push(row.number);
      } else if (await updatePartner(tx, partner, row, audit)) {
        summary.updated.push(row.number);
      } else {
        summary.unchanged.push(row.number);
      }
    }
    return summary;
  });
}

type AuditContext = { occurredAt: Date; actor: string };
type WantedContact = { name: string; email: string; language?: Contact['language'] };
type Change = { from: unknown; to: unknown };

/** Reads the partners the file names and locks them, so a concurrent import waits instead of interleaving. */
async function lockPartners(tx: Tx, numbers: number[]): Promise<Map<number, Partner>> {
  if (numbers.length === 0) return new Map();
  const found = await tx.select().from(organisations).where(inArray(organisations.number, numbers)).for('update');
  const foundContacts =
    found.length === 0
      ? []
      : await tx
          .select()
          .from(contacts)
          .where(
            inArray(
              contacts.organisationId,
              found.map((o) => o.id),
            ),
          );
  return new Map(
    found.map((o) => [o.number, { ...o, contacts: foundContacts.filter((c) => c.organisationId === o.id) }]),
  );
}

async function createPartner(tx: Tx, row: PartnerRow, audit: AuditContext): Promise<void> {
  const [organisation] = await tx
    .insert(organisations)
    .values({
      number: row.number,
      name: row.name,
      kind: row.kind,
      accessionDate: row.accessionDate ?? null,
      memberCities: row.memberCities ?? [],
      reportHeading: row.reportHeading ?? null,
      status: row.accessionDate === undefined ? 'prospect' : 'active',
    })
    .returning();
  if (organisation === undefined) throw new Error(`partner ${row.number} was not inserted`);
  const created = [];
  for (const [role, wanted] of wantedContacts(row)) {
    const language = wanted.language ?? 'de';
    await tx.insert(contacts).values({ organisationId: organisation.id, role, ...wanted, language });
    created.push({ role, ...wanted, language });
  }
  await recordAudit(tx, {
    ...audit,
    entityType: 'organisation',
    entityId: String(organisation.id),
    action: 'partner.created',
    details: {
      number: organisation.number,
      name: organisation.name,
      kind: organisation.kind,
      status: organisation.status,
      accessionDate: organisation.accessionDate,
      memberCities: organisation.memberCities,
      reportHeading: organisation.reportHeading,
      contacts: created,
    },
  });
}

/** Applies what differs; returns whether anything did. */
async function updatePartner(tx: Tx, partner: Partner, row: PartnerRow, audit: AuditContext): Promise<boolean> {
  const changes: Record<string, Change> = {};
  const patch = changedFields(partner, {
    name: row.name,
    kind: row.kind,
    accessionDate: row.accessionDate,
    memberCities: row.memberCities,
    reportHeading: row.reportHeading,
    // A date of accession for a prospect means it has joined; later stages belong to the accession workflow.
    status: partner.status === 'prospect' && row.accessionDate !== undefined ? ('active' as const) : undefined,
  });
  if (Object.keys(patch).length > 0) {
    await tx.update(organisations).set(patch).where(eq(organisations.id, partner.id));
    Object.assign(changes, describe(partner, patch));
  }
  for (const [role, wanted] of wantedContacts(row)) {
    const contact = partner.contacts.find((c) => c.role === role);
    if (contact === undefined) {
      const language = wanted.language ?? 'de';
      await tx.insert(contacts).values({ organisationId: partner.id, role, ...wanted, language });
      changes[role] = { from: null, to: { ...wanted, language } };
      continue;
    }
    const contactPatch = changedFields(contact, wanted);
    if (Object.keys(contactPatch).length === 0) continue;
    // A new address starts with a clean delivery record.
    const resetFailure = contactPatch.email === undefined ? {} : { emailFailingSince: null, emailFailureReason: null };
    await tx
      .update(contacts)
      .set({ ...contactPatch, ...resetFailure })
      .where(eq(contacts.id, contact.id));
    for (const [field, change] of Object.entries(describe(contact, contactPatch))) changes[`${role}.${field}`] = change;
  }
  if (Object.keys(changes).length === 0) return false;
  await recordAudit(tx, {
    ...audit,
    entityType: 'organisation',
    entityId: String(partner.id),
    action: 'partner.updated',
    details: { number: partner.number, changes },
  });
  return true;
}

function wantedContacts(row: PartnerRow): [ContactRole, WantedContact][] {
  const wanted: [ContactRole, WantedContact][] = [];
  // The row schema guarantees name and email come together.
  if (row.mainContactName !== undefined && row.mainContactEmail !== undefined) {
    wanted.push(['main_contact', contact(row.mainContactName, row.mainContactEmail, row.mainContactLanguage)]);
  }
  if (row.leadershipName !== undefined && row.leadershipEmail !== undefined) {
    wanted.push(['leadership_signatory', contact(row.leadershipName, row.leadershipEmail, row.leadershipLanguage)]);
  }
  return wanted;
}

function contact(name: string, email: string, language: WantedContact['language']): WantedContact {
  return language === undefined ? { name, email } : { name, email, language };
}

/** The wanted values that are given and differ from the stored ones. */
function changedFields<W extends Record<string, unknown>>(stored: { [K in keyof W]: unknown }, wanted: W): Partial<W> {
  const patch: Partial<W> = {};
  for (const key of Object.keys(wanted) as (keyof W)[]) {
    const value = wanted[key];
    if (value !== undefined && !isDeepStrictEqual(value, stored[key])) patch[key] = value;
  }
  return patch;
}

function describe<W extends Record<string, unknown>>(
  stored: { [K in keyof W]: unknown },
  patch: Partial<W>,
): Record<string, Change> {
  return Object.fromEntries(Object.keys(patch).map((key) => [key, { from: stored[key], to: patch[key] }]));
}

/** Parses the file and, only if every row is good, imports all of it in one transaction. */
export async function importPartnerFile(
  db: DbOrTx,
  fileName: string,
  content: string,
  options: PartnerImportOptions = {},
): Promise<{ errors: string[] } | { summary: PartnerImportSummary }> {
  const parsed = parsePartnerFile(fileName, content);
  if ('errors' in parsed) return parsed;
  return { summary: await importPartners(db, parsed.rows, options) };
}
