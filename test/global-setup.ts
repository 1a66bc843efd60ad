import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { loadConfig } from '../src/config';
import { migrateDatabase } from '../src/db/migrate';
import { ensureDatabase, startEmbeddedPostgres } from '../src/dev/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL on the suite's server; test/support/database.ts makes databases with it. */
    postgresAdminUrl: string;
    /** A migrated database on that server that test databases are copied from (test/support/database.ts). */
    postgresTemplate: string;
  }
}

/** Starts a throwaway PostgreSQL for the run, unless DATABASE_URL names a server to use instead. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { database } = loadConfig();
  if (!database.embedded) {
    project.provide('postgresAdminUrl', database.url);
    const dropTemplate = await provideTemplate(project, database.url);
    return dropTemplate;
  }
  const root = await mkdtemp(join(tmpdir(), 'partnerflow-test-pg-'));
  // mkdtemp makes the folder private to us; the server runs as the postgres user and must enter it.
  await chmod(root, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: join(root, 'data'), persistent: false });
  project.provide('postgresAdminUrl', server.adminUrl);
  await provideTemplate(project, server.adminUrl);
  return async () => {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  };
}

/**
 * Migrates one database for the whole run; each test database is a copy of it (`create database …
 * template`), which takes a fraction of running the migrations again, and test files make hundreds.
 */
async function provideTemplate(project: TestProject, adminUrl: string): Promise<() => Promise<void>> {
  const name = `pf_template_${randomBytes(6).toString('hex')}`;
  await migrateDatabase(await ensureDatabase(adminUrl, name));
  project.provide('postgresTemplate', name);
  return async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
    try {
      await admin`drop database if exists ${admin(name)} with (force)`;
    } finally {
      await admin.end({ timeout: 5 });
    }
  };
}
