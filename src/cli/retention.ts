import type { Command } from 'commander';
import { printJson } from './output';
import { cliConfig, withDatabase, withTemporal } from './runtime';

/** Retention of personal data in PostgreSQL (Temporal's retention of closed workflows is the namespace's). */
export function registerRetentionCommands(program: Command): void {
  const retention = program.command('retention').description('retention of personal data');
  retention
    .command('purge')
    .description('remove what is older than DATA_RETENTION_YEARS: mail records, never-accepted report versions (run daily)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { purgeExpiredData } = await import('../db/queries/privacy');
      const config = cliConfig();
      const summary = await withDatabase(config, (db) => purgeExpiredData(db, { years: config.retention.dataYears, actor: 'cli' }));
      if (options.json) printJson(summary);
      else
        process.stdout.write(
          `Purged data from before ${summary.cutoff}: ${summary.emailsDeleted} mail record(s) deleted, ${summary.versionsErased} report version(s) erased.\n`,
        );
    });

  retention
    .command('namespace')
    .description("set how long Temporal keeps closed workflows to TEMPORAL_RETENTION_DAYS (npm run dev does it on start)")
    .action(async () => {
      const { applyNamespaceRetention, namespaceRetentionDays } = await import('../temporal/retention');
      const config = cliConfig();
      const { namespace } = config.temporal;
      const days = await withTemporal(config, async (client) => {
        await applyNamespaceRetention(client.connection, namespace, config.retention.closedWorkflowDays);
        return namespaceRetentionDays(client.connection, namespace);
      });
      process.stdout.write(`Namespace ${namespace} keeps closed workflows for ${days} day(s).\n`);
    });
}
