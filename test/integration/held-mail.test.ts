/**
 * An address on hold (refused for good earlier) is not mailed again: the ledger says 'held' and
 * why, and keeps the message; when staff clear the hold, or the address changes, the held mail goes
 * out as it was, under its own Message-ID, once.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearAddressHold } from '../../src/db/queries/address-holds';
import { auditLog, contacts, emailLedger, organisations, staff } from '../../src/db/schema';
import { deliveryOutcomeOf } from '../../src/domain/delivery-outcome';
import { deliverOnce, sendReleasedHeldEmails, type LedgerEmail } from '../../src/email/ledger';
import { messageIdFor } from '../../src/email/message-id';
import { renderNotice } from '../../src/email/render';
import { noticeSamples } from '../../src/email/templates/samples';
import { noFaults } from '../../src/faults';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestMail, testMailFrom, type TestMail } from '../support/mail';

let database: TestDatabase;
let mail: TestMail;
let contactId: number;
let staffId: number;
let keyCounter = 0;
const since = new Date('2027-03-01T08:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  mail = await startTestMail();
  const [organisation] = await database.db.insert(organisations).values({ number: 7, name: 'Kreis Lippe', kind: 'district' }).returning();
  const [contact] = await database.db
    .insert(contacts)
    .values({ organisationId: organisation!.id, role: 'main_contact', name: 'Dr. Ayşe Özdemir', email: 'ayse@kreis-lippe.example' })
    .returning();
  contactId = contact!.id;
  const [member] = await database.db.insert(staff).values({ name: 'Jana Becker', email: 'jana.becker@mkffi.example', role: 'caseworker' }).returning();
  staffId = member!.id;
});

afterAll(async () => {
  await mail?.stop();
  await database?.drop();
});

beforeEach(async () => {
  mail.catcher.clear();
  await database.db.update(contacts).set({ email: 'ayse@kreis-lippe.example', emailFailingSince: since, emailFailureReason: '550 5.1.1 User unknown' });
});

const deps = () => ({ db: database.db, mailer: mail.mailer, faults: noFaults });

function reminderTo(person: { contactId?: number; staffId?: number; address: string }): LedgerEmail {
  const rendered = renderNotice('report-reminder', 'de', noticeSamples['report-reminder']);
  return {
    idempotencyKey: `annual-report/7/2027/initial/reminder-2w#0/partner_main_contact/${++keyCounter}`,
    template: 'report-reminder',
    language: 'de',
    recipientRole: person.staffId ? 'ministry_caseworker' : 'partner_main_contact',
    workflowId: 'annual-report/7/2027',
    ...(person.contactId && { contactId: person.contactId }),
    ...(person.staffId && { staffId: person.staffId }),
    to: { name: 'Someone', address: person.address },
    ...rendered,
    attachments: [{ filename: 'frist.ics', contentType: 'text/calendar; charset=UTF-8', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }],
  };
}

async function ledgerRow(key: string) {
  const [row] = await database.db.select().from(emailLedger).where(eq(emailLedger.idempotencyKey, key));
  return row;
}

describe('mail to an address on hold', () => {
  it('is not sent but recorded held with the reason, and goes out once, under its Message-ID, when staff clear the hold', async () => {
    const email = reminderTo({ contactId, address: 'ayse@kreis-lippe.example' });
    const messageId = messageIdFor(email.idempotencyKey, testMailFrom);
    const reason = 'address on hold since 2027-03-01T08:00:00.000Z: 550 5.1.1 User unknown';

    expect(await deliverOnce(deps(), email)).toEqual({ status: 'held', messageId, error: reason });
    expect(await deliverOnce(deps(), email)).toEqual({ status: 'held', messageId, error: reason });
    expect(mail.catcher.messages).toHaveLength(0);
    const held = await ledgerRow(email.idempotencyKey);
    expect(held).toMatchObject({ status: 'held', attempts: 0, lastError: reason, heldMessage: expect.objectContaining({ text: email.text }) });
    expect(deliveryOutcomeOf(held!)).toBe('address-held');
    // Still on hold: nothing to release.
    expect(await sendReleasedHeldEmails(deps())).toEqual([]);

    expect(await clearAddressHold(database.db, 'Ayse@Kreis-Lippe.example', 'staff:Jana Becker')).toEqual({ contacts: 1, staff: 0 });
    expect(await sendReleasedHeldEmails(deps())).toEqual([{ idempotencyKey: email.idempotencyKey, to: 'ayse@kreis-lippe.example', outcome: 'sent' }]);
    expect(await sendReleasedHeldEmails(deps())).toEqual([]);

    expect(mail.catcher.messages).toHaveLength(1);
    const [sent] = mail.catcher.messages;
    expect(sent?.messageId).toBe(messageId);
    expect(sent?.subject).toBe(email.subject);
    expect(sent?.attachments.map((a) => [a.filename, a.content.toString('utf8')])).toEqual([['frist.ics', 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n']]);
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({ status: 'sent', attempts: 1, heldMessage: null, possibleDuplicate: false });
    const audited = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'address-hold-cleared'), eq(auditLog.entityId, 'ayse@kreis-lippe.example')));
    expect(audited).toMatchObject([{ actor: 'staff:Jana Becker', details: { contactIds: [contactId], staffIds: [] } }]);
  });

  it('goes to the new address when the address is changed (which ends the hold)', async () => {
    const email = reminderTo({ contactId, address: 'ayse@kreis-lippe.example' });
    expect((await deliverOnce(deps(), email)).status).toBe('held');
    // What `partners import` does with a changed address: a clean delivery record.
    await database.db.update(contacts).set({ email: 'a.oezdemir@kreis-lippe.example', emailFailingSince: null, emailFailureReason: null }).where(eq(contacts.id, contactId));
    expect(await sendReleasedHeldEmails(deps())).toEqual([{ idempotencyKey: email.idempotencyKey, to: 'a.oezdemir@kreis-lippe.example', outcome: 'sent' }]);
    expect(mail.catcher.messages.map((m) => [m.envelope.to, m.messageId])).toEqual([[['a.oezdemir@kreis-lippe.example'], messageIdFor(email.idempotencyKey, testMailFrom)]]);
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({ status: 'sent', recipientEmail: 'a.oezdemir@kreis-lippe.example' });
  });

  it('holds staff addresses the same way', async () => {
    await database.db.update(staff).set({ emailFailingSince: since, emailFailureReason: '554 5.7.1 relay refused' }).where(eq(staff.id, staffId));
    const email = reminderTo({ staffId, address: 'jana.becker@mkffi.example' });
    expect(await deliverOnce(deps(), email)).toMatchObject({ status: 'held', error: expect.stringContaining('554 5.7.1 relay refused') });
    expect(mail.catcher.messages).toHaveLength(0);
    expect(await clearAddressHold(database.db, 'jana.becker@mkffi.example', 'staff:Dr. Murat Yilmaz')).toEqual({ contacts: 0, staff: 1 });
    expect((await sendReleasedHeldEmails(deps())).map((e) => e.outcome)).toEqual(['sent']);
    expect(mail.catcher.messages).toHaveLength(1);
  });
});
