import type { Command } from 'commander';
import { listPartners } from '../../db/queries/partners';
import { upsertCycle } from '../../db/queries/reporting';
import { defaultReportingPolicyFor } from '../../domain/default-policy';
import { readPolicy } from '../files';
import { localDate, wholeNumber } from '../options';
import { cliConfig, withDatabase, withTemporal } from '../runtime';
import { startOrSkip } from './shared';

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
      const policy = options.policy
        ? await readPolicy(options.policy)
        : defaultReportingPolicyFor({ timezone: config.timezone, sendingWindow: config.sendingWindow });
      const partners = await withDatabase(config, async (db) => {
        await upsertCycle(db, {
          year: options.year,
          periodStart: options.periodStart ?? `${options.year}-01-01`,
          periodEnd: options.periodEnd ?? `${options.year}-12-31`,
          dueDate: options.dueDate,
          policy,
          open: options.start,
        });
        return (await listPartners(db)).filter((partner) => partner.status === 'active');
      });
      process.stdout.write(`Cycle ${options.year} stored: due ${options.dueDate}, ${policy.deadline.steps.length} steps.\n`);
      if (!options.start) return;
      await withTemporal(config, async (client) => {
        let started = 0;
        for (const partner of partners) {
          if (await startOrSkip(client, config, { partner: partner.number, year: options.year })) started += 1;
        }
        process.stdout.write(`Started ${started} workflow(s); ${partners.length - started} had already been started.\n`);
      });
    });
}
