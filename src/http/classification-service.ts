/**
 * Staff classify what a partner left open in a submitted version (src/domain/report-classification.ts),
 * for the report page and the API alike. The version's row is held while it changes, so two people
 * classifying the same report at once each keep their change; each assignment is in the audit log.
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { recordAudit } from '../db/queries/audit';
import { annualReports, organisations, reportingCycles, reportVersions } from '../db/schema';
import { localDateIn } from '../domain/calendar';
import { classifyInReport, type Assignment } from '../domain/report-classification';

export type VersionRef = { partnerNumber: number; year: number; reference: string };

export type ClassifyOutcome =
  /** `assigned` null: withdrawn (or there was nothing to withdraw, `changed` false). */
  | { ok: true; path: string; assigned: Assignment; changed: boolean }
  | { ok: false; status: 404 | 409 | 422; errors: string[] };

export async function classifyVersion(
  deps: { db: Database; timezone: string; now: Date },
  ref: VersionRef,
  /** `value` null withdraws the ministry's classification at `path`. */
  change: { path: string; value: unknown; by: string },
): Promise<ClassifyOutcome> {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: reportVersions.id, content: reportVersions.content })
      .from(reportVersions)
      .innerJoin(annualReports, eq(annualReports.id, reportVersions.annualReportId))
      .innerJoin(reportingCycles, eq(reportingCycles.id, annualReports.cycleId))
      .innerJoin(organisations, eq(organisations.id, annualReports.organisationId))
      .where(and(eq(reportVersions.reference, ref.reference), eq(organisations.number, ref.partnerNumber), eq(reportingCycles.year, ref.year)))
      .for('update', { of: reportVersions });
    if (!row) return { ok: false, status: 404, errors: [`reference: partner ${ref.partnerNumber} has no version ${ref.reference} for ${ref.year}`] } as const;
    const result = classifyInReport(row.content, change.path, change.value, change.by, localDateIn(deps.now, deps.timezone));
    if (!result.ok) return result;
    const changed = result.assigned !== null || result.was !== null;
    if (!changed) return { ok: true, path: change.path, assigned: null, changed } as const;
    await tx.update(reportVersions).set({ content: result.content }).where(eq(reportVersions.id, row.id));
    await recordAudit(tx, {
      occurredAt: deps.now,
      actor: change.by,
      entityType: 'report_version',
      entityId: ref.reference,
      action: result.assigned ? 'classified' : 'classification-withdrawn',
      details: { path: change.path, value: result.assigned?.value ?? null, ...(result.was && { was: result.was.value }) },
    });
    return { ok: true, path: change.path, assigned: result.assigned, changed } as const;
  });
}
