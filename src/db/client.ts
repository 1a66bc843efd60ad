import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

/** With its postgres.js client: a lock held across statements needs a connection of its own. */
export type Database = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
/** The handle a `db.transaction(async (tx) => ...)` callback receives. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Query functions take either, so callers decide the transaction boundary. */
export type DbOrTx = Database | Tx;

export function createDb(url: string): { db: Database; close(): Promise<void> } {
  // Notices ("relation already exists, skipping") are expected noise, not news for the console.
  const client = postgres(url, { onnotice: () => undefined });
  const db = drizzle({ client, schema });
  return { db, close: () => client.end({ timeout: 5 }) };
}
