import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

/** Resolved from this file, so migrating works from any working directory. */
const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Any fixed number; it names the lock all migrating processes agree on. */
const migrationLockId = 727_110_001;

/** Applies the pending migrations in drizzle/; a database that is up to date is left as it is. */
export async function migrateDatabase(url: string): Promise<void> {
  // One connection, so the session-level advisory lock covers every statement of the migrator.
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  const db = drizzle({ client });
  try {
    // The dev stack, the worker and the CLI may start at once; only one of them migrates at a time.
    await db.execute(sql`select pg_advisory_lock(${migrationLockId})`);
    await migrate(db, { migrationsFolder });
  } finally {
    await client.end({ timeout: 5 });
  }
}
