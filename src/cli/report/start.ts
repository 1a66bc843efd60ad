import type { Command } from 'commander';
import { annualReportWorkflowId } from '../../temporal/workflow-ids';
import { instant } from '../options';
import { cliConfig, withTemporal } from '../runtime';
import { checkPartnerAndYear, forPartnerAndYear, startOrSkip, type PartnerYear } from './shared';

export function registerStart(report: Command): void {
  forPartnerAndYear(report.command('start'))
    .description("start one partner's annual report workflow")
    .option('--due-at <instant>', 'drill: an exact due moment (ISO-8601, e.g. 2026-11-25T15:00:00+01:00)', instant('--due-at'))
    .action(async (options: PartnerYear & { dueAt?: string }) => {
      const config = cliConfig();
      await checkPartnerAndYear(config, options);
      await withTemporal(config, async (client) => {
        const fresh = await startOrSkip(client, config, options, options.dueAt);
        const workflowId = annualReportWorkflowId(options.partner, options.year);
        process.stdout.write(`${fresh ? 'Started' : 'Already started (running or ended):'} ${workflowId}\n`);
      });
    });
}
