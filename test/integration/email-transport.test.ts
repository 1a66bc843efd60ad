import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dueDateEvent } from '../../src/email/ics';
import { messageIdFor } from '../../src/email/message-id';
import { renderNotice } from '../../src/email/render';
import { noticeSamples } from '../../src/email/templates/samples';
import { createMailer, SmtpPermanentError, SmtpTransientError, type OutgoingEmail } from '../../src/email/transport';
import { header, startMailCatcher, startTestMail, testMailFrom, type TestMail } from '../support/mail';

const ctx = noticeSamples['report-invitation'];
const rendered = renderNotice('report-invitation', 'de', ctx);
const ics = dueDateEvent({
  uid: 'jahresbericht-2018-7-2019-03-31@example.org',
  dueAt: new Date(ctx.dueAt),
  timezone: ctx.timezone,
  summary: 'Jahresbericht 2018 – Abgabefrist',
  description: `${rendered.subject}\n${ctx.formUrl}`,
  url: ctx.formUrl,
  stamp: new Date('2019-01-15T08:00:00Z'),
});

function invitation(to: string, key = 'test/round-trip'): OutgoingEmail {
  return {
    to: { name: 'Dr. Ayşe Özdemir', address: to },
    ...rendered,
    messageId: messageIdFor(key, testMailFrom),
    headers: { 'Auto-Submitted': 'auto-generated' },
    attachments: [{ filename: 'jahresbericht-2018.ics', content: ics, contentType: 'text/calendar; method=PUBLISH; charset=UTF-8' }],
  };
}

// Recipients in these domains get a 550 or 450 at RCPT TO.
const rejected = (address: string) =>
  address.endsWith('@unknown.example.org')
    ? { code: 550, message: '5.1.1 Mailbox unavailable' }
    : address.endsWith('@busy.example.org')
      ? { code: 450, message: '4.2.1 Mailbox busy, try again later' }
      : undefined;

