import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDb, type Database } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { ensureDatabase } from '../../src/dev/postgres';

export type TestDatabase = { url: string; db: Database; drop(): Promise<void> };

/** A fresh, migrated database of its own on the suite's server; `drop()` removes it again. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { url, drop: dropEmpty } = await createEmptyTestDatabase();
  await migrateDatabase(url);
  const { db, close } = createDb(url);
  return {
    url,
    db,
    drop: async () => {
      await close();
      await dropEmpty();
    },
  };
}

/** A database with nothing in it, not even migrations; for testing the migrations themselves. */
export async function createEmptyTestDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `pf_test_${randomBytes(6).toString('hex')}`;
  const url = await ensureDatabase(adminUrl, name);
  return { name, url, drop: () => dropDatabase(adminUrl, name) };
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    // `with (force)` ends connections a failed test may have left open.
    await admin`drop database if exists ${admin(name)} with (force)`;
  } finally {
    await admin.end({ timeout: 5 });
  }
}
