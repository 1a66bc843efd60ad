import type { Command } from 'commander';
import { cliConfig } from './runtime';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply the database migrations (idempotent)')
    .action(async () => {
      const config = cliConfig();
      const { migrateDatabase } = await import('../db/migrate');
      await migrateDatabase(config.database.url);
      process.stdout.write('Database is up to date.\n');
    });
}
