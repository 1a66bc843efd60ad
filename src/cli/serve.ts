import type { Command } from 'commander';
import { createDb } from '../db/client';
import { startWebServer } from '../http/server';
import { connectClient } from '../temporal/client';
import { cliConfig } from './runtime';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the web interface and the HTTP API on PUBLIC_BASE_URL’s port until Ctrl-C')
    .action(async () => {
      const config = cliConfig();
      const { db, close } = createDb(config.database.url);
      const temporal = await connectClient(config.temporal);
      const server = await startWebServer({ config, db, temporal });
      process.stdout.write(`Web interface ${server.url}\nAPI docs      ${server.url}/api/docs\n`);
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
      });
      await server.stop();
      await temporal.connection.close();
      await close();
    });
}
