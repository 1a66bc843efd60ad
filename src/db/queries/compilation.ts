/** Queries of the compiled annual report: the cycle's partners and accepted reports, and the stored versions. */
import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { archiveState, type FormatStates } from '../../documents/format-states';
import type { Artefact } from '../../documents/render/index';
import type { PartnerOfCycle, AcceptedReport } from '../../documents/compile';
import type { ReportStanding } from '../../documents/model';
import type { DbOrTx } from '../client';
import { compiledReports, type CompiledReportRow, type NewCompiledReportRow } from '../schema';

export async function cycleExists(db: DbOrTx, year: number): Promise<boolean> {
  const rows = await db.execute<{ found: boolean }>(sql`select exists(select 1 from reporting_cycles where year = ${year}) as found`);
  return rows[0]?.found === true;
}

/**
 * Every partner of the year's compiled report, in accession order: the active partners, and
 * anyone else who had a report in that cycle (a partner who left during the year). One row each,
 * with its report's standing, first submission, reminders sent (from the email ledger) and
 * escalation level. One query, however many partners.
 */
export async function listPartnersOfCycle(db: DbOrTx, year: number): Promise<PartnerOfCycle[]> {
  const rows = await db.execute<{
    number: number;
    name: string;
    member_cities: string[];
    accession_date: string;
    report_heading: string | null;
    phase: string | null;
    first_submitted_at: string | null;
    due_at: string | null;
    escalation_level: number | null;
    reminders: number;
  }>(sql`
    select o.number, o.name, o.member_cities, o.accession_date::text as accession_date, o.report_heading,
           ar.phase::text as phase, ar.escalation_level,
           to_json(ar.due_at)#>>'{}' as due_at,
           (select to_json(min(v.submitted_at))#>>'{}' from report_versions v where v.annual_report_id = ar.id) as first_submitted_at,
           (select count(*)::int from email_ledger l
             where ar.workflow_id is not null and l.workflow_id = ar.workflow_id
               and l.template like '%reminder%' and l.status = 'sent') as reminders
      from organisations o
      left join reporting_cycles c on c.year = ${year}
      left join annual_reports ar on ar.organisation_id = o.id and ar.cycle_id = c.id
     where o.accession_date is not null and (o.status = 'active' or ar.id is not null)
     order by o.accession_date, o.number`);
  return rows.map((row) => ({
    number: row.number,
    organisation: row.name,
    memberCities: row.member_cities,
    accessionDate: row.accession_date,
    reportHeading: row.report_heading ?? undefined,
    standing: standingOf(row.phase),
    firstSubmittedAt: row.first_submitted_at ? new Date(row.first_submitted_at).toISOString() : undefined,
    dueAt: row.due_at ? new Date(row.due_at).toISOString() : undefined,
    remindersSent: row.reminders,
    escalationLevel: row.escalation_level ?? 0,
  }));
}

function standingOf(phase: string | null): ReportStanding {
  if (phase === null) return 'not_started';
  // 'pending': the row exists but its workflow has not saved a phase yet.
  if (phase === 'pending') return 'awaiting_submission';
  return phase as ReportStanding;
}

/**
 * The newest accepted version of each report of the year, in accession order, read in pages
 * (keyset on accession date and number) so a large cycle never sits in memory at once. Each page
 * takes the next partners in order and looks up their newest accepted version by index, so a page
 * costs the same however large the cycle (a "distinct on" over all versions sorted the whole
 * cycle's versions, contents included, for every page).
 */
export async function* acceptedReportsOfCycle(db: DbOrTx, year: number, pageSize = 200): AsyncIterable<Extract<AcceptedReport, { content: unknown }>> {
  for await (const row of acceptedReportPages<unknown>(db, year, pageSize, sql`newest.content`)) yield { number: row.number, content: row.content };
}

async function* acceptedReportPages<Content>(
  db: DbOrTx,
  year: number,
  pageSize: number,
  content: SQL,
): AsyncIterable<{ number: number; accession_date: string; content: Content }> {
  // The page's partners are chosen first and only theirs looked up: with the lookup beside the
  // sort, every page looked up (and converted) the newest version of every partner after it,
  // which made reading a cycle quadratic (profiled: most of reading 10,000 reports). A partner
  // whose report has no accepted version comes back without content and is left out here, as
  // before (the compilation lists it as unreadable); it still counts towards the page.
  const page = (after: AccessionKey | undefined) =>
    db.execute<{ number: number; accession_date: string; content: Content | null }>(sql`
      select p.number, p.accession_date::text as accession_date, ${content} as content
        from (${acceptedPartnersPage(year, pageSize, after)}) p
        left join lateral (
          select v.content from report_versions v
           where v.annual_report_id = p.id and v.review = 'accepted'
           order by v.version desc limit 1) newest on true
       order by p.accession_date, p.number`);
  for await (const row of inAccessionPages(page, pageSize)) if (row.content !== null) yield { ...row, content: row.content };
}

