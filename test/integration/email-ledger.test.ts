import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failOnceAt, noFaults } from '../../activities/faults';
import { contacts, emailLedger, organisations } from '../../src/db/schema';
import { deliverOnce, type LedgerEmail } from '../../src/email/ledger';
import { messageIdFor } from '../../src/email/message-id';
import { renderNotice } from '../../src/email/render';
import { noticeSamples } from '../../src/email/templates/samples';
import type { SmtpRejection } from '../../src/dev/mail-catcher';
import { SmtpPermanentError, SmtpTransientError } from '../../src/email/transport';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestMail, testMailFrom, type TestMail } from '../support/mail';

let database: TestDatabase;
let mail: TestMail;
/** What the catcher answers to RCPT TO for the next addresses; each test sets its own. */
let answer: (address: string) => SmtpRejection | undefined;
let contactId: number;
let keyCounter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  mail = await startTestMail({ rejectRecipients: (address) => answer(address) });
  const [organisation] = await database.db
    .insert(organisations)
    .values({ number: 7, name: 'Kreis Lippe', kind: 'district' })
    .returning();
  const [contact] = await database.db
    .insert(contacts)
    .values({ organisationId: organisation!.id, role: 'main_contact', name: 'Dr. Ayşe Özdemir', email: 'ayse@kreis-lippe.example' })
    .returning();
  contactId = contact!.id;
});

afterAll(async () => {
  await mail?.stop();
  await database?.drop();
});

beforeEach(() => {
  mail.catcher.clear();
  answer = () => undefined;
});

function reminder(): LedgerEmail {
  const rendered = renderNotice('report-reminder', 'de', noticeSamples['report-reminder']);
  return {
    idempotencyKey: `annual-report/2018/7/initial/reminder-2w#0/partner_main_contact/${++keyCounter}`,
    template: 'report-reminder',
    language: 'de',
    recipientRole: 'partner_main_contact',
    workflowId: 'annual-report/2018/7',
    contactId,
    to: { name: 'Dr. Ayşe Özdemir', address: 'ayse@kreis-lippe.example' },
    ...rendered,
  };
}

const deps = () => ({ db: database.db, mailer: mail.mailer, faults: noFaults });

async function ledgerRow(key: string) {
  const [row] = await database.db.select().from(emailLedger).where(eq(emailLedger.idempotencyKey, key));
  return row;
}

describe('deliverOnce', () => {
  it('sends the same key only once, however often it is asked to', async () => {
    const email = reminder();
    const first = await deliverOnce(deps(), email);
    const second = await deliverOnce(deps(), email);

    const messageId = messageIdFor(email.idempotencyKey, testMailFrom);
    expect(first).toEqual({ status: 'sent', messageId, smtpResponse: expect.stringMatching(/^250 /) });
    expect(second).toEqual({ status: 'already-sent', messageId });
    expect(mail.catcher.messages).toHaveLength(1);
    expect(mail.catcher.messages[0]?.messageId).toBe(messageId);
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({
      status: 'sent',
      attempts: 1,
      messageId,
      recipientEmail: 'ayse@kreis-lippe.example',
      template: 'report-reminder',
      subject: 'Erinnerung: Jahresbericht 2018 – Abgabe bis 31.03.2019',
      sentAt: expect.any(Date),
      lastError: null,
    });
  });

  it('after a crash once the server accepted the mail, marks it unknown and never sends a second one', async () => {
    const email = reminder();
    const faults = failOnceAt('notice.afterSmtpAccepted');
    await expect(deliverOnce({ ...deps(), faults }, email)).rejects.toThrow('injected fault at notice.afterSmtpAccepted');
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({ status: 'sending', attempts: 1 });

    // Temporal's retry of the activity, and one more for good measure.
    expect(await deliverOnce({ ...deps(), faults }, email)).toMatchObject({ status: 'unknown' });
    expect(await deliverOnce({ ...deps(), faults }, email)).toMatchObject({ status: 'unknown' });

    expect(faults.triggered).toHaveLength(1);
    expect(mail.catcher.messages).toHaveLength(1);
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({
      status: 'unknown',
      attempts: 1,
      lastError: expect.stringContaining('without recording whether the SMTP server accepted'),
    });
  });

  it('puts a 450 back to pending for a retry, which then sends exactly one mail', async () => {
    const email = reminder();
    answer = () => ({ code: 450, message: '4.2.1 Mailbox busy' });
    const error = await deliverOnce(deps(), email).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmtpTransientError);
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: expect.stringContaining('450 4.2.1 Mailbox busy'),
    });
    expect(mail.catcher.messages).toHaveLength(0);

    answer = () => undefined;
    expect(await deliverOnce(deps(), email)).toMatchObject({ status: 'sent' });
    expect(mail.catcher.messages).toHaveLength(1);
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('marks a 550 failed, flags the contact and does not try again', async () => {
    const email = reminder();
    let asked = 0;
    answer = () => {
      asked++;
      return { code: 550, message: '5.1.1 User unknown' };
    };
    const error = await deliverOnce(deps(), email).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmtpPermanentError);
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: expect.stringContaining('550 5.1.1 User unknown'),
    });
    const [contact] = await database.db.select().from(contacts).where(eq(contacts.id, contactId));
    expect(contact?.emailFailingSince).toBeInstanceOf(Date);
    expect(contact?.emailFailureReason).toBe('550 5.1.1 User unknown');

    expect(await deliverOnce(deps(), email)).toMatchObject({ status: 'failed', error: expect.stringContaining('550') });
    expect(asked).toBe(1);
    expect(mail.catcher.messages).toHaveLength(0);
    await database.db.update(contacts).set({ emailFailingSince: null, emailFailureReason: null }).where(eq(contacts.id, contactId));
  });

  it('lets only one of two simultaneous attempts send', async () => {
    const email = reminder();
    const outcomes = await Promise.all([deliverOnce(deps(), email), deliverOnce(deps(), email)]);
    expect(outcomes.map((o) => o.status).sort()).toContain('sent');
    expect(mail.catcher.messages).toHaveLength(1);
    // Whoever sent records the truth last, whatever the other attempt concluded meanwhile.
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({ status: 'sent', attempts: 1 });
  });
});
