/**
 * One reporting cycle's history from the database, for the forecast and the statistics: the
 * reports with their versions and reviews, when staff waived or closed them (audit log), and the
 * deadline notices sent (email ledger). A handful of set-based queries, however many partners.
 */
import { sql } from 'drizzle-orm';
import { cycleLadderSchema, unknownLadder, type CycleHistory, type NoticeSent, type ReportHistory, type VersionHistory } from '../../domain/cycle-history';
import { yearStatistics, type YearStatistics } from '../../domain/cycle-statistics';
import { reminderEffectiveness, type ReminderEffectiveness } from '../../domain/reminder-effectiveness';
import { dueAtEndOfDay } from '../../domain/due-date';
import { z } from 'zod';
import type { ReportPhase } from '../../domain/report-phase';
import type { DbOrTx } from '../client';
import { StoredPolicyInvalidError } from './reporting';

/** Years that have a reporting cycle, ascending. */
export async function listCycleYears(db: DbOrTx): Promise<number[]> {
  const rows = await db.execute<{ year: number }>(sql`select year from reporting_cycles order by year`);
  return rows.map((row) => row.year);
}

/**
 * The figures of every cycle up to `year` and the reminder effectiveness of `year` itself, for the
 * compiled report's statistics chapter. One cycle's history in memory at a time.
 */
export async function cycleStatisticsUpTo(
  db: DbOrTx,
  year: number,
): Promise<{ years: YearStatistics[]; effectiveness: ReminderEffectiveness | undefined }> {
  const years: YearStatistics[] = [];
  let effectiveness: ReminderEffectiveness | undefined;
  for (const cycleYear of (await listCycleYears(db)).filter((y) => y <= year)) {
    const history = await findCycleHistory(db, cycleYear);
    if (!history) continue;
    years.push(yearStatistics(history));
    if (cycleYear === year) effectiveness = reminderEffectiveness(history);
  }
  return { years, effectiveness };
}

/** The most recent cycle before `year` (not necessarily `year - 1`), or undefined when there is none. */
export async function findPreviousCycleHistory(db: DbOrTx, year: number): Promise<CycleHistory | undefined> {
  const rows = await db.execute<{ year: number }>(sql`select max(year) as year from reporting_cycles where year < ${year}`);
  const previous = rows[0]?.year;
  return previous === undefined || previous === null ? undefined : findCycleHistory(db, previous);
}

