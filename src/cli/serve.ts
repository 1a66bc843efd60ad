import type { Command } from 'commander';
import { cliConfig } from './runtime';
import { temporalUnreachable } from './unreachable';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the web interface and the HTTP API on PUBLIC_BASE_URL’s port until Ctrl-C')
    .action(async () => {
      const config = cliConfig();
      // Loaded here, not at start, so other commands do not pay for the web server.
      const { createDb } = await import('../db/client');
      const { startWebServer } = await import('../http/server');
      const { connectClient } = await import('../temporal/client');
      const { partnerDataKeyStore } = await import('../db/queries/partner-data-keys');
      const { db, close } = createDb(config.database.url);
      const temporal = await connectClient(config, partnerDataKeyStore(db, config.payloadKeys)).catch(async () => {
        await close();
        // Connecting asks the frontend for its system info and nothing else: any failure means it does not answer.
        throw temporalUnreachable(config);
      });
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
