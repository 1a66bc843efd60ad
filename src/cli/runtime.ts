/**
 * What every CLI command needs: the parsed config, a database, a Temporal client; closed after use.
 * The database driver and the Temporal client load here, on first use, so that commands (and
 * `--help`) that need neither start without them. A server that does not answer is one line
 * saying what to start (src/cli/unreachable.ts).
 */
import type { Client } from '@temporalio/client';
import { loadConfig, type Config } from '../config';
import type { Database } from '../db/client';
import { connectionFailure, databaseUnreachable, isDatabaseFailure, temporalUnreachable } from './unreachable';

export function cliConfig(): Config {
  return loadConfig();
}

export async function withDatabase<T>(config: Config, use: (db: Database) => Promise<T>): Promise<T> {
  const { createDb } = await import('../db/client');
  const { db, close } = createDb(config.database.url);
  try {
    return await use(db);
  } catch (error) {
    // postgres.js connects on the first query, so a database that is down shows up here.
    const failure = connectionFailure(error);
    if (failure && isDatabaseFailure(failure, config)) throw databaseUnreachable(config);
    throw error;
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
    let client: Client;
    try {
      client = await connectClient(config, partnerDataKeyStore(db, config.payloadKeys));
    } catch {
      // Connecting asks the frontend for its system info and nothing else: any failure means it does not answer.
      throw temporalUnreachable(config);
    }
    try {
      return await use(client);
    } finally {
      await client.connection.close();
    }
  });
}
