/** What the cycle workflow's activities read: the cycle's settings and the active partners, a page at a time. */
import { and, asc, count, eq, gt } from 'drizzle-orm';
import { cycleSettingsSchema, type CycleSettings } from '../../domain/cycle-settings';
import type { DbOrTx } from '../client';
import { organisations, reportingCycles } from '../schema';

export type CycleWithSettings = { id: number; year: number; dueDate: string; status: 'draft' | 'open' | 'closed'; settings: CycleSettings };

export async function findCycleWithSettings(db: DbOrTx, year: number): Promise<CycleWithSettings | undefined> {
  const [row] = await db
    .select({ id: reportingCycles.id, year: reportingCycles.year, dueDate: reportingCycles.dueDate, status: reportingCycles.status, settings: reportingCycles.settings })
    .from(reportingCycles)
    .where(eq(reportingCycles.year, year));
  // A cycle stored before settings existed has '{}': the defaults.
  return row && { ...row, settings: cycleSettingsSchema.parse(row.settings ?? {}) };
}

export async function openCycleYears(db: DbOrTx): Promise<number[]> {
  const rows = await db.select({ year: reportingCycles.year }).from(reportingCycles).where(eq(reportingCycles.status, 'open')).orderBy(asc(reportingCycles.year));
  return rows.map((row) => row.year);
}

export async function countActivePartners(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(organisations).where(eq(organisations.status, 'active'));
  return row?.n ?? 0;
}

export type ActivePartner = { id: number; number: number; accessionDate: string | null };

/** Up to `limit` active partners with a number above `after`, by number: an opening's next page. */
export async function activePartnersAfter(db: DbOrTx, after: number | null, limit: number): Promise<ActivePartner[]> {
  return db
    .select({ id: organisations.id, number: organisations.number, accessionDate: organisations.accessionDate })
    .from(organisations)
    .where(and(eq(organisations.status, 'active'), after === null ? undefined : gt(organisations.number, after)))
    .orderBy(asc(organisations.number))
    .limit(limit);
}

export async function findPartnerForJoin(db: DbOrTx, number: number): Promise<(ActivePartner & { status: string }) | undefined> {
  const [row] = await db
    .select({ id: organisations.id, number: organisations.number, accessionDate: organisations.accessionDate, status: organisations.status })
    .from(organisations)
    .where(eq(organisations.number, number));
  return row;
}
