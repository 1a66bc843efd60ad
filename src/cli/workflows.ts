import type { Command } from 'commander';
import { visibilityQuery, type WorkflowFilters } from '../temporal/visibility-query';
import { wholeNumber } from './options';
import { CliError, formatMoment, printJson, printTable } from './output';
import { cliConfig, withTemporal } from './runtime';

/** `started` stays a Date: JSON prints it as ISO-8601, the table in local time. */
type WorkflowRow = { workflowId: string; type: string; status: string | undefined; started: Date; phase: unknown; escalation: unknown };

const statuses = ['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'TimedOut', 'ContinuedAsNew'] as const;

export function registerWorkflowCommands(program: Command): void {
  const workflows = program.command('workflows').description('inspect workflows');
  workflows
    .command('list')
    .description('list workflows, newest first, filtered by search attributes')
    .option('--type <workflowType>', 'e.g. annualReportWorkflow')
    .option('--partner <number>', 'partner number', wholeNumber('--partner'))
    .option('--year <year>', 'reporting year', wholeNumber('--year'))
    .option('--phase <phase>', "a report's phase, e.g. overdue")
    .option('--escalation <level>', 'escalation level at least', wholeNumber('--escalation'))
    .option('--status <status>', `execution status: ${statuses.join(', ')}`)
    .option('--limit <n>', 'at most this many', wholeNumber('--limit'), 100)
    .option('--json', 'print JSON')
    .action(async (options: WorkflowFilters & { escalation?: number; limit: number; json?: boolean }) => {
      if (options.status && !statuses.includes(options.status)) {
        throw new CliError([`--status: must be one of ${statuses.join(', ')}`], 2);
      }
      const query = visibilityQuery({ ...options, minEscalation: options.escalation });
      const config = cliConfig();
      await withTemporal(config, async (client) => {
        const rows: WorkflowRow[] = [];
        for await (const execution of client.workflow.list({ query: query || undefined })) {
          const attributes = execution.typedSearchAttributes;
          rows.push({
            workflowId: execution.workflowId,
            type: execution.type,
            status: execution.status.name,
            started: execution.startTime,
            phase: attributes.getAll().find((pair) => pair.key.name === 'ReportPhase')?.value,
            escalation: attributes.getAll().find((pair) => pair.key.name === 'EscalationLevel')?.value,
          });
          if (rows.length >= options.limit) break;
        }
        if (options.json) printJson(rows);
        else
          printTable(
            rows.map((row) => ({ ...row, started: formatMoment(row.started, config.timezone) })),
            ['workflowId', 'type', 'status', 'started', 'phase', 'escalation'],
          );
      });
    });
}
