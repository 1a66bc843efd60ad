/** Queries of the reporting aggregate: cycles, per-partner reports, their versions. */
import { and, asc, eq, sql } from 'drizzle-orm';
import { cycleSettingsSchema, type CycleSettingsInput } from '../../domain/cycle-settings';
import { reportingPolicySchema, type ReportingPolicy } from '../../domain/policy';
import type { Database, DbOrTx } from '../client';
import { annualReports, organisations, reportVersions, reportingCycles, reportingOverrides } from '../schema';

export type CycleForPartner = {
  cycleId: number;
  year: number;
  periodStart: string;
  periodEnd: string;
  /** The partner's due date: an override if one was agreed, else the cycle's. */
  dueDate: string;
  policy: ReportingPolicy;
};

export class StoredPolicyInvalidError extends Error {
  readonly code = 'StoredPolicyInvalid';
}

export async function upsertCycle(
  db: DbOrTx,
  cycle: { year: number; periodStart: string; periodEnd: string; dueDate: string; policy: ReportingPolicy; open: boolean; settings?: CycleSettingsInput },
): Promise<void> {
  const values = {
    year: cycle.year,
    periodStart: cycle.periodStart,
    periodEnd: cycle.periodEnd,
    dueDate: cycle.dueDate,
    policy: cycle.policy,
    // Parsed, so the row holds the defaults it was opened with (a later default does not change it).
    ...(cycle.settings !== undefined && { settings: cycleSettingsSchema.parse(cycle.settings) }),
  };
  // Opening is stamped once, by the database clock; re-opening keeps the first stamp.
  const opening = cycle.open
    ? { status: 'open' as const, openedAt: sql`coalesce(${reportingCycles.openedAt}, now())` }
    : {};
  await db
    .insert(reportingCycles)
    .values({ ...values, ...(cycle.open ? { status: 'open' as const, openedAt: sql`now()` } : {}) })
    .onConflictDoUpdate({ target: reportingCycles.year, set: { ...values, ...opening } });
}

/** Whether a reporting cycle for `year` exists (draft, open or closed). */
export async function cycleExists(db: DbOrTx, year: number): Promise<boolean> {
  const [row] = await db.select({ id: reportingCycles.id }).from(reportingCycles).where(eq(reportingCycles.year, year));
  return row !== undefined;
}

/** The cycle of `year` as it applies to one organisation, or undefined when none exists. */
export async function findCycle(db: DbOrTx, year: number, organisationId: number): Promise<CycleForPartner | undefined> {
  const [row] = await db
    .select({
      cycleId: reportingCycles.id,
      year: reportingCycles.year,
      periodStart: reportingCycles.periodStart,
      periodEnd: reportingCycles.periodEnd,
      dueDate: sql<string>`coalesce(${reportingOverrides.dueDate}, ${reportingCycles.dueDate})::text`,
      policy: reportingCycles.policy,
    })
    .from(reportingCycles)
    .leftJoin(
      reportingOverrides,
      and(eq(reportingOverrides.cycleId, reportingCycles.id), eq(reportingOverrides.organisationId, organisationId)),
    )
    .where(eq(reportingCycles.year, year));
  if (!row) return undefined;
  const policy = reportingPolicySchema.safeParse(row.policy);
  if (!policy.success) {
    throw new StoredPolicyInvalidError(`the stored policy of cycle ${year} is invalid: ${policy.error.message}`);
  }
  return { ...row, policy: policy.data };
}

export async function setOverride(
  db: DbOrTx,
  override: { cycleId: number; organisationId: number; dueDate: string; reason: string },
): Promise<void> {
  await db
    .insert(reportingOverrides)
    .values(override)
    .onConflictDoUpdate({
      target: [reportingOverrides.cycleId, reportingOverrides.organisationId],
      set: { dueDate: override.dueDate, reason: override.reason },
    });
}

/** Creates or updates the partner's report row; returns its id. */
export async function saveReportState(
  db: DbOrTx,
  state: {
    cycleId: number;
    organisationId: number;
    phase: (typeof annualReports.$inferInsert)['phase'];
    dueAt: Date;
    escalationLevel: number;
    workflowId: string;
  },
): Promise<number> {
  const [row] = await db
    .insert(annualReports)
    .values(state)
    .onConflictDoUpdate({
      target: [annualReports.cycleId, annualReports.organisationId],
      set: { phase: state.phase, dueAt: state.dueAt, escalationLevel: state.escalationLevel, workflowId: state.workflowId },
    })
    .returning({ id: annualReports.id });
  if (!row) throw new Error('saveReportState: upsert returned no row');
  return row.id;
}

