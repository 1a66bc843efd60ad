/** The indicators of earlier reporting years, for the compiled report's comparison across years. */
import { indicatorTally, type IndicatorYear } from '../../domain/indicator-years';
import { reportSubmissionSchema } from '../../domain/report';
import { figureRows } from '../../domain/report-figures';
import type { DbOrTx } from '../client';
import { acceptedReportsOfCycle } from './compilation';
import { listCycleYears } from './cycle-history';

/**
 * Every cycle before `year` with at least one accepted report, ascending: its accepted reports
 * (the newest accepted version of each, as that year's compilation reads them) counted per figure
 * category. Read in pages, one report in memory at a time; a report whose stored content no longer
 * parses is left out of the base (that year's compiled report lists it as unreadable).
 */
export async function indicatorYearsBefore(db: DbOrTx, year: number): Promise<IndicatorYear[]> {
  const years: IndicatorYear[] = [];
  for (const cycleYear of (await listCycleYears(db)).filter((y) => y < year)) {
    const tally = indicatorTally(cycleYear);
    for await (const { number, content } of acceptedReportsOfCycle(db, cycleYear)) {
      const parsed = reportSubmissionSchema.safeParse(content);
      if (parsed.success) tally.add(number, figureRows(parsed.data));
    }
    const summary = tally.summary();
    if (summary.partnersReporting > 0) years.push(summary);
  }
  return years;
}
