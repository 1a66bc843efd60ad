import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { escapeHtml } from '../email/html';

/** A received message: mailparser's view of it plus what the SMTP envelope said. */
export type CaughtMail = ParsedMail & {
  /** 1, 2, 3 … in order of arrival; also the message's address in the web view. */
  seq: number;
  receivedAt: Date;
  envelope: { from: string | undefined; to: string[] };
  raw: Buffer;
};

export type SmtpRejection = { code: number; message: string };

export type MailCatcherOptions = {
  /** 0 (default) picks a free port. */
  smtpPort?: number;
  /** Port of the web view; false or absent means none, 0 picks a free port. */
  webPort?: number | false;
  /** Writes every message there as <seq>-<time>.eml, and shows the ones already there after a restart. */
  storeDir?: string;
  /** Answer RCPT TO for this address with an error instead of accepting it, e.g. 550 or 450. */
  rejectRecipients?: (address: string) => SmtpRejection | undefined;
};

export type MailCatcher = {
  smtpPort: number;
  webUrl: string | undefined;
  messages: CaughtMail[];
  waitFor(predicate: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  waitForCount(count: number, timeoutMs?: number): Promise<CaughtMail[]>;
  clear(): void;
  stop(): Promise<void>;
};

const host = '127.0.0.1';

/** An SMTP server on loopback that keeps every message it accepts, for tests and the dev stack. */
export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const messages: CaughtMail[] = [];
  const waiters = new Set<() => void>();
  let seq = 0;
  if (options.storeDir) {
    await mkdir(options.storeDir, { recursive: true });
    messages.push(...(await loadStored(options.storeDir)));
    seq = messages.at(-1)?.seq ?? 0;
  }

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    banner: 'Partnerflow mail catcher',
    // Accepts any credentials: a dev SMTP_URL with user:pass must still work here.
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
    onRcptTo(address, _session, callback) {
      const rejection = options.rejectRecipients?.(address.address);
      if (!rejection) return callback();
      callback(Object.assign(new Error(rejection.message), { responseCode: rejection.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        // The client hears 250 only once the message is stored, so a resolved send means it is in `messages`.
        receive(raw, session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          session.envelope.rcptTo.map((rcpt) => rcpt.address))
          .then(() => callback(), (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      });
    },
  });
  // A client that dies mid-session (a killed or stopped worker) resets its connection: expected, not a crash.
  smtp.on('error', () => undefined);

  async function receive(raw: Buffer, from: string | undefined, to: string[]): Promise<void> {
    const parsed = await simpleParser(raw);
    const mail: CaughtMail = Object.assign(parsed, { seq: ++seq, receivedAt: new Date(), envelope: { from, to }, raw });
    if (options.storeDir) {
      const stamp = mail.receivedAt.toISOString().replace(/[:.]/g, '-');
      await writeFile(join(options.storeDir, `${String(mail.seq).padStart(5, '0')}-${stamp}.eml`), raw);
    }
    messages.push(mail);
    for (const wake of waiters) wake();
  }

  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(options.smtpPort ?? 0, host, () => {
      smtp.server.off('error', reject);
      resolve();
    });
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  let web: Server | undefined;
  if (options.webPort !== undefined && options.webPort !== false) {
    web = createServer((request, response) => serveWebView(messages, request, response));
    const server = web;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.webPort || 0, host, () => resolve());
    });
  }

  function waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const result = check();
        if (result === undefined) return;
        cleanup();
        resolve(result);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`mail catcher: timed out after ${timeoutMs} ms waiting for ${what} (${messages.length} received)`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(attempt);
      };
      waiters.add(attempt);
      attempt();
    });
  }

  return {
    smtpPort,
    webUrl: web ? `http://${host}:${(web.address() as AddressInfo).port}` : undefined,
    messages,
    waitFor: (predicate, timeoutMs = 5_000) =>
      waitUntil(() => messages.find(predicate), timeoutMs, 'a matching message'),
    waitForCount: (count, timeoutMs = 5_000) =>
      waitUntil(() => (messages.length >= count ? [...messages] : undefined), timeoutMs, `${count} messages`),
    clear: () => {
      messages.length = 0;
    },
    stop() {
      // Idempotent, so a test's cleanup may stop a catcher the test already stopped.
      stopping ??= Promise.all([
        new Promise<void>((resolve) => smtp.close(() => resolve())),
        web ? new Promise<void>((resolve) => web.close(() => resolve())) : undefined,
      ]).then(() => undefined);
      return stopping;
    },
  };
}