export async function findCycleHistory(db: DbOrTx, year: number): Promise<CycleHistory | undefined> {
  const [cycle] = await db.execute<{ id: number; due_date: string; policy: unknown }>(
    sql`select id, due_date::text as due_date, policy from reporting_cycles where year = ${year}`,
  );
  if (!cycle) return undefined;
  // Statistics of an old cycle must not fail on a policy today's schema would refuse: only the
  // steps are read (leniently), and the time zone that turns due dates into moments.
  const ladder = cycleLadderSchema.safeParse(cycle.policy);
  // Every stored policy names its zone (it is stored as parsed, defaults filled in).
  const timezone = z.object({ deadline: z.object({ timezone: z.string() }) }).safeParse(cycle.policy).data?.deadline.timezone;
  if (timezone === undefined) throw new StoredPolicyInvalidError(`the stored policy of cycle ${year} names no time zone`);

  const reportRows = await db.execute<{ id: number; number: number; name: string; phase: string; escalation_level: number; due_date: string }>(sql`
    select ar.id, o.number, o.name, ar.phase::text as phase, ar.escalation_level,
           coalesce(ro.due_date, c.due_date)::text as due_date
      from annual_reports ar
      join reporting_cycles c on c.id = ar.cycle_id
      join organisations o on o.id = ar.organisation_id
      left join reporting_overrides ro on ro.cycle_id = c.id and ro.organisation_id = o.id
     where ar.cycle_id = ${cycle.id}
     order by o.accession_date nulls last, o.number`);
  const versionRows = await db.execute<{ report: number; version: number; submitted_at: string; review: VersionHistory['review']; reviewed_at: string | null }>(sql`
    select v.annual_report_id as report, v.version, to_json(v.submitted_at)#>>'{}' as submitted_at, v.review::text as review,
           to_json(v.reviewed_at)#>>'{}' as reviewed_at
      from report_versions v join annual_reports ar on ar.id = v.annual_report_id
     where ar.cycle_id = ${cycle.id}
     order by v.annual_report_id, v.version`);
  // The first waiver or closing of each report: the workflow records it with the phase change.
  const stopRows = await db.execute<{ report: number; action: 'waived' | 'closed'; at: string }>(sql`
    select distinct on (ar.id) ar.id as report, a.action, to_json(a.occurred_at)#>>'{}' as at
      from audit_log a join annual_reports ar on a.entity_id = ar.workflow_id
     where ar.cycle_id = ${cycle.id} and a.entity_type = 'annual_report' and a.action in ('waived', 'closed')
     order by ar.id, a.occurred_at`);
  // An extension granted before the first version moved the due moment the report was measured by.
  const extensionRows = await db.execute<{ report: number; due_at: string | null }>(sql`
    select distinct on (ar.id) ar.id as report, a.details->>'dueAt' as due_at
      from audit_log a join annual_reports ar on a.entity_id = ar.workflow_id
     where ar.cycle_id = ${cycle.id} and a.entity_type = 'annual_report' and a.action = 'extension-granted'
       and not exists (select 1 from report_versions v where v.annual_report_id = ar.id and v.submitted_at <= a.occurred_at)
     order by ar.id, a.occurred_at desc`);
  // Deadline notices only: their ledger key is "<workflow id>/<round>/<step>#<occurrence>/<role>/<person>";
  // one-off notices ("<workflow id>/notice/...") are no step of the ladder. One row per send, at its first recipient's.
  // Only sends known to have gone out: a failed one never reached the partner, one of unknown outcome may not have.
  const noticeRows = await db.execute<{ report: number; round: string; step: string; template: string; sent_at: string }>(sql`
    select n.report, n.round, n.step, min(n.template) as template, to_json(min(n.sent_at))#>>'{}' as sent_at
      from (select ar.id as report, l.template, l.sent_at,
                   split_part(substr(l.idempotency_key, length(ar.workflow_id) + 2), '/', 1) as round,
                   split_part(substr(l.idempotency_key, length(ar.workflow_id) + 2), '/', 2) as step
              from email_ledger l join annual_reports ar on l.workflow_id = ar.workflow_id
             where ar.cycle_id = ${cycle.id} and l.status = 'sent' and l.sent_at is not null
               and starts_with(l.idempotency_key, ar.workflow_id || '/')) n
     where n.round <> 'notice' and n.step like '%#%'
     group by n.report, n.round, n.step
     order by n.report, min(n.sent_at)`);

  const versions = groupBy(versionRows, (row) => row.report);
  const notices = groupBy(noticeRows, (row) => row.report);
  const stops = new Map(stopRows.map((row) => [row.report, row]));
  const extensions = new Map(extensionRows.flatMap((row) => (row.due_at === null ? [] : [[row.report, new Date(row.due_at)] as const])));
  // Partners share a few due dates; the time-zone arithmetic is done once per date.
  const dueAts = new Map<string, Date>();
  const dueAtOf = (date: string): Date => {
    const known = dueAts.get(date);
    if (known) return known;
    const dueAt = dueAtEndOfDay(date, timezone);
    dueAts.set(date, dueAt);
    return dueAt;
  };
  const reports: ReportHistory[] = reportRows.map((row) => {
    const stop = stops.get(row.id);
    return {
      partner: row.number,
      name: row.name,
      dueAt: dueAtOf(row.due_date),
      extendedDueAt: extensions.get(row.id) ?? null,
      phase: row.phase as ReportPhase | 'pending',
      escalationLevel: row.escalation_level,
      versions: (versions.get(row.id) ?? []).map((v) => ({
        version: v.version,
        submittedAt: new Date(v.submitted_at),
        review: v.review,
        reviewedAt: v.reviewed_at === null ? null : new Date(v.reviewed_at),
      })),
      stopped: stop ? { by: stop.action, at: new Date(stop.at) } : null,
      notices: (notices.get(row.id) ?? []).map(toNotice),
    };
  });
  return { year, dueDate: cycle.due_date, policy: ladder.success ? ladder.data : unknownLadder, reports };
}

function toNotice(row: { round: string; step: string; template: string; sent_at: string }): NoticeSent {
  const hash = row.step.lastIndexOf('#');
  return {
    round: row.round,
    stepId: row.step.slice(0, hash),
    occurrence: Number(row.step.slice(hash + 1)),
    template: row.template,
    sentAt: new Date(row.sent_at),
  };
}

function groupBy<T>(rows: Iterable<T>, key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}
