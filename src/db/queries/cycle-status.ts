/**
 * Where a whole reporting cycle stands, from the database alone: the workflows save their phase and
 * escalation level to annual_reports and every email to email_ledger, so one query answers for
 * all partners, instead of asking a thousand workflows one by one.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { reportPhases } from '../../domain/report-phase';
import type { DbOrTx } from '../client';
import { annualReports, emailLedger, organisations, reportVersions, reportingCycles, reportingOverrides } from '../schema';

/** 'pending': a report row whose workflow has not saved its first phase yet. */
export const cyclePhases = ['not started', 'pending', ...reportPhases] as const;
export type CyclePhase = (typeof cyclePhases)[number];

export type LastEmail = {
  template: string;
  status: (typeof emailLedger.$inferSelect)['status'];
  possibleDuplicate: boolean;
  /** ISO-8601; null while the email is not (known to be) sent. */
  sentAt: string | null;
};

export type CyclePartnerStatus = {
  partner: number;
  name: string;
  phase: CyclePhase;
  /** The report's due moment (ISO-8601), once its workflow has saved one. */
  dueAt: string | null;
  /** The partner's due date (override, else the cycle's): known even before its report starts. */
  dueDate: string;
  escalationLevel: number;
  versions: number;
  lastEmail: LastEmail | null;
};

export type CycleStatus = {
  year: number;
  dueDate: string;
  status: (typeof reportingCycles.$inferSelect)['status'];
  partners: number;
  /** Every phase, zero included, in the order of cyclePhases. */
  phases: Record<CyclePhase, number>;
  /** Partners per escalation level, ascending; a partner without a report counts at level 0. */
  escalationLevels: { level: number; partners: number }[];
  rows: CyclePartnerStatus[];
};

/**
 * The cycle of `year`, or undefined when there is none. Lists every active partner and every
 * partner that has a report in the cycle (one who left since keeps the report it had), in the
 * overview's order; the last email is the newest ledger row of the partner's report workflow.
 */
export async function findCycleStatus(db: DbOrTx, year: number): Promise<CycleStatus | undefined> {
  const [cycle] = await db
    .select({ id: reportingCycles.id, dueDate: reportingCycles.dueDate, status: reportingCycles.status })
    .from(reportingCycles)
    .where(eq(reportingCycles.year, year));
  if (!cycle) return undefined;

  const lastEmail = db
    .select({
      template: emailLedger.template,
      status: emailLedger.status,
      possibleDuplicate: emailLedger.possibleDuplicate,
      sentAt: emailLedger.sentAt,
    })
    .from(emailLedger)
    .where(eq(emailLedger.workflowId, annualReports.workflowId))
    .orderBy(desc(emailLedger.createdAt), desc(emailLedger.id))
    .limit(1)
    .as('last_email');
  const versions = db
    .select({ count: sql<number>`count(*)::int`.as('count') })
    .from(reportVersions)
    .where(eq(reportVersions.annualReportId, annualReports.id))
    .as('versions');

  const rows = await db
    .select({
      partner: organisations.number,
      name: organisations.name,
      phase: annualReports.phase,
      dueAt: annualReports.dueAt,
      dueDate: sql<string>`coalesce(${reportingOverrides.dueDate}, ${cycle.dueDate}::date)::text`,
      escalationLevel: annualReports.escalationLevel,
      versions: versions.count,
      emailTemplate: lastEmail.template,
      emailStatus: lastEmail.status,
      emailPossibleDuplicate: lastEmail.possibleDuplicate,
      emailSentAt: lastEmail.sentAt,
    })
    .from(organisations)
    .leftJoin(annualReports, and(eq(annualReports.organisationId, organisations.id), eq(annualReports.cycleId, cycle.id)))
    .leftJoin(
      reportingOverrides,
      and(eq(reportingOverrides.organisationId, organisations.id), eq(reportingOverrides.cycleId, cycle.id)),
    )
    .leftJoinLateral(versions, sql`true`)
    .leftJoinLateral(lastEmail, sql`true`)
    .where(sql`${organisations.status} = 'active' or ${annualReports.id} is not null`)
    .orderBy(asc(organisations.accessionDate), asc(organisations.number));

  const partners: CyclePartnerStatus[] = rows.map((row) => ({
    partner: row.partner,
    name: row.name,
    phase: row.phase ?? 'not started',
    dueAt: row.dueAt?.toISOString() ?? null,
    dueDate: row.dueDate,
    escalationLevel: row.escalationLevel ?? 0,
    versions: row.versions ?? 0,
    lastEmail:
      row.emailTemplate === null || row.emailStatus === null
        ? null
        : {
            template: row.emailTemplate,
            status: row.emailStatus,
            possibleDuplicate: row.emailPossibleDuplicate ?? false,
            sentAt: row.emailSentAt?.toISOString() ?? null,
          },
  }));
  return { year, dueDate: cycle.dueDate, status: cycle.status, partners: partners.length, ...countsOf(partners), rows: partners };
}

function countsOf(rows: CyclePartnerStatus[]): Pick<CycleStatus, 'phases' | 'escalationLevels'> {
  const phases = Object.fromEntries(cyclePhases.map((phase) => [phase, 0])) as Record<CyclePhase, number>;
  const levels = new Map<number, number>();
  for (const row of rows) {
    phases[row.phase] += 1;
    levels.set(row.escalationLevel, (levels.get(row.escalationLevel) ?? 0) + 1);
  }
  const escalationLevels = [...levels].sort(([a], [b]) => a - b).map(([level, partners]) => ({ level, partners }));
  return { phases, escalationLevels };
}