/** Messages an earlier run stored; their envelope is read back from the headers. */
async function loadStored(storeDir: string): Promise<CaughtMail[]> {
  const files = (await readdir(storeDir)).filter((name) => /^\d+-.*\.eml$/.test(name)).sort();
  return Promise.all(
    files.map(async (name) => {
      const path = join(storeDir, name);
      const raw = await readFile(path);
      const parsed = await simpleParser(raw);
      const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((a) => a.value);
      return Object.assign(parsed, {
        seq: Number.parseInt(name, 10),
        receivedAt: (await stat(path)).mtime,
        envelope: { from: parsed.from?.value[0]?.address, to: to.flatMap((a) => (a.address ? [a.address] : [])) },
        raw,
      });
    }),
  );
}

function serveWebView(messages: CaughtMail[], request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? '/', 'http://catcher').pathname;
  if (path === '/') return sendHtml(response, 200, 'Mail', listPage(messages));
  if (path === '/messages.json') {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(messages.map(summary)));
    return;
  }
  const match = /^\/messages\/(\d+)(\.eml|\.txt|\/attachments\/(\d+))?$/.exec(path);
  const mail = match && messages.find((m) => m.seq === Number(match[1]));
  if (!match || !mail) return sendHtml(response, 404, 'Not found', '<p>No such message. <a href="/">All mail</a></p>');
  if (match[2] === '.eml') {
    response.writeHead(200, { 'content-type': 'message/rfc822' });
    response.end(mail.raw);
    return;
  }
  if (match[2] === '.txt') {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(mail.text ?? '');
    return;
  }
  if (match[3] !== undefined) {
    const attachment = mail.attachments[Number(match[3])];
    if (!attachment) return sendHtml(response, 404, 'Not found', '<p>No such attachment.</p>');
    response.writeHead(200, { 'content-type': attachment.contentType });
    response.end(attachment.content);
    return;
  }
  sendHtml(response, 200, mail.subject ?? '(no subject)', messagePage(mail));
}

function summary(mail: CaughtMail) {
  return {
    seq: mail.seq,
    receivedAt: mail.receivedAt.toISOString(),
    from: addressText(mail.from),
    to: addressText(mail.to),
    subject: mail.subject ?? '',
    messageId: mail.messageId,
    envelope: mail.envelope,
  };
}

function listPage(messages: CaughtMail[]): string {
  const rows = [...messages]
    .reverse()
    .map((mail) => {
      const s = summary(mail);
      return `<tr><td>${escapeHtml(s.receivedAt)}</td><td>${escapeHtml(s.from)}</td><td>${escapeHtml(s.to)}</td><td><a href="/messages/${s.seq}">${escapeHtml(s.subject || '(no subject)')}</a></td></tr>`;
    })
    .join('\n');
  return `<h1>Mail (${messages.length})</h1>
<table><thead><tr><th>Received</th><th>From</th><th>To</th><th>Subject</th></tr></thead>
<tbody>${rows || '<tr><td colspan="4">No mail yet.</td></tr>'}</tbody></table>`;
}

function messagePage(mail: CaughtMail): string {
  const headers = mail.headerLines.map((line) => escapeHtml(line.line)).join('\n');
  const attachments = mail.attachments
    .map((a, index) => `<li><a href="/messages/${mail.seq}/attachments/${index}">${escapeHtml(a.filename ?? `attachment ${index + 1}`)}</a> (${escapeHtml(a.contentType)})</li>`)
    .join('');
  return `<p><a href="/">All mail</a> · <a href="/messages/${mail.seq}.txt">Text part</a> · <a href="/messages/${mail.seq}.eml">.eml</a></p>
<h1>${escapeHtml(mail.subject ?? '(no subject)')}</h1>
<p>Envelope: ${escapeHtml(mail.envelope.from ?? '')} → ${escapeHtml(mail.envelope.to.join(', '))}</p>
${typeof mail.html === 'string' ? htmlPartFrame(mail.html) : `<pre style="white-space: pre-wrap">${escapeHtml(mail.text ?? '')}</pre>`}
${attachments ? `<h2>Attachments</h2><ul>${attachments}</ul>` : ''}
<h2>Headers</h2><pre style="white-space: pre-wrap">${headers}</pre>`;
}

/**
 * The HTML part as a recipient sees it. The sandbox allows no scripts and gives the mail its own
 * origin, so a hostile message cannot touch this page; its links open in a new tab, as in a mail client.
 */
function htmlPartFrame(html: string): string {
  const withBase = /<head[^>]*>/i.test(html)
    ? html.replace(/<head[^>]*>/i, (head) => `${head}<base target="_blank">`)
    : `<base target="_blank">${html}`;
  return `<iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(withBase)}" style="width: 100%; max-width: 800px; height: 80vh; border: 1px solid #ccc;"></iframe>`;
}

function sendHtml(response: ServerResponse, status: number, title: string, body: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  response.end(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:2em}td,th{padding:.2em .6em;text-align:left;border-bottom:1px solid #ddd}</style>
</head><body>${body}</body></html>`);
}

function addressText(address: AddressObject | AddressObject[] | undefined): string {
  if (!address) return '';
  return (Array.isArray(address) ? address : [address]).map((a) => a.text).join(', ');
}
