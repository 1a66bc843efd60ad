import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { noFaults, type FaultInjector } from '../../src/faults';
import { createNoticeActivities, type SendNoticeInput, type SendNoticeResult } from '../../activities/notices';
import { loadConfig } from '../../src/config';
import { auditLog, contacts, emailLedger, organisations, partnerLinks, staff } from '../../src/db/schema';
import { tokenHash } from '../../src/http/secrets';
import type { SmtpRejection } from '../../src/dev/mail-catcher';
import type { Mailer } from '../../src/email/transport';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestMail, testMailFrom, type CaughtMail, type TestMail } from '../support/mail';

let database: TestDatabase;
let mail: TestMail;
let answer: (address: string) => SmtpRejection | undefined;
let sendNotice: ReturnType<typeof createNoticeActivities>['sendNotice'];
let config: ReturnType<typeof loadConfig>;
let ids: { ayse: number; jonathan: number; jana: number };
let run = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  mail = await startTestMail({ rejectRecipients: (address) => answer(address) });
  config = loadConfig({
    SMTP_URL: mail.smtp.url,
    MAIL_FROM: testMailFrom,
    PUBLIC_BASE_URL: 'https://partnerflow.example.org',
    PAYLOAD_KEYS: `test:${Buffer.alloc(32, 3).toString('base64')}`,
    CODEC_ADMIN_TOKEN: 'integration-test-codec-admin-token',
  });
  const db = database.db;
  const [jana, , klaus] = await db
    .insert(staff)
    .values([
      { name: 'Jana Schäfer', email: 'jana.schaefer@mkjfgfi.example', role: 'caseworker' },
      { name: 'Paul Weber', email: 'paul.weber@mkjfgfi.example', role: 'caseworker' },
      { name: 'Dr. Klaus Becker', email: 'klaus.becker@mkjfgfi.example', role: 'head_of_unit', language: 'de' },
      { name: 'Retired Head', email: 'retired@mkjfgfi.example', role: 'head_of_unit', active: false },
    ])
    .returning();
  const [lippe] = await db
    .insert(organisations)
    .values([
      { number: 7, name: 'Kreis Lippe', kind: 'district', caseworkerId: jana!.id },
      { number: 8, name: 'Stadt Bielefeld', kind: 'municipality' },
    ])
    .returning();
  const [ayse, jonathan] = await db
    .insert(contacts)
    .values([
      { organisationId: lippe!.id, role: 'main_contact', name: 'Dr. Ayşe Özdemir', email: 'ayse@kreis-lippe.example', language: 'de' },
      { organisationId: lippe!.id, role: 'leadership_signatory', name: 'Jonathan Miller', email: 'j.miller@kreis-lippe.example', language: 'en' },
    ])
    .returning();
  ids = { ayse: ayse!.id, jonathan: jonathan!.id, jana: jana!.id };
  expect(klaus).toBeDefined();
  sendNotice = createNoticeActivities({ db, mailer: mail.mailer, config, faults: noFaults }).sendNotice;
});

afterAll(async () => {
  await mail?.stop();
  await database?.drop();
});

beforeEach(() => {
  mail.catcher.clear();
  answer = () => undefined;
  run++;
});

function notice(overrides: Partial<SendNoticeInput> = {}): SendNoticeInput {
  return {
    family: 'annual-report',
    keyPrefix: `annual-report/2018/7/initial/invitation#${run}`,
    workflowId: 'annual-report/2018/7',
    template: 'report-invitation',
    partnerNumber: 7,
    recipients: ['partner_main_contact', 'partner_leadership'],
    context: { year: 2018, dueAt: '2019-03-31T21:59:59.000Z', round: 'initial' },
    ...overrides,
  };
}

const to = (m: CaughtMail) => m.envelope.to.join(',');

