import type { Command } from 'commander';
import { migrateDatabase } from '../db/migrate';
import { cliConfig } from './runtime';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply the database migrations (idempotent)')
    .action(async () => {
      const config = cliConfig();
      await migrateDatabase(config.database.url);
      process.stdout.write('Database is up to date.\n');
    });
}
