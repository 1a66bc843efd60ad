import type { Command } from 'commander';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { cycleExists, listReportOverview, type ReportOverviewRow } from '../../db/queries/reporting';
import { annualReportWorkflowId } from '../../temporal/workflow-ids';
import { reportStatusQuery } from '../../../workflows/contracts/annual-report';
import { wholeNumber } from '../options';
import { CliError, formatMoment, printJson, printTable } from '../output';
import { cliConfig, withDatabase, withTemporal } from '../runtime';

export function registerStatus(report: Command): void {
  report
    .command('status')
    .description("every partner's report phase and next step for a year")
    .requiredOption('--year <year>', 'reporting year', wholeNumber('--year'))
    .option('--json', 'print JSON')
    .action(async (options: { year: number; json?: boolean }) => {
      const config = cliConfig();
      const overview = await withDatabase(config, async (db) => {
        // Without a cycle every partner would read "not started", as if the year were merely late.
        if (!(await cycleExists(db, options.year))) throw new CliError([`--year: no reporting cycle for ${options.year}`]);
        return listReportOverview(db, options.year);
      });
      const rows = await withTemporal(config, (client) => withNextSteps(client, overview, options.year));
      if (options.json) printJson(rows);
      else
        printTable(
          // Moments in the ministry's local time; --json keeps ISO instants.
          rows.map((row) => ({
            ...row,
            dueAt: formatMoment(row.dueAt, config.timezone),
            nextStep: row.nextStep ? `${row.nextStep.stepId} @ ${formatMoment(row.nextStep.sendAt, config.timezone)}` : '',
          })),
          ['partner', 'name', 'phase', 'dueAt', 'escalation', 'versions', 'nextStep'],
        );
    });
}

/** Adds the live state and next step of every report whose workflow is still deciding. */
async function withNextSteps(client: Client, rows: ReportOverviewRow[], year: number) {
  return Promise.all(
    rows.map(async (row) => {
      if (['accepted', 'waived', 'closed'].includes(row.phase)) return { ...row, nextStep: undefined };
      try {
        const handle = client.workflow.getHandle(row.workflowId ?? annualReportWorkflowId(row.partner, year));
        const view = await handle.query(reportStatusQuery);
        // A workflow that has not saved its first state yet still knows its due date.
        return { ...row, phase: view.phase, dueAt: view.dueAt || row.dueAt, escalation: view.escalationLevel, nextStep: view.nextStep };
      } catch (error) {
        // Not started yet, or no worker to answer: the stored state is still worth showing.
        if (!(error instanceof WorkflowNotFoundError)) process.stderr.write(`partner ${row.partner}: no live state (${String(error)})\n`);
        return { ...row, nextStep: undefined };
      }
    }),
  );
}

