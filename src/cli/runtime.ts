/**
 * What every CLI command needs: the parsed config, a database, a Temporal client; closed after use.
 * The database driver and the Temporal client load here, on first use, so that commands (and
 * `--help`) that need neither start without them.
 */
import type { Client } from '@temporalio/client';
import { loadConfig, type Config } from '../config';
import type { Database } from '../db/client';

export function cliConfig(): Config {
  return loadConfig();
}

export async function withDatabase<T>(config: Config, use: (db: Database) => Promise<T>): Promise<T> {
  const { createDb } = await import('../db/client');
  const { db, close } = createDb(config.database.url);
  try {
    return await use(db);
  } finally {
    await close();
  }
}

/**
 * Also installs the CLI's logger (stderr; stdout carries the output): the client logs starts and
 * Updates. The client reads partners' data keys from the database (postgres.js connects on first use only).
 */
export async function withTemporal<T>(config: Config, use: (client: Client) => Promise<T>): Promise<T> {
  const [{ connectClient }, { partnerDataKeyStore }, { createLogger, useLogger }] = await Promise.all([
    import('../temporal/client'),
    import('../db/queries/partner-data-keys'),
    import('../observability/logger'),
  ]);
  useLogger(createLogger({ level: config.logLevel, format: config.logFormat, name: 'cli', destination: 2 }));
  return withDatabase(config, async (db) => {
    const client = await connectClient(config, partnerDataKeyStore(db, config.payloadKeys));
    try {
      return await use(client);
    } finally {
      await client.connection.close();
    }
  });
}