/** Inserts version N once; a retry returns the version already stored. */
export async function insertReportVersion(
  db: DbOrTx,
  version: { annualReportId: number; version: number; reference: string; submittedAt: Date; content: unknown },
): Promise<{ version: number; reference: string; submittedAt: Date }> {
  await db.insert(reportVersions).values(version).onConflictDoNothing();
  const [stored] = await db
    .select({ version: reportVersions.version, reference: reportVersions.reference, submittedAt: reportVersions.submittedAt })
    .from(reportVersions)
    .where(and(eq(reportVersions.annualReportId, version.annualReportId), eq(reportVersions.version, version.version)));
  if (!stored) throw new Error('insertReportVersion: version vanished after insert');
  return stored;
}

export async function setReview(
  db: DbOrTx,
  review: {
    annualReportId: number;
    version: number;
    review: 'accepted' | 'revision_requested';
    comment: string | undefined;
    reviewedAt: Date;
  },
): Promise<void> {
  await db
    .update(reportVersions)
    .set({ review: review.review, reviewComment: review.comment ?? null, reviewedAt: review.reviewedAt })
    .where(and(eq(reportVersions.annualReportId, review.annualReportId), eq(reportVersions.version, review.version)));
}

export type ReportOverviewRow = {
  partner: number;
  name: string;
  phase: string;
  dueAt: string | undefined;
  escalation: number;
  versions: number;
  workflowId: string | undefined;
};

/** Every active partner with its report's phase for `year` ('not started' when it has none); `partner`: that one only. */
export async function listReportOverview(db: Database, year: number, partner?: number): Promise<ReportOverviewRow[]> {
  const rows = await db
    .select({
      partner: organisations.number,
      name: organisations.name,
      phase: annualReports.phase,
      dueAt: annualReports.dueAt,
      escalation: annualReports.escalationLevel,
      workflowId: annualReports.workflowId,
      versions: sql<number>`(select count(*)::int from ${reportVersions} where ${reportVersions.annualReportId} = ${annualReports.id})`,
    })
    .from(organisations)
    .leftJoin(reportingCycles, eq(reportingCycles.year, year))
    .leftJoin(
      annualReports,
      and(eq(annualReports.organisationId, organisations.id), eq(annualReports.cycleId, reportingCycles.id)),
    )
    .where(
      and(
        sql`(${organisations.status} = 'active' or ${annualReports.id} is not null)`,
        partner === undefined ? undefined : eq(organisations.number, partner),
      ),
    )
    .orderBy(asc(organisations.accessionDate), asc(organisations.number));
  return rows.map((row) => ({
    partner: row.partner,
    name: row.name,
    phase: row.phase ?? 'not started',
    dueAt: row.dueAt?.toISOString(),
    escalation: row.escalation ?? 0,
    versions: row.versions ?? 0,
    workflowId: row.workflowId ?? undefined,
  }));
}

/** Every version an organisation submitted for `year`, oldest first, with its review. */
export async function listSubmittedVersions(db: Database, organisationId: number, year: number) {
  return db
    .select({
      version: reportVersions.version,
      reference: reportVersions.reference,
      submittedAt: reportVersions.submittedAt,
      content: reportVersions.content,
      review: reportVersions.review,
      reviewComment: reportVersions.reviewComment,
      reviewedAt: reportVersions.reviewedAt,
    })
    .from(reportVersions)
    .innerJoin(annualReports, eq(annualReports.id, reportVersions.annualReportId))
    .innerJoin(reportingCycles, eq(reportingCycles.id, annualReports.cycleId))
    .where(and(eq(annualReports.organisationId, organisationId), eq(reportingCycles.year, year)))
    .orderBy(asc(reportVersions.version));
}

export async function findAnnualReportId(db: DbOrTx, cycleId: number, organisationId: number): Promise<number | undefined> {
  const [row] = await db
    .select({ id: annualReports.id })
    .from(annualReports)
    .where(and(eq(annualReports.cycleId, cycleId), eq(annualReports.organisationId, organisationId)));
  return row?.id;
}

/** Due dates agreed with single partners for `year`, by partner number (none when the cycle does not exist yet). */
export async function listOverrides(db: DbOrTx, year: number): Promise<Map<number, string>> {
  const rows = await db
    .select({ partner: organisations.number, dueDate: reportingOverrides.dueDate })
    .from(reportingOverrides)
    .innerJoin(reportingCycles, eq(reportingCycles.id, reportingOverrides.cycleId))
    .innerJoin(organisations, eq(organisations.id, reportingOverrides.organisationId))
    .where(eq(reportingCycles.year, year));
  return new Map(rows.map((row) => [row.partner, row.dueDate]));
}
