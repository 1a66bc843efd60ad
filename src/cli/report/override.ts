import type { Command } from 'commander';
import { WorkflowNotFoundError } from '@temporalio/client';
import { findPartnerByNumber } from '../../db/queries/partners';
import { findCycle, setOverride } from '../../db/queries/reporting';
import { annualReportWorkflowId } from '../../temporal/workflow-ids';
import { localDate } from '../options';
import { CliError } from '../output';
import { cliConfig, withDatabase, withTemporal } from '../runtime';
import { forPartnerAndYear, type PartnerYear } from './shared';

export function registerOverride(report: Command): void {
  forPartnerAndYear(report.command('override'))
    .description("agree a partner's own due date for a year, before its workflow starts")
    .requiredOption('--due-date <date>', 'the agreed due date (YYYY-MM-DD)', localDate('--due-date'))
    .requiredOption('--reason <text>', 'why')
    .action(async (options: PartnerYear & { dueDate: string; reason: string }) => {
      const config = cliConfig();
      const workflowId = annualReportWorkflowId(options.partner, options.year);
      const running = await withTemporal(config, async (client) => {
        try {
          return (await client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) return false;
          throw error;
        }
      });
      if (running) {
        throw new CliError([`--partner: ${workflowId} is already running; move its date with "partnerflow report extend"`]);
      }
      await withDatabase(config, async (db) => {
        const partner = await findPartnerByNumber(db, options.partner);
        if (!partner) throw new CliError([`--partner: no partner with number ${options.partner}`]);
        const cycle = await findCycle(db, options.year, partner.id);
        if (!cycle) throw new CliError([`--year: no reporting cycle for ${options.year}`]);
        await setOverride(db, { cycleId: cycle.cycleId, organisationId: partner.id, dueDate: options.dueDate, reason: options.reason });
      });
      process.stdout.write(`${workflowId}: due ${options.dueDate} (${options.reason})\n`);
    });
}
