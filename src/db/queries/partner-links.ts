/** Partner links: issue, find by token, record a use, revoke. Tokens arrive hashed. */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { organisations, partnerLinks, type PartnerLink } from '../schema';

export type LinkScope = { organisationId: number; purpose: string; subject: string };

export async function insertPartnerLink(
  db: DbOrTx,
  link: LinkScope & { tokenHash: string; expiresAt: Date },
): Promise<PartnerLink> {
  const [row] = await db.insert(partnerLinks).values(link).returning();
  if (!row) throw new Error('inserting the partner link returned nothing');
  return row;
}

/** Inserts the link unless one with its token is there; returns the row and whether it is new. */
export async function insertPartnerLinkOnce(
  db: DbOrTx,
  link: LinkScope & { tokenHash: string; expiresAt: Date },
): Promise<{ link: PartnerLink; inserted: boolean }> {
  const [row] = await db.insert(partnerLinks).values(link).onConflictDoNothing({ target: partnerLinks.tokenHash }).returning();
  if (row) return { link: row, inserted: true };
  const [existing] = await db.select().from(partnerLinks).where(eq(partnerLinks.tokenHash, link.tokenHash));
  if (!existing) throw new Error('the partner link neither inserted nor found');
  return { link: existing, inserted: false };
}

export type LinkWithPartner = PartnerLink & { partnerNumber: number; partnerName: string };

export async function findPartnerLinkByHash(db: DbOrTx, hash: string): Promise<LinkWithPartner | undefined> {
  const [row] = await db
    .select({ link: partnerLinks, partnerNumber: organisations.number, partnerName: organisations.name })
    .from(partnerLinks)
    .innerJoin(organisations, eq(organisations.id, partnerLinks.organisationId))
    .where(eq(partnerLinks.tokenHash, hash));
  return row && { ...row.link, partnerNumber: row.partnerNumber, partnerName: row.partnerName };
}

export async function findPartnerLinkById(db: DbOrTx, id: number): Promise<LinkWithPartner | undefined> {
  const [row] = await db
    .select({ link: partnerLinks, partnerNumber: organisations.number, partnerName: organisations.name })
    .from(partnerLinks)
    .innerJoin(organisations, eq(organisations.id, partnerLinks.organisationId))
    .where(eq(partnerLinks.id, id));
  return row && { ...row.link, partnerNumber: row.partnerNumber, partnerName: row.partnerName };
}

export async function markPartnerLinkUsed(db: DbOrTx, id: number): Promise<void> {
  await db
    .update(partnerLinks)
    .set({ useCount: sql`${partnerLinks.useCount} + 1`, lastUsedAt: sql`now()` })
    .where(eq(partnerLinks.id, id));
}

/** Revokes one link; returns false when it did not exist or was revoked already. */
export async function revokePartnerLink(db: DbOrTx, id: number, by: string): Promise<boolean> {
  const rows = await db
    .update(partnerLinks)
    .set({ revokedAt: sql`now()`, revokedBy: by })
    .where(and(eq(partnerLinks.id, id), isNull(partnerLinks.revokedAt)))
    .returning({ id: partnerLinks.id });
  return rows.length > 0;
}

export async function listPartnerLinks(db: DbOrTx, scope: LinkScope): Promise<PartnerLink[]> {
  return db
    .select()
    .from(partnerLinks)
    .where(
      and(
        eq(partnerLinks.organisationId, scope.organisationId),
        eq(partnerLinks.purpose, scope.purpose),
        eq(partnerLinks.subject, scope.subject),
      ),
    )
    .orderBy(desc(partnerLinks.id));
}
