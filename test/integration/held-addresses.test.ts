/**
 * Addresses the SMTP server refused for good are on hold, and staff see them where they see the
 * partners' contacts (`partnerflow partners list`): a partner contact beside its partner, a
 * ministry address (staff have no partner) below the table.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { contacts, emailLedger, organisations, staff } from '../../src/db/schema';
import { deliverOnce } from '../../src/email/ledger';
import { messageIdFor } from '../../src/email/message-id';
import { renderNotice } from '../../src/email/render';
import { noticeSamples } from '../../src/email/templates/samples';
import { noFaults } from '../../src/faults';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestMail, testMailFrom } from '../support/mail';

const run = promisify(execFile);
let database: TestDatabase;
let petra: { id: number } | undefined;

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
  [petra] = await database.db.insert(contacts).values({
    organisationId: organisation!.id,
    role: 'main_contact',
    name: 'Petra Schmidt',
    email: 'ikoe@kreis-lippe.example',
    emailFailingSince: failingSince,
    emailFailureReason: '550 5.1.1 Mailbox unavailable',
  }).returning();
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

describe('partners release-hold', () => {
  it('clears the hold and sends the mail held for the address meanwhile, under its Message-ID', async () => {
    const mail = await startTestMail();
    try {
      const key = 'annual-report/2/2027/initial/reminder-2w#0/partner_main_contact/cli';
      const rendered = renderNotice('report-reminder', 'de', noticeSamples['report-reminder']);
      const held = await deliverOnce(
        { db: database.db, mailer: mail.mailer, faults: noFaults },
        { idempotencyKey: key, template: 'report-reminder', language: 'de', recipientRole: 'partner_main_contact', contactId: petra!.id, to: { name: 'Petra Schmidt', address: 'ikoe@kreis-lippe.example' }, ...rendered },
      );
      expect(held.status).toBe('held');
      const { stdout } = await run('node', ['bin/partnerflow.js', 'partners', 'release-hold', 'ikoe@kreis-lippe.example', '--by', 'Jana Becker'], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: database.url, SMTP_URL: `smtp://127.0.0.1:${mail.catcher.smtpPort}`, MAIL_FROM: testMailFrom, LOG_LEVEL: 'error' },
        timeout: 60_000,
      });
      expect(stdout.split('\n')).toEqual([
        'Cleared the hold on ikoe@kreis-lippe.example (1 contact(s), 0 staff).',
        `  ${key} → ikoe@kreis-lippe.example: sent`,
        'Held mail released: 1 of 1 sent.',
        '',
      ]);
      expect(mail.catcher.messages.map((m) => m.messageId)).toEqual([messageIdFor(key, testMailFrom)]);
      const [row] = await database.db.select().from(emailLedger).where(eq(emailLedger.idempotencyKey, key));
      expect(row).toMatchObject({ status: 'sent', heldMessage: null });
      const [contact] = await database.db.select().from(contacts).where(eq(contacts.id, petra!.id));
      expect(contact?.emailFailingSince).toBeNull();
    } finally {
      await mail.stop();
    }
  }, 90_000);

  it('says so in one line when the address is not on hold', async () => {
    const failure = await run('node', ['bin/partnerflow.js', 'partners', 'release-hold', 'nobody@example.org', '--by', 'Jana Becker'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: database.url, LOG_LEVEL: 'error' },
      timeout: 60_000,
    }).catch((error: { stderr: string; code: number }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('address: nobody@example.org is not on hold') });
  }, 90_000);
});