/** Where a page of partners in accession order ends: the next page starts after it. */
export type AccessionKey = { accessionDate: string; number: number };

/**
 * The next `pageSize` partners of the year whose report is accepted, in accession order after
 * `after`: the annual report's id (`id`), the partner's `number`, `name`, `report_heading` and
 * `accession_date`. A subquery for pages that then look up each partner's newest accepted version.
 */
export function acceptedPartnersPage(year: number, pageSize: number, after: AccessionKey | undefined): SQL {
  return sql`select ar.id, o.number, o.name, o.report_heading, o.accession_date
                from annual_reports ar
                join reporting_cycles c on c.id = ar.cycle_id and c.year = ${year}
                join organisations o on o.id = ar.organisation_id
               where ar.phase = 'accepted'
                 ${after ? sql`and (o.accession_date, o.number) > (${after.accessionDate}::date, ${after.number})` : sql``}
               order by o.accession_date, o.number
               limit ${pageSize}`;
}

/**
 * The rows of pages read one after another (keyset on accession date and number), each page's
 * rows in turn. The next page is fetched while this one is consumed: the database works while the
 * caller parses. Two pages at most are held, so memory stays bounded.
 */
export async function* inAccessionPages<Row extends { number: number; accession_date: string }>(
  page: (after: AccessionKey | undefined) => Promise<Row[]>,
  pageSize: number,
): AsyncIterable<Row> {
  let next = page(undefined);
  for (;;) {
    const rows = await next;
    const last = rows.at(-1);
    const more = last !== undefined && rows.length === pageSize;
    if (more) {
      next = page({ accessionDate: last.accession_date, number: last.number });
      // A caller that stops early leaves this page unread; its failure then matters to nobody.
      next.catch(() => undefined);
    }
    yield* rows;
    if (!more) return;
  }
}

export async function findCompiledReportByRequest(db: DbOrTx, requestId: string): Promise<CompiledReportRow | undefined> {
  const [row] = await db.select().from(compiledReports).where(eq(compiledReports.requestId, requestId));
  return row;
}

/** The given version of the year, or its newest when none is given. */
export async function findCompiledReport(db: DbOrTx, year: number, version?: number): Promise<CompiledReportRow | undefined> {
  const [row] = await db
    .select()
    .from(compiledReports)
    .where(version === undefined ? eq(compiledReports.year, year) : and(eq(compiledReports.year, year), eq(compiledReports.version, version)))
    .orderBy(desc(compiledReports.version))
    .limit(1);
  return row;
}

export async function listCompiledReports(db: DbOrTx, year: number): Promise<CompiledReportRow[]> {
  return db.select().from(compiledReports).where(eq(compiledReports.year, year)).orderBy(compiledReports.version);
}

/**
 * The next version number of the year, under a transaction-scoped lock so two compilations of
 * the same year cannot take the same number. Call inside the transaction that inserts it.
 */
export async function lockNextCompiledVersion(tx: DbOrTx, year: number): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('compiled_reports'), ${year})`);
  const [row] = await tx
    .select({ last: sql<number>`coalesce(max(${compiledReports.version}), 0)::int` })
    .from(compiledReports)
    .where(eq(compiledReports.year, year));
  return (row?.last ?? 0) + 1;
}

export async function insertCompiledReport(tx: DbOrTx, row: NewCompiledReportRow): Promise<CompiledReportRow> {
  const [stored] = await tx.insert(compiledReports).values(row).returning();
  if (!stored) throw new Error('insertCompiledReport: insert returned no row');
  return stored;
}

/** The newest version before `version` whose PDF and DOCX are ready: the one whose unchanged volumes a new version takes over. */
export async function findArchivedBefore(db: DbOrTx, year: number, version: number): Promise<CompiledReportRow | undefined> {
  const rows = await db
    .select()
    .from(compiledReports)
    .where(and(eq(compiledReports.year, year), lt(compiledReports.version, version)))
    .orderBy(desc(compiledReports.version));
  return rows.find((row) => archiveState(row.formats).state === 'ready');
}

/** A version's format states, and its files when they changed (the archive volumes added). */
export async function updateCompiledFormats(db: DbOrTx, id: number, change: { formats: FormatStates; artefacts?: Artefact[] }): Promise<CompiledReportRow> {
  const [row] = await db
    .update(compiledReports)
    .set({ formats: change.formats, ...(change.artefacts && { artefacts: change.artefacts }) })
    .where(eq(compiledReports.id, id))
    .returning();
  if (!row) throw new Error(`updateCompiledFormats: no compiled report ${id}`);
  return row;
}