describe('sendNotice', () => {
  it('writes to each partner contact in their own language, with the signed form link and the due date for the calendar', async () => {
    const result = await sendNotice(notice({ calendarEntry: true }));

    expect(result.deliveries).toEqual([
      { role: 'partner_main_contact', recipient: 'ayse@kreis-lippe.example', status: 'sent', messageId: expect.any(String) },
      { role: 'partner_leadership', recipient: 'j.miller@kreis-lippe.example', status: 'sent', messageId: expect.any(String) },
    ]);
    const received = await mail.catcher.waitForCount(2);
    const german = received.find((m) => to(m) === 'ayse@kreis-lippe.example');
    const english = received.find((m) => to(m) === 'j.miller@kreis-lippe.example');
    // A personal link: a fresh 256-bit token, the same in both partners' mails of one notice.
    const formUrl = /https:\/\/partnerflow\.example\.org\/link\/([A-Za-z0-9_-]{43})/.exec(german?.text ?? '')?.[0] ?? 'no link';
    expect(english?.text).toContain(formUrl);

    expect(german?.subject).toBe('Jahresbericht 2018 zur Umsetzung der Beitrittsmodule – bitte bis 31.03.2019 einreichen');
    expect(german?.text).toContain('Guten Tag Dr. Ayşe Özdemir,');
    expect(german?.text).toContain(`Partner: Kreis Lippe\nBerichtsjahr: 2018\nAbgabefrist: 31.03.2019`);
    expect(german?.text).toContain(formUrl);
    // The organisation's caseworker is the person to ask, in both parts; the HTML part's one button leads to the form.
    expect(german?.text).toContain('Ihre Ansprechperson im Ministerium: Jana Schäfer, jana.schaefer@mkjfgfi.example');
    expect(english?.text).toContain('Your contact at the ministry: Jana Schäfer, jana.schaefer@mkjfgfi.example');
    expect(german?.html).toContain('href="mailto:jana.schaefer@mkjfgfi.example"');
    expect([...String(german?.html).matchAll(/<td bgcolor="[^"]*"[^>]*><a href="([^"]*)"/g)].map((m) => m[1])).toEqual([formUrl]);
    expect(english?.subject).toBe(
      'Annual report 2018 on the implementation of the accession modules – please submit by 31 March 2019',
    );
    expect(english?.text).toContain('Dear Jonathan Miller,');

    for (const m of [german, english]) {
      const ics = m?.attachments.find((a) => a.filename === 'jahresbericht-2018.ics')?.content.toString('utf8') ?? '';
      expect(ics).toContain('DTSTART;VALUE=DATE:20190331\r\n');
      expect(ics).toContain('SUMMARY:Jahresbericht 2018\r\n');
      expect(ics.replace(/\r\n /g, '')).toContain(`URL:${formUrl}\r\n`);
    }

    const rows = await database.db
      .select()
      .from(emailLedger)
      .where(like(emailLedger.idempotencyKey, `annual-report/2018/7/initial/invitation#${run}/%`));
    expect(rows.map((r) => [r.idempotencyKey, r.status, r.language]).sort()).toEqual([
      [`annual-report/2018/7/initial/invitation#${run}/partner_leadership/${ids.jonathan}`, 'sent', 'en'],
      [`annual-report/2018/7/initial/invitation#${run}/partner_main_contact/${ids.ayse}`, 'sent', 'de'],
    ]);
  });

  it('sends nothing new when the same notice is asked for again', async () => {
    const first = await sendNotice(notice());
    const again = await sendNotice(notice());
    expect(again.deliveries.map((d) => d.status)).toEqual(['already-sent', 'already-sent']);
    expect(again.deliveries.map((d) => d.messageId)).toEqual(first.deliveries.map((d) => d.messageId));
    expect(mail.catcher.messages).toHaveLength(2);
  });

  it('escalates to the assigned caseworker with the status page, not the partner form', async () => {
    const result = await sendNotice(
      notice({
        template: 'report-escalation-ministry',
        recipients: ['ministry_caseworker', 'head_of_unit'],
        context: { year: 2018, dueAt: '2019-03-31T21:59:59.000Z', round: 'initial', escalationLevel: 2 },
      }),
    );
    expect(result.deliveries.map((d) => [d.role, d.recipient, d.status])).toEqual([
      ['ministry_caseworker', 'jana.schaefer@mkjfgfi.example', 'sent'],
      ['head_of_unit', 'klaus.becker@mkjfgfi.example', 'sent'],
    ]);
    const [first] = await mail.catcher.waitForCount(2);
    expect(first?.subject).toBe('Eskalation (Stufe 2): Jahresbericht 2018 ausstehend – Kreis Lippe');
    expect(first?.text).toContain('https://partnerflow.example.org/staff/reports/2018#p-7');
    expect(first?.text).not.toContain('token=');
  });

  it('writes to every active caseworker when the partner has none, and reports roles nobody holds', async () => {
    const result = await sendNotice(
      notice({
        partnerNumber: 8,
        template: 'report-escalation-ministry',
        recipients: ['partner_main_contact', 'ministry_caseworker'],
      }),
    );
    expect(result.deliveries.map((d) => [d.role, d.recipient, d.status])).toEqual([
      ['partner_main_contact', '', 'no-recipient'],
      ['ministry_caseworker', 'jana.schaefer@mkjfgfi.example', 'sent'],
      ['ministry_caseworker', 'paul.weber@mkjfgfi.example', 'sent'],
    ]);
    // Nobody is assigned, so nobody is named as the caseworker in charge.
    for (const m of await mail.catcher.waitForCount(2)) {
      expect(m.text).not.toContain('Zuständige Sachbearbeitung');
      expect(m.html).not.toContain('Zuständige Sachbearbeitung');
    }
  });

  it('writes once to someone who holds two roles', async () => {
    const [bielefeld] = await database.db.select().from(organisations).where(eq(organisations.number, 8));
    await database.db.insert(contacts).values([
      { organisationId: bielefeld!.id, role: 'main_contact', name: 'Mehmet Kaya', email: 'kaya@bielefeld.example' },
      { organisationId: bielefeld!.id, role: 'leadership_signatory', name: 'Mehmet Kaya', email: 'Kaya@Bielefeld.example' },
    ]);
    const result = await sendNotice(notice({ partnerNumber: 8, keyPrefix: `annual-report/2018/8/invitation#${run}` }));
    expect(result.deliveries.map((d) => [d.role, d.status])).toEqual([
      ['partner_main_contact', 'sent'],
      ['partner_leadership', 'sent'],
    ]);
    expect(result.deliveries[0]?.messageId).toBe(result.deliveries[1]?.messageId);
    expect(mail.catcher.messages).toHaveLength(1);
    await database.db.delete(contacts).where(eq(contacts.organisationId, bielefeld!.id));
  });

  it('keeps writing to the others when one address is refused, and reports the refusal', async () => {
    answer = (address) => (address === 'j.miller@kreis-lippe.example' ? { code: 550, message: '5.1.1 User unknown' } : undefined);
    const result = await sendNotice(notice());
    expect(result.deliveries).toEqual([
      { role: 'partner_main_contact', recipient: 'ayse@kreis-lippe.example', status: 'sent', messageId: expect.any(String) },
      {
        role: 'partner_leadership',
        recipient: 'j.miller@kreis-lippe.example',
        status: 'failed',
        error: expect.stringContaining('550 5.1.1 User unknown'),
      },
    ]);
    expect(mail.catcher.messages.map(to)).toEqual(['ayse@kreis-lippe.example']);
    const [jonathan] = await database.db.select().from(contacts).where(eq(contacts.id, ids.jonathan));
    expect(jonathan?.emailFailingSince).toBeInstanceOf(Date);
    await database.db.update(contacts).set({ emailFailingSince: null, emailFailureReason: null }).where(eq(contacts.id, ids.jonathan));
  });

  it('fails retryably on a 4xx and, on retry, sends only to whoever is still missing', async () => {
    answer = (address) => (address === 'ayse@kreis-lippe.example' ? { code: 451, message: '4.3.0 Try again later' } : undefined);
    const error = await sendNotice(notice()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'SmtpTransient', nonRetryable: false });
    expect(mail.catcher.messages.map(to)).toEqual(['j.miller@kreis-lippe.example']);

    answer = () => undefined;
    const retried = await sendNotice(notice());
    expect(retried.deliveries.map((d) => d.status)).toEqual(['sent', 'already-sent']);
    expect(mail.catcher.messages.map(to)).toEqual(['j.miller@kreis-lippe.example', 'ayse@kreis-lippe.example']);
  });

  it('after a crash behind an accepted mail, sends that recipient’s mail again on retry (a possible duplicate) and writes to the rest', async () => {
    // One crash in all: failOnceAt would fail every recipient's first attempt.
    let crashed = false;
    const faults: FaultInjector = {
      at(point, key) {
        if (crashed) return;
        crashed = true;
        throw new Error(`injected fault at ${point} (${key})`);
      },
    };
    const crashing = createNoticeActivities({ db: database.db, mailer: mail.mailer, config, faults }).sendNotice;
    await expect(crashing(notice())).rejects.toThrow('injected fault at notice.afterSmtpAccepted');
    expect(mail.catcher.messages.map(to)).toEqual(['ayse@kreis-lippe.example']);

    // The retry comes once the crashed attempt's claim is stale (it stopped heartbeating).
    await database.db
      .update(emailLedger)
      .set({ claimedAt: sql`now() - interval '1 minute'` })
      .where(eq(emailLedger.status, 'sending'));
    const retried = await crashing(notice());
    expect(retried.deliveries.map((d) => [d.recipient, d.status, d.possibleDuplicate ?? false])).toEqual([
      ['ayse@kreis-lippe.example', 'sent', true],
      ['j.miller@kreis-lippe.example', 'sent', false],
    ]);
    expect(mail.catcher.messages.map(to)).toEqual(['ayse@kreis-lippe.example', 'ayse@kreis-lippe.example', 'j.miller@kreis-lippe.example']);
    // The second copy carries the link of the first: one link for the notice, issued and audited once.
    const links = mail.catcher.messages.map((message) => /\/link\/([\w-]{43})/.exec(message.text ?? '')?.[1]);
    expect(links[0]).toBeDefined();
    expect(new Set(links)).toEqual(new Set([links[0]]));
    const issued = await database.db.select().from(partnerLinks).where(eq(partnerLinks.tokenHash, tokenHash(links[0]!)));
    expect(issued).toHaveLength(1);
    const audited = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'partner_link'), eq(auditLog.entityId, String(issued[0]!.id)), eq(auditLog.action, 'issued')));
    expect(audited).toHaveLength(1);
  });

  it('gives every notice a link of its own, and a fresh one in place of a link staff revoked meanwhile', async () => {
    const linkIn = (message: CaughtMail | undefined) => /\/link\/([\w-]{43})/.exec(message?.text ?? '')?.[1];
    const recipients: SendNoticeInput['recipients'] = ['partner_main_contact'];
    await sendNotice(notice({ keyPrefix: `links/first#${run}`, recipients }));
    await sendNotice(notice({ keyPrefix: `links/second#${run}`, recipients }));
    const [first, second] = await mail.catcher.waitForCount(2);
    expect(linkIn(first)).toBeDefined();
    expect(linkIn(second)).toBeDefined();
    expect(linkIn(second)).not.toBe(linkIn(first));

    // Revoked before the notice's next attempt (its mail not yet accepted): that attempt issues another.
    await database.db.update(partnerLinks).set({ revokedAt: new Date(), revokedBy: 'staff:test' }).where(eq(partnerLinks.tokenHash, tokenHash(linkIn(first)!)));
    await database.db.delete(emailLedger).where(like(emailLedger.idempotencyKey, `links/first#${run}/%`));
    await sendNotice(notice({ keyPrefix: `links/first#${run}`, recipients }));
    const [, , again] = await mail.catcher.waitForCount(3);
    expect(linkIn(again)).toBeDefined();
    expect(linkIn(again)).not.toBe(linkIn(first));
  });

  it('heartbeats only while a notice is slow, naming the email under way; a quick one sends none', async () => {
    const beatsOf = async (mailer: Mailer) => {
      const activity = new MockActivityEnvironment();
      const beats: unknown[] = [];
      activity.on('heartbeat', (details: unknown) => beats.push(details));
      const send = createNoticeActivities({ db: database.db, mailer, config, faults: noFaults }).sendNotice;
      const result = (await activity.run(send, notice())) as SendNoticeResult;
      expect(result.deliveries.map((d) => d.status)).toEqual(['sent', 'sent']);
      return beats;
    };
    // Each heartbeat is a write on the Temporal server: a notice done within two seconds sends none.
    expect(await beatsOf(mail.mailer)).toEqual([]);
    // An SMTP server that takes 4.5 s for the first message: the attempt stays alive meanwhile.
    let first = true;
    const slow: Mailer = {
      ...mail.mailer,
      send: async (message) => {
        if (first) await new Promise((resolve) => setTimeout(resolve, 4_500));
        first = false;
        return mail.mailer.send(message);
      },
    };
    run++;
    const beats = await beatsOf(slow);
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(new Set(beats)).toEqual(new Set([`annual-report/2018/7/initial/invitation#${run}/partner_main_contact/${ids.ayse}`]));
  });

  it('shows the due date in the zone it is given, and in the configured zone otherwise', async () => {
    // 22:30 UTC on 31 March is still that evening in New York, but already 1 April in Berlin.
    const context = { year: 2026, dueAt: '2027-03-31T22:30:00.000Z', round: 'initial' as const };
    const recipients: SendNoticeInput['recipients'] = ['partner_main_contact'];
    await sendNotice(notice({ keyPrefix: `zone/default#${run}`, recipients, context, calendarEntry: true }));
    await sendNotice(notice({ keyPrefix: `zone/new-york#${run}`, recipients, context, calendarEntry: true, timezone: 'America/New_York' }));

    const [berlin, newYork] = await mail.catcher.waitForCount(2);
    const calendar = (m: CaughtMail | undefined) => m?.attachments[0]?.content.toString('utf8') ?? '';
    expect(config.timezone).toBe('Europe/Berlin');
    expect(berlin?.subject).toBe('Jahresbericht 2026 zur Umsetzung der Beitrittsmodule – bitte bis 01.04.2027 einreichen');
    expect(berlin?.text).toContain('Abgabefrist: 01.04.2027');
    expect(calendar(berlin)).toContain('DTSTART;VALUE=DATE:20270401\r\n');
    expect(newYork?.subject).toBe('Jahresbericht 2026 zur Umsetzung der Beitrittsmodule – bitte bis 31.03.2027 einreichen');
    expect(newYork?.text).toContain('Abgabefrist: 31.03.2027');
    expect(calendar(newYork)).toContain('DTSTART;VALUE=DATE:20270331\r\n');
    expect(calendar(newYork)).toContain('UID:jahresbericht-2026-7-2027-03-31@example.org\r\n');
  });

  it('refuses, without retry, a partner that does not exist', async () => {
    const error = await sendNotice(notice({ partnerNumber: 999 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'PartnerNotFound', nonRetryable: true });
  });

  it('refuses, without retry and before sending anything, a notice missing what its template needs', async () => {
    const error = await sendNotice(notice({ template: 'report-received' })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      type: 'InvalidNoticeContext',
      nonRetryable: true,
      message: 'reference: required by the report-received template',
    });
    expect(mail.catcher.messages).toHaveLength(0);
  });

  it('names each bad input field', async () => {
    const bad = { ...notice(), partnerNumber: -1, recipients: ['nobody'], timezone: 'Europe/Lippe' } as unknown as SendNoticeInput;
    const error = await sendNotice(bad).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'InvalidNoticeInput', nonRetryable: true });
    expect((error as Error).message).toMatch(/^partnerNumber: .+\nrecipients\[0\]: .+\ntimezone: must be an IANA time zone, e\.g\. Europe\/Berlin$/);
  });
});
