import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDb, type Database } from '../../src/db/client';
import { ensureDatabase } from '../../src/dev/postgres';

export type TestDatabase = { url: string; db: Database; drop(): Promise<void> };

/**
 * A fresh, migrated database of its own on the suite's server; `drop()` removes it again. It is a
 * copy of the run's migrated template (test/global-setup.ts): the same tables as migrating it here,
 * in a fraction of the time.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('postgresAdminUrl');
  const name = testDatabaseName();
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    await admin`create database ${admin(name)} template ${admin(inject('postgresTemplate'))}`;
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const { db, close } = createDb(url.toString());
  return {
    url: url.toString(),
    db,
    drop: async () => {
      await close();
      await dropDatabase(adminUrl, name);
    },
  };
}

/** A database with nothing in it, not even migrations; for testing the migrations themselves. */
export async function createEmptyTestDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const adminUrl = inject('postgresAdminUrl');
  const name = testDatabaseName();
  const url = await ensureDatabase(adminUrl, name);
  return { name, url, drop: () => dropDatabase(adminUrl, name) };
}

const testDatabaseName = () => `pf_test_${randomBytes(6).toString('hex')}`;

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    // `with (force)` ends connections a failed test may have left open.
    await admin`drop database if exists ${admin(name)} with (force)`;
  } finally {
    await admin.end({ timeout: 5 });
  }
}
