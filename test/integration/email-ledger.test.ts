import { eq, sql } from 'drizzle-orm';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failOnceAt, noFaults } from '../../src/faults';
import { auditLog, contacts, emailLedger, organisations } from '../../src/db/schema';
import { ClaimedElsewhereError, CLAIM_LEASE_SECONDS, deliverOnce, recordGivenUp, type LedgerEmail } from '../../src/email/ledger';
import { messageIdFor } from '../../src/email/message-id';
import { renderNotice } from '../../src/email/render';
import { noticeSamples } from '../../src/email/templates/samples';
import type { SmtpRejection } from '../../src/dev/mail-catcher';
import { createMailer, SmtpOutcomeUnknownError, SmtpPermanentError, SmtpTransientError, type Mailer } from '../../src/email/transport';
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

/** As if the attempt that claimed the row had stopped heartbeating a while ago. */
async function ageClaim(idempotencyKey: string): Promise<void> {
  await database.db
    .update(emailLedger)
    .set({ claimedAt: sql`now() - ${`${CLAIM_LEASE_SECONDS + 1} seconds`}::interval` })
    .where(eq(emailLedger.idempotencyKey, idempotencyKey));
}

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
    expect(first).toEqual({ status: 'sent', messageId, smtpResponse: expect.stringMatching(/^250 /), possibleDuplicate: false });
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

  it('after a crash once the server accepted the mail, sends it again under the same Message-ID and marks the row a possible duplicate', async () => {
    const email = reminder();
    const faults = failOnceAt('notice.afterSmtpAccepted');
    await expect(deliverOnce({ ...deps(), faults }, email)).rejects.toThrow('injected fault at notice.afterSmtpAccepted');
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({ status: 'sending', attempts: 1, possibleDuplicate: false });

    // Right away, the claim may still belong to a live attempt: the retry waits.
    await expect(deliverOnce({ ...deps(), faults }, email)).rejects.toBeInstanceOf(ClaimedElsewhereError);
    // Temporal retries only after the dead attempt missed its heartbeat: then the claim is stale,
    // and the mail goes out again. At least once, never lost.
    await ageClaim(email.idempotencyKey);
    expect(await deliverOnce({ ...deps(), faults }, email)).toMatchObject({ status: 'sent', possibleDuplicate: true });
    // And once sent, it stays sent.
    expect(await deliverOnce({ ...deps(), faults }, email)).toMatchObject({ status: 'already-sent' });

    expect(faults.triggered).toHaveLength(1);
    const copies = mail.catcher.messages;
    expect(copies).toHaveLength(2);
    expect(new Set(copies.map((m) => m.messageId)).size).toBe(1);
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({
      status: 'sent',
      attempts: 2,
      possibleDuplicate: true,
      lastError: expect.stringContaining('without recording whether the SMTP server accepted'),
    });
  });

  it('a send that is not claimed twice is never a possible duplicate', async () => {
    const email = reminder();
    expect(await deliverOnce(deps(), email)).toMatchObject({ status: 'sent', possibleDuplicate: false });
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({ status: 'sent', attempts: 1, possibleDuplicate: false });
  });

  it('marks the open rows of a notice that gave up as failed, and leaves the sent ones alone', async () => {
    const sent = reminder();
    await deliverOnce(deps(), sent);
    const prefix = sent.idempotencyKey.split('/').slice(0, -2).join('/');
    const stuck = { ...reminder(), idempotencyKey: `${prefix}/partner_leadership/9` };
    answer = () => ({ code: 451, message: '4.3.0 try later' });
    await deliverOnce(deps(), stuck).catch(() => undefined);
    expect(await ledgerRow(stuck.idempotencyKey)).toMatchObject({ status: 'pending' });

    expect(await recordGivenUp(database.db, prefix, 'retries exhausted')).toEqual([{ idempotencyKey: stuck.idempotencyKey, recipientRole: stuck.recipientRole }]);
    expect(await ledgerRow(stuck.idempotencyKey)).toMatchObject({ status: 'failed', lastError: 'gave up: retries exhausted' });
    expect(await ledgerRow(sent.idempotencyKey)).toMatchObject({ status: 'sent' });
    expect(await recordGivenUp(database.db, prefix, 'again')).toEqual([]);
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
    // The refusal is in the audit log as well, once, with what staff need to trace it.
    const audited = await database.db.select().from(auditLog).where(eq(auditLog.entityId, email.idempotencyKey));
    expect(audited).toMatchObject([
      {
        actor: 'workflow:annual-report/2018/7',
        entityType: 'email',
        action: 'email-refused',
        details: {
          messageId: messageIdFor(email.idempotencyKey, testMailFrom),
          template: 'report-reminder',
          recipientRole: 'partner_main_contact',
          smtpResponse: '550 5.1.1 User unknown',
          addressOnHold: true,
        },
      },
    ]);

    expect(await deliverOnce(deps(), email)).toMatchObject({ status: 'failed', error: expect.stringContaining('550') });
    expect(asked).toBe(1);
    expect(mail.catcher.messages).toHaveLength(0);
    await database.db.update(contacts).set({ emailFailingSince: null, emailFailureReason: null }).where(eq(contacts.id, contactId));
  });

  it('lets only one of two simultaneous attempts send; the other is told to retry later', async () => {
    const email = reminder();
    const outcomes = await Promise.allSettled([deliverOnce(deps(), email), deliverOnce(deps(), email)]);
    const sent = outcomes.filter((o) => o.status === 'fulfilled' && o.value.status === 'sent');
    const other = outcomes.find((o) => !(o.status === 'fulfilled' && o.value.status === 'sent'));
    expect(sent).toHaveLength(1);
    // Depending on timing the other found the row claimed, or already sent: never a second copy.
    if (other?.status === 'rejected') expect(other.reason).toBeInstanceOf(ClaimedElsewhereError);
    else expect(other?.status === 'fulfilled' && other.value.status).toBe('already-sent');
    expect(mail.catcher.messages).toHaveLength(1);
    // Whoever sent records the truth last, whatever the other attempt concluded meanwhile.
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({ status: 'sent', attempts: 1 });
  });
});

