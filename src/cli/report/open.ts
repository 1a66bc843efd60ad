import type { Command } from 'commander';
import { cyclePolicy, describeStarts, startCycleReports, storeCycle } from '../cycle-opening';
import { localDate, wholeNumber } from '../options';
import { cliConfig, withTemporal } from '../runtime';

export function registerOpen(report: Command): void {
  report
    .command('open')
    .description('open the reporting cycle of a year and start one workflow per active partner')
    .requiredOption('--year <year>', 'reporting year', wholeNumber('--year'))
    .requiredOption('--due-date <date>', 'due date of the reports (YYYY-MM-DD)', localDate('--due-date'))
    .option('--period-start <date>', 'first day of the reporting period (default: 1 Jan of the year)', localDate('--period-start'))
    .option('--period-end <date>', 'last day of the reporting period (default: 31 Dec of the year)', localDate('--period-end'))
    .option('--policy <file>', 'reminder policy as JSON (default: the built-in policy)')
    .option('--no-start', 'only store the cycle; start no workflows')
    .action(async (options: { year: number; dueDate: string; periodStart?: string; periodEnd?: string; policy?: string; start: boolean }) => {
      const config = cliConfig();
      const policy = await cyclePolicy(config, options.policy);
      const partners = await storeCycle(config, { ...options, policy }, options.start);
      process.stdout.write(`Cycle ${options.year} stored: due ${options.dueDate}, ${policy.deadline.steps.length} steps.\n`);
      if (!options.start) return;
      const starts = await withTemporal(config, (client) => startCycleReports(client, config, options.year, partners));
      process.stdout.write(describeStarts(starts));
    });
}
