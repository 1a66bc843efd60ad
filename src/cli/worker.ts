import type { Command } from 'commander';
import { cliConfig } from './runtime';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run the Temporal worker (all workflows and activities) until Ctrl-C')
    .action(async () => {
      const config = cliConfig();
      const [{ createDb }, { createMailer }, { installTemporalRuntime }, { runWorker }] = await Promise.all([
        import('../db/client'),
        import('../email/transport'),
        import('../temporal/runtime'),
        import('../temporal/worker'),
      ]);
      installTemporalRuntime(config.logLevel);
      const { db, close } = createDb(config.database.url);
      const mailer = createMailer(config.smtp);
      process.stdout.write(`Worker on ${config.temporal.address}, namespace ${config.temporal.namespace}, queue ${config.temporal.taskQueue}\n`);
      try {
        await runWorker({ config, db, mailer });
      } finally {
        mailer.close();
        await close();
      }
    });
}
