/**
 * Addresses the SMTP server refused for good are on hold, and staff see them where they see the
 * partners' contacts (`partnerflow partners list`): a partner contact beside its partner, a
 * ministry address (staff have no partner) below the table.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, organisations, staff } from '../../src/db/schema';
import { createTestDatabase, type TestDatabase } from '../support/database';

const run = promisify(execFile);
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const failingSince = new Date('2027-03-01T08:00:00Z');
  const [caseworker] = await database.db
    .insert(staff)
    .values([
      { name: 'Jana Becker', email: 'jana.becker@mkffi.example', role: 'caseworker', emailFailingSince: failingSince, emailFailureReason: '554 5.7.1 Transaction failed: relay refused' },
      { name: 'Dr. Murat Yilmaz', email: 'referatsleitung@mkffi.example', role: 'head_of_unit' },
    ])
    .returning();
  const [organisation] = await database.db
    .insert(organisations)
    .values({ number: 2, name: 'Kreis Lippe', kind: 'district', status: 'active', accessionDate: '2012-08-15', caseworkerId: caseworker?.id })
    .returning();
  await database.db.insert(contacts).values({
    organisationId: organisation!.id,
    role: 'main_contact',
    name: 'Petra Schmidt',
    email: 'ikoe@kreis-lippe.example',
    emailFailingSince: failingSince,
    emailFailureReason: '550 5.1.1 Mailbox unavailable',
  });
});

afterAll(async () => {
  await database?.drop();
});

describe('partners list', () => {
  it('shows a held contact beside its partner and a held staff address below, with since when and why', async () => {
    const { stdout } = await run('node', ['bin/partnerflow.js', 'partners', 'list'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: database.url, LOG_LEVEL: 'error', DEFAULT_TIMEZONE: 'Europe/Berlin' },
      timeout: 60_000,
    });
    expect(stdout).toContain('main_contact: ikoe@kreis-lippe.example (FAILING since 2027-03-01 09:00 (Mon): 550 5.1.1 Mailbox unavailable)');
    expect(stdout.split('\n').slice(-3)).toEqual([
      'Staff addresses on hold (1):',
      '  caseworker: Jana Becker <jana.becker@mkffi.example> (FAILING since 2027-03-01 09:00 (Mon): 554 5.7.1 Transaction failed: relay refused)',
      '',
    ]);
  }, 60_000);
});
