import type { Command } from 'commander';
import { printJson } from './output';
import { cliConfig, withDatabase, withTemporal } from './runtime';

export function registerHistoryCommand(program: Command): void {
  program
    .command('history')
    .description("print a workflow's event history as a timeline")
    .argument('<workflowId>', 'e.g. annual-report/7/2019')
    .option('--run <runId>', 'a specific run (default: the latest)')
    .option('--json', 'print the timeline as JSON')
    .action(async (workflowId: string, options: { run?: string; json?: boolean }) => {
      const config = cliConfig();
      const { formatTimeline, historyTimeline } = await import('../temporal/history-timeline');
      const { adminReadingCodec } = await import('../temporal/admin-codec');
      const { decodeHistoryPayloads } = await import('../temporal/history-decoding');
      await withDatabase(config, (db) =>
        withTemporal(config, async (client) => {
          // Decrypted for the admin running this; an erased partner's payloads show as erased.
          const history = await decodeHistoryPayloads(await client.workflow.getHandle(workflowId, options.run).fetchHistory(), adminReadingCodec({ db, config }));
          const rows = historyTimeline(history);
          if (options.json) printJson(rows);
          // Kept in UTC to the millisecond: events of one second must stay apart and in order.
          else process.stdout.write(`${formatTimeline(rows)}\n`);
        }),
      );
    });
}
