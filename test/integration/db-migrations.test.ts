import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../src/db/migrate';
import { createEmptyTestDatabase } from '../support/database';

const expectedTables = [
  'accessions',
  'accounts',
  'agreements',
  'annual_reports',
  'audit_log',
  'chapter_fragments',
  'compiled_reports',
  'contacts',
  'declaration_measures',
  'declaration_milestones',
  'declaration_versions',
  'declarations',
  'email_ledger',
  'idempotent_responses',
  'organisations',
  'partner_data_keys',
  'partner_links',
  'report_drafts',
  'report_versions',
  'reporting_cycles',
  'reporting_overrides',
  'signatures',
  'staff',
  'web_sessions',
];

const journal = JSON.parse(readFileSync(new URL('../../drizzle/meta/_journal.json', import.meta.url), 'utf8')) as {
  entries: unknown[];
};

describe('migrateDatabase', () => {
  let database: Awaited<ReturnType<typeof createEmptyTestDatabase>>;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await createEmptyTestDatabase();
    sql = postgres(database.url, { max: 1, onnotice: () => undefined });
  });
  afterAll(async () => {
    await sql?.end();
    await database?.drop();
  });

  const tables = async () =>
    (await sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`).map(
      (row) => row.table_name as string,
    );
  const appliedMigrations = () => sql`select id, hash, created_at from drizzle.__drizzle_migrations order by id`;

  it('creates every table on an empty database, and a second run changes nothing', async () => {
    expect(await tables()).toEqual([]);

    await migrateDatabase(database.url);
    const afterFirst = { tables: await tables(), migrations: await appliedMigrations() };
    expect(afterFirst.tables).toEqual(expectedTables);
    expect(afterFirst.migrations).toHaveLength(journal.entries.length);

    await migrateDatabase(database.url);
    expect({ tables: await tables(), migrations: await appliedMigrations() }).toEqual(afterFirst);
  });

  it('lets concurrent starts migrate the same database without tripping over each other', async () => {
    const fresh = await createEmptyTestDatabase();
    try {
      await Promise.all([migrateDatabase(fresh.url), migrateDatabase(fresh.url), migrateDatabase(fresh.url)]);
      const check = postgres(fresh.url, { max: 1 });
      const [row] = await check`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await check.end();
      expect(row?.n).toBe(journal.entries.length);
    } finally {
      await fresh.drop();
    }
  });
});