/** Where the raw server hangs up without replying; 'never' answers everything like a normal server. */
type HangUp = 'greeting' | 'EHLO' | 'MAIL' | 'RCPT' | 'DATA' | 'end-of-data' | 'never';

type RawSmtpServer = { port: number; hangUpAt: HangUp; connections: number; messages: number; close(): Promise<void> };

/** Just enough SMTP for nodemailer, without extensions (so no PIPELINING): one command, one reply. */
async function startRawSmtpServer(): Promise<RawSmtpServer> {
  const server: Server = createServer((socket) => {
    raw.connections++;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 raw.example ESMTP');
    if (raw.hangUpAt === 'greeting') return void socket.destroy();
    let buffered = '';
    let inData = false;
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffered.indexOf('\r\n.\r\n');
          if (end === -1) return;
          buffered = buffered.slice(end + 5);
          inData = false;
          raw.messages++;
          if (raw.hangUpAt === 'end-of-data') return void socket.destroy();
          reply('250 2.0.0 Ok: queued');
          continue;
        }
        const eol = buffered.indexOf('\r\n');
        if (eol === -1) return;
        const verb = buffered.slice(0, eol).split(/[ :]/)[0]!.toUpperCase();
        buffered = buffered.slice(eol + 2);
        if (verb === raw.hangUpAt) return void socket.destroy();
        if (verb === 'EHLO') reply('250 raw.example');
        else if (verb === 'MAIL' || verb === 'RCPT') reply('250 2.1.0 Ok');
        else if (verb === 'DATA') {
          inData = true;
          reply('354 End data with <CR><LF>.<CR><LF>');
        } else if (verb === 'QUIT') return void socket.end('221 2.0.0 Bye\r\n');
        else reply('502 5.5.2 Command not recognized');
      }
    });
    // The client hanging up mid-session is part of these tests, not a failure of the server.
    socket.on('error', () => {});
  });
  const raw: RawSmtpServer = {
    port: 0,
    hangUpAt: 'never',
    connections: 0,
    messages: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('raw SMTP server: no TCP port');
  raw.port = address.port;
  return raw;
}

describe('deliverOnce when the SMTP connection drops without a reply', () => {
  let raw: RawSmtpServer;
  let rawMailer: Mailer;
  const rawDeps = () => ({ db: database.db, mailer: rawMailer, faults: noFaults });

  beforeAll(async () => {
    raw = await startRawSmtpServer();
    rawMailer = createMailer({ url: `smtp://127.0.0.1:${raw.port}`, from: testMailFrom });
  });
  afterAll(async () => {
    rawMailer?.close();
    await raw?.close();
  });
  beforeEach(() => {
    raw.hangUpAt = 'never';
    raw.connections = 0;
    raw.messages = 0;
  });

  it('marks the mail unknown when the server hangs up after the whole message, and the retry sends it again under the same Message-ID', async () => {
    const email = reminder();
    raw.hangUpAt = 'end-of-data';
    const messageId = messageIdFor(email.idempotencyKey, testMailFrom);

    await expect(deliverOnce(rawDeps(), email)).rejects.toBeInstanceOf(SmtpOutcomeUnknownError);
    expect(raw.messages).toBe(1);
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({
      status: 'unknown',
      attempts: 1,
      lastError: expect.stringContaining('after the message was handed to the server'),
      sentAt: null,
    });

    // The retry finds a server that accepts: the mail goes out again, and the row says it may be a second copy.
    raw.hangUpAt = 'never';
    expect(await deliverOnce(rawDeps(), email)).toMatchObject({ status: 'sent', messageId, possibleDuplicate: true });
    expect(raw.messages).toBe(2);
    expect(await ledgerRow(email.idempotencyKey)).toMatchObject({ status: 'sent', attempts: 2, possibleDuplicate: true });
  });

  it.each<HangUp>(['greeting', 'EHLO', 'MAIL', 'RCPT', 'DATA'])(
    'puts the mail back to pending when the server hangs up at %s, before it has the message, and the retry sends it once',
    async (stage) => {
      const email = reminder();
      raw.hangUpAt = stage;
      const error = await deliverOnce(rawDeps(), email).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SmtpTransientError);
      expect(error).toMatchObject({ failure: { responseCode: undefined } });
      expect(raw.messages).toBe(0);
      expect(await ledgerRow(email.idempotencyKey)).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.any(String) });

      raw.hangUpAt = 'never';
      expect(await deliverOnce(rawDeps(), email)).toMatchObject({ status: 'sent', smtpResponse: '250 2.0.0 Ok: queued' });
      expect(raw.messages).toBe(1);
      expect(await ledgerRow(email.idempotencyKey)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    },
  );
});