describe('nodemailer to the mail catcher', () => {
  let mail: TestMail;
  beforeAll(async () => {
    mail = await startTestMail({ rejectRecipients: rejected });
  });
  afterAll(() => mail.stop());
  beforeEach(() => mail.catcher.clear());

  it('delivers a German notice with its headers, umlauts and calendar attachment intact', async () => {
    const before = Date.now();
    const receipt = await mail.mailer.send(invitation('ayse.oezdemir@kreis-lippe.example'));
    expect(receipt.accepted).toEqual(['ayse.oezdemir@kreis-lippe.example']);
    expect(receipt.response).toMatch(/^250 /);

    const [received] = await mail.catcher.waitForCount(1);
    expect(received?.from?.value).toEqual([
      { name: 'Partnernetzwerk NRW stärkt Vielfalt', address: 'partnernetzwerk@example.org' },
    ]);
    expect(received?.to).toMatchObject({ value: [{ name: 'Dr. Ayşe Özdemir', address: 'ayse.oezdemir@kreis-lippe.example' }] });
    expect(received?.envelope).toEqual({ from: 'partnernetzwerk@example.org', to: ['ayse.oezdemir@kreis-lippe.example'] });
    expect(received?.subject).toBe(
      'Jahresbericht 2018 zur Umsetzung der Beitrittsmodule – bitte bis 31.03.2019 einreichen',
    );
    expect(received?.messageId).toBe(messageIdFor('test/round-trip', testMailFrom));
    expect(received?.date?.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(header(received!, 'auto-submitted')).toBe('auto-generated');

    expect(received?.text?.trim()).toBe(rendered.text.trim());
    expect(received?.text).toContain('„Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“');
    expect(received?.html).toContain(`<a href="${ctx.formUrl}" `);

    expect(received?.attachments).toHaveLength(1);
    const [attachment] = received?.attachments ?? [];
    expect(attachment?.filename).toBe('jahresbericht-2018.ics');
    expect(attachment?.contentType).toBe('text/calendar');
    expect(attachment?.content.toString('utf8')).toBe(ics);
    expect(attachment?.content.toString('utf8')).toContain('DTSTART;VALUE=DATE:20190331');
  });

  it('reports a 550 for the recipient as a permanent error naming the rejected address', async () => {
    const error = await mail.mailer.send(invitation('nobody@unknown.example.org')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmtpPermanentError);
    expect(error).toMatchObject({
      code: 'SMTP_PERMANENT',
      recipientRejected: true,
      response: '550 5.1.1 Mailbox unavailable',
      failure: { smtpCode: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' },
    });
    expect(mail.catcher.messages).toHaveLength(0);
  });

  it('reports a 450 as a transient error', async () => {
    const error = await mail.mailer.send(invitation('someone@busy.example.org')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmtpTransientError);
    expect(error).toMatchObject({ code: 'SMTP_TRANSIENT', failure: { responseCode: 450 } });
    expect(mail.catcher.messages).toHaveLength(0);
  });

  it('refuses a malformed address before talking to the server, permanently', async () => {
    const error = await mail.mailer.send(invitation('not an address')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmtpPermanentError);
    expect(error).toMatchObject({ recipientRejected: true });
  });

  it('says where it connected when verifying', async () => {
    await expect(mail.mailer.verify()).resolves.toBe(`smtp://127.0.0.1:${mail.catcher.smtpPort} ready`);
  });
});

describe('an SMTP server that is not there', () => {
  it('is a transient error, so Temporal retries', async () => {
    // Start and stop a catcher to get a port that nothing listens on.
    const gone = await startMailCatcher();
    await gone.stop();
    const mailer = createMailer({ url: `smtp://127.0.0.1:${gone.smtpPort}`, from: testMailFrom });
    const error = await mailer.send(invitation('ayse@kreis-lippe.example')).catch((e: unknown) => e);
    mailer.close();
    expect(error).toBeInstanceOf(SmtpTransientError);
    expect(error).toMatchObject({ failure: { smtpCode: expect.stringMatching(/^E(CONNECTION|SOCKET)$/) } });
  });
});

describe('mail catcher', () => {
  it('writes each message as .eml and lists it newest first in the web view', async () => {
    const { mkdtemp, readdir, readFile, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const storeDir = await mkdtemp(join(tmpdir(), 'pf-mail-'));
    const mail = await startTestMail({ storeDir, webPort: 0 });
    try {
      await mail.mailer.send(invitation('first@example.org', 'a'));
      await mail.mailer.send({ ...invitation('second@example.org', 'b'), subject: 'Zweite <Nachricht> & mehr' });
      const files = (await readdir(storeDir)).sort();
      expect(files).toHaveLength(2);
      expect(await readFile(join(storeDir, files[0]!), 'utf8')).toContain('Message-ID: ' + messageIdFor('a', testMailFrom));

      const list = await (await fetch(`${mail.catcher.webUrl}/`)).text();
      expect(list.indexOf('Zweite &lt;Nachricht&gt; &amp; mehr')).toBeGreaterThan(-1);
      expect(list.indexOf('Zweite &lt;Nachricht&gt;')).toBeLessThan(list.indexOf('Jahresbericht 2018'));
      const page = await (await fetch(`${mail.catcher.webUrl}/messages/1`)).text();
      expect(page).toContain('Auto-Submitted: auto-generated');
      // The HTML part as the recipient sees it, in a sandbox that runs no script, its markup escaped into srcdoc.
      const frame = /<iframe title="HTML part" sandbox="([^"]*)" srcdoc="([^"]*)"/.exec(page);
      expect(frame?.[1]).not.toContain('allow-scripts');
      expect(frame?.[1]).not.toContain('allow-same-origin');
      const srcdoc = (frame?.[2] ?? '').replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
      expect(srcdoc).toBe(rendered.html.replace('<head>', '<head><base target="_blank">'));
      expect(srcdoc).toContain('>Zum Formular</a>');
      expect(page).toContain('<a href="/messages/1.txt">Text part</a>');
      const textPart = await fetch(`${mail.catcher.webUrl}/messages/1.txt`);
      expect(textPart.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await textPart.text()).toBe(rendered.text);
      const attachment = await fetch(`${mail.catcher.webUrl}/messages/1/attachments/0`);
      expect(await attachment.text()).toBe(ics);
      expect((await fetch(`${mail.catcher.webUrl}/messages/99`)).status).toBe(404);
      await mail.stop();

      // The dev stack keeps its mail across restarts: a new catcher on the same folder shows it again.
      const restarted = await startTestMail({ storeDir });
      expect(restarted.catcher.messages.map((m) => [m.seq, m.subject, m.envelope.to])).toEqual([
        [1, rendered.subject, ['first@example.org']],
        [2, 'Zweite <Nachricht> & mehr', ['second@example.org']],
      ]);
      await restarted.mailer.send(invitation('third@example.org', 'c'));
      expect(restarted.catcher.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(await readdir(storeDir)).toHaveLength(3);
      await restarted.stop();
    } finally {
      await mail.stop();
      await rm(storeDir, { recursive: true, force: true });
    }
  });

  it('survives a client that resets its connection mid-message (a killed worker) and takes the next mail', async () => {
    const { connect } = await import('node:net');
    const catcher = await startMailCatcher();
    try {
      const socket = connect(catcher.smtpPort, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('data', () => resolve()));
      socket.write('EHLO worker\r\nMAIL FROM:<noreply@example.org>\r\nRCPT TO:<ayse@kreis-lippe.example>\r\nDATA\r\nSubject: half\r\n');
      await new Promise((resolve) => setTimeout(resolve, 200));
      socket.resetAndDestroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const mailer = createMailer({ url: `smtp://127.0.0.1:${catcher.smtpPort}`, from: testMailFrom });
      await mailer.send(invitation('ayse@kreis-lippe.example'));
      mailer.close();
      await catcher.waitForCount(1);
      expect(catcher.messages.map((m) => m.subject)).toEqual([rendered.subject]);
    } finally {
      await catcher.stop();
    }
  });

  it('fails waitForCount with a clear message when mail does not come', async () => {
    const catcher = await startMailCatcher();
    try {
      await expect(catcher.waitForCount(1, 100)).rejects.toThrow('timed out after 100 ms waiting for 1 messages (0 received)');
    } finally {
      await catcher.stop();
    }
  });
});
