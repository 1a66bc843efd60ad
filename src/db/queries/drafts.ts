/** Report drafts: what a partner typed and saved, exactly as typed. */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { reportDrafts } from '../schema';

export async function saveDraft(db: DbOrTx, organisationId: number, year: number, fields: Record<string, string>): Promise<void> {
  await db
    .insert(reportDrafts)
    .values({ organisationId, year, fields })
    .onConflictDoUpdate({ target: [reportDrafts.organisationId, reportDrafts.year], set: { fields } });
}

export async function loadDraft(db: DbOrTx, organisationId: number, year: number): Promise<Record<string, string> | undefined> {
  const [row] = await db
    .select({ fields: reportDrafts.fields })
    .from(reportDrafts)
    .where(and(eq(reportDrafts.organisationId, organisationId), eq(reportDrafts.year, year)));
  return row?.fields as Record<string, string> | undefined;
}

export async function deleteDraft(db: DbOrTx, organisationId: number, year: number): Promise<void> {
  await db.delete(reportDrafts).where(and(eq(reportDrafts.organisationId, organisationId), eq(reportDrafts.year, year)));
}
