/** The indicators of earlier reporting years, for the compiled report's comparison across years. */
import { desc, eq, sql } from 'drizzle-orm';
import { indicatorTally, type IndicatorYear } from '../../domain/indicator-years';
import { reportSubmissionSchema } from '../../domain/report';
import { figureRows } from '../../domain/report-figures';
import type { DbOrTx } from '../client';
import { compiledReports } from '../schema';
import { acceptedReportsOfCycle } from './compilation';
import { listCycleYears } from './cycle-history';

/**
 * Which accepted versions a year's compilation reads: a digest of the ids of the newest accepted
 * version of each accepted report. A newly accepted report or version changes it; reading it costs
 * an index scan, no report content. Take it before reading the reports: a report accepted
 * meanwhile then changes the next fingerprint rather than hiding in this one.
 */
export async function acceptedReportsFingerprint(db: DbOrTx, year: number): Promise<string> {
  const rows = await db.execute<{ fingerprint: string }>(sql`
    select md5(coalesce(string_agg(newest.id::text, ',' order by newest.id), '')) as fingerprint
      from annual_reports ar
      join reporting_cycles c on c.id = ar.cycle_id and c.year = ${year}
      cross join lateral (
        select v.id from report_versions v
         where v.annual_report_id = ar.id and v.review = 'accepted'
         order by v.version desc limit 1) newest
     where ar.phase = 'accepted'`);
  const fingerprint = rows[0]?.fingerprint;
  if (fingerprint === undefined) throw new Error('acceptedReportsFingerprint: the query returned no row');
  return fingerprint;
}

/**
 * Every cycle before `year` with at least one accepted report, ascending: its accepted reports
 * (the newest accepted version of each, as that year's compilation reads them) counted per figure
 * category. A year whose newest compiled version counted the same accepted versions is taken from
 * that version; any other is read in pages, one report in memory at a time. A report whose stored
 * content no longer parses is left out of the base (that year's compiled report lists it as unreadable).
 */
export async function indicatorYearsBefore(db: DbOrTx, year: number): Promise<IndicatorYear[]> {
  const years: IndicatorYear[] = [];
  for (const cycleYear of (await listCycleYears(db)).filter((y) => y < year)) {
    const summary = (await storedIndicatorYear(db, cycleYear)) ?? (await countIndicatorYear(db, cycleYear));
    if (summary.partnersReporting > 0) years.push(summary);
  }
  return years;
}

async function storedIndicatorYear(db: DbOrTx, year: number): Promise<IndicatorYear | undefined> {
  const [stored] = await db
    .select({ indicators: compiledReports.indicators })
    .from(compiledReports)
    .where(eq(compiledReports.year, year))
    .orderBy(desc(compiledReports.version))
    .limit(1);
  if (!stored?.indicators) return undefined;
  return stored.indicators.fingerprint === (await acceptedReportsFingerprint(db, year)) ? stored.indicators.year : undefined;
}

async function countIndicatorYear(db: DbOrTx, year: number): Promise<IndicatorYear> {
  const tally = indicatorTally(year);
  for await (const { number, content } of acceptedReportsOfCycle(db, year)) {
    const parsed = reportSubmissionSchema.safeParse(content);
    if (parsed.success) tally.add(number, figureRows(parsed.data));
  }
  return tally.summary();
}
