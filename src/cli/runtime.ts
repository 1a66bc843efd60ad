/** What every CLI command needs: the parsed config, a database, a Temporal client; closed after use. */
import type { Client } from '@temporalio/client';
import { loadConfig, type Config } from '../config';
import { createDb, type Database } from '../db/client';
import { partnerDataKeyStore } from '../db/queries/partner-data-keys';
import { connectClient } from '../temporal/client';

export function cliConfig(): Config {
  return loadConfig();
}

export async function withDatabase<T>(config: Config, use: (db: Database) => Promise<T>): Promise<T> {
  const { db, close } = createDb(config.database.url);
  try {
    return await use(db);
  } finally {
    await close();
  }
}

/** The client reads partners' data keys from the database (postgres.js connects on first use only). */
export async function withTemporal<T>(config: Config, use: (client: Client) => Promise<T>): Promise<T> {
  return withDatabase(config, async (db) => {
    const client = await connectClient(config, partnerDataKeyStore(db, config.payloadKeys));
    try {
      return await use(client);
    } finally {
      await client.connection.close();
    }
  });
}
