import type { Command } from 'commander';
import { findPartnerByNumber } from '../../db/queries/partners';
import { findCycle } from '../../db/queries/reporting';
import { sendingCalendarOf } from '../../domain/calendar';
import { planDeadline, previewSchedule } from '../../domain/deadline-schedule';
import { defaultReportingPolicyFor } from '../../domain/default-policy';
import { dueAtEndOfDay } from '../../domain/due-date';
import { reviewReportingPolicy } from '../../domain/policy-review';
import { readPolicy } from '../files';
import { localDate } from '../options';
import { CliError, printJson, printTable } from '../output';
import { cliConfig, withDatabase } from '../runtime';
import { forPartnerAndYear, type PartnerYear } from './shared';

export function registerPreview(report: Command): void {
  forPartnerAndYear(report.command('preview'))
    .description('the exact planned sends for a partner and year (pure computation, nothing is sent)')
    .option('--due-date <date>', 'preview another due date (YYYY-MM-DD)', localDate('--due-date'))
    .option('--policy <file>', "preview another policy (JSON) instead of the cycle's")
    .option('--json', 'print JSON')
    .action(async (options: PartnerYear & { dueDate?: string; policy?: string; json?: boolean }) => {
      const config = cliConfig();
      const filePolicy = options.policy ? await readPolicy(options.policy) : undefined;
      const { policy, dueDate, partnerName } = await withDatabase(config, async (db) => {
        const partner = await findPartnerByNumber(db, options.partner);
        if (!partner) throw new CliError([`--partner: no partner with number ${options.partner}`]);
        const cycle = await findCycle(db, options.year, partner.id);
        const due = options.dueDate ?? cycle?.dueDate;
        if (!due) throw new CliError([`--year: no reporting cycle for ${options.year}; give --due-date to preview anyway`]);
        const fallback = defaultReportingPolicyFor({ timezone: config.timezone, sendingWindow: config.sendingWindow });
        return { policy: filePolicy ?? cycle?.policy ?? fallback, dueDate: due, partnerName: partner.name };
      });
      const calendar = sendingCalendarOf(policy.deadline);
      const plan = planDeadline({ policy: policy.deadline, dueAt: dueAtEndOfDay(dueDate, calendar.timezone), calendar });
      const rows = previewSchedule(plan, calendar);
      const warnings = reviewReportingPolicy(policy);
      if (options.json) {
        printJson({ partner: options.partner, year: options.year, dueDate, rows, dropped: plan.dropped, warnings });
        return;
      }
      process.stdout.write(`${partnerName}, report ${options.year}, due ${dueDate} (${calendar.timezone})\n`);
      printTable(rows as unknown as Record<string, unknown>[], Object.keys(rows[0] ?? {}));
      for (const dropped of plan.dropped) process.stdout.write(`dropped ${dropped.stepId}#${dropped.occurrence}: ${dropped.reason}\n`);
      for (const warning of warnings) process.stdout.write(`warning: ${warning}\n`);
    });
}
