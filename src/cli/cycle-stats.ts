/**
 * `partnerflow cycle stats --year Y`: after a cycle, its figures and which step preceded each
 * submission (reminder effectiveness), from the reports and the email ledger.
 */
import type { Command } from 'commander';
import type { ReminderEffectiveness, StepShare } from '../domain/reminder-effectiveness';
import type { YearStatistics, Share } from '../domain/cycle-statistics';
import { wholeNumber } from './options';
import { CliError, printJson, printTable } from './output';
import { cliConfig, withDatabase } from './runtime';

export type CycleStats = { statistics: YearStatistics; effectiveness: ReminderEffectiveness };

export function registerCycleStatsCommand(cycle: Command): void {
  cycle
    .command('stats')
    .description("after a cycle: submission and on-time rates, reminders and escalations, and which step preceded each submission")
    .requiredOption('--year <year>', 'the reporting year', wholeNumber('--year'))
    .option('--json', 'print JSON (every submission with its preceding step included)')
    .option('--csv', 'print one CSV row per round and step')
    .action(async (options: { year: number; json?: boolean; csv?: boolean }) => {
      if (options.json && options.csv) throw new CliError(['--json, --csv: choose one output'], 2);
      const [{ findCycleHistory }, { yearStatistics }, { reminderEffectiveness }] = await Promise.all([
        import('../db/queries/cycle-history'),
        import('../domain/cycle-statistics'),
        import('../domain/reminder-effectiveness'),
      ]);
      const history = await withDatabase(cliConfig(), (db) => findCycleHistory(db, options.year));
      if (!history) throw new CliError([`--year: no reporting cycle for ${options.year}`]);
      const stats: CycleStats = { statistics: yearStatistics(history), effectiveness: reminderEffectiveness(history) };
      if (options.json) return printJson(stats);
      if (options.csv) {
        process.stdout.write(await stepSharesCsv(stats.effectiveness));
        return;
      }
      printCycleStats(stats);
    });
}

export const stepShareColumns = ['round', 'step', 'submissions', 'share', 'medianDays'] as const;

/** The share as a fraction (0..1) with four decimals; an empty median cell is "no notice before". */
export async function stepSharesCsv(effectiveness: ReminderEffectiveness): Promise<string> {
  const { stringify } = await import('csv-stringify/sync');
  const rows = (['initial', 'revision'] as const).flatMap((round) =>
    effectiveness[round].map((s) => [round, s.step, s.submissions, s.share.toFixed(4), s.medianDays ?? '']),
  );
  return stringify([[...stepShareColumns], ...rows]);
}

function printCycleStats({ statistics: s, effectiveness }: CycleStats): void {
  process.stdout.write(`Cycle ${s.year}: ${s.partners} report(s)\n\n`);
  const escalations = s.escalations.map((e) => `level ${e.level}: ${e.notices}`).join(', ');
  printTable(
    [
      { figure: 'submitted', value: shareText(s.submitted) },
      { figure: 'on time (of those submitted)', value: shareText(s.onTime) },
      { figure: 'accepted', value: shareText(s.accepted) },
      { figure: 'waived', value: shareText(s.waived) },
      { figure: 'sent back for revision', value: shareText(s.revised) },
      { figure: 'reminders sent', value: String(s.reminders) },
      { figure: 'partners reminded', value: shareText(s.partnersReminded) },
      { figure: 'escalation notices', value: escalations === '' ? '0' : escalations },
      { figure: 'partners escalated', value: shareText(s.partnersEscalated) },
    ],
    ['figure', 'value'],
  );
  for (const round of ['initial', 'revision'] as const) {
    const shares = effectiveness[round];
    const title = round === 'initial' ? 'First submissions' : 'Revised versions';
    const total = shares.reduce((sum, share) => sum + share.submissions, 0);
    process.stdout.write(`\n${title} (${total}), by the step that preceded them:\n`);
    if (total === 0) {
      process.stdout.write('none\n');
      continue;
    }
    printTable(shares.map(stepRow), ['step', 'submissions', 'share', 'medianDays']);
  }
}

function stepRow(share: StepShare): Record<string, string | number> {
  return {
    step: share.step,
    submissions: share.submissions,
    share: `${(share.share * 100).toFixed(1)} %`,
    medianDays: share.medianDays === null ? '' : share.medianDays,
  };
}

/** "3 of 4 (75.0 %)"; a share of nothing is "not stated", never 0 %. */
export function shareText(share: Share): string {
  return share.of === 0 ? `${share.count} of 0 (not stated)` : `${share.count} of ${share.of} (${((share.count / share.of) * 100).toFixed(1)} %)`;
}
