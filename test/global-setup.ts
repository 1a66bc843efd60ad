import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config';
import { startEmbeddedPostgres } from '../src/dev/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL on the suite's server; test/support/database.ts makes databases with it. */
    postgresAdminUrl: string;
  }
}

/** Starts a throwaway PostgreSQL for the run, unless DATABASE_URL names a server to use instead. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { database } = loadConfig();
  if (!database.embedded) {
    project.provide('postgresAdminUrl', database.url);
    return async () => undefined;
  }
  const root = await mkdtemp(join(tmpdir(), 'partnerflow-test-pg-'));
  // mkdtemp makes the folder private to us; the server runs as the postgres user and must enter it.
  await chmod(root, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: join(root, 'data'), persistent: false });
  project.provide('postgresAdminUrl', server.adminUrl);
  return async () => {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  };
}
