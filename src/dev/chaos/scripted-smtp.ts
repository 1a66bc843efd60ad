/**
 * An SMTP server that answers each recipient's n-th attempt from a script, for the SMTP fault
 * scenarios: 4xx replies, 5xx refusals, a connection dropped after the message, a refused login.
 * It keeps every message it took in (also those whose connection it dropped: the server had them),
 * so a scenario counts what a real recipient would have received.
 */
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** What the server does with one attempt at one recipient. */
export type SmtpAnswer =
  | { kind: 'accept' }
  /** Replies to RCPT TO with this code; 421 also closes the connection, as servers that shut down do. */
  | { kind: 'reply'; code: 421 | 450 | 451 | 550 | 554; text?: string }
  /** Takes the whole message, then closes the connection without answering it: the sender cannot know. */
  | { kind: 'drop-after-data' };

/** `attempt` counts from 1 per recipient address (each RCPT TO for it). */
export type SmtpScript = (recipient: string, attempt: number) => SmtpAnswer;

export type ScriptedSmtpOptions = {
  script: SmtpScript;
  /** Requires this login; `refuseLogins` refuses the first n attempts to log in even with it. */
  login?: { user: string; pass: string; refuseLogins?: number };
  /** How long each accepted message takes to be answered, so a wave of sends lasts a while. */
  acceptDelayMs?: number;
};

export type ReceivedMessage = { messageId: string | undefined; to: string[]; receivedAt: Date; answered: boolean };

export type ScriptedSmtp = {
  port: number;
  /** smtp://127.0.0.1:port (the login, if any, goes into SMTP_USER/SMTP_PASSWORD). */
  url: string;
  /** Every message taken in, in order of arrival, second copies included. */
  received: ReceivedMessage[];
  /** The answers given that were not 'accept', with when: faults injected. */
  faults: { recipient: string; attempt: number; answer: SmtpAnswer; at: Date }[];
  refusedLogins: number;
  /** RCPT TO commands answered so far: sends under way or done. */
  recipientsSeen: number;
  attempts(recipient: string): number;
  stop(): Promise<void>;
};

const host = '127.0.0.1';

const replyTexts: Record<number, string> = {
  421: '4.3.2 Service shutting down, try again later',
  450: '4.2.1 Mailbox busy, try again later',
  451: '4.3.0 Local error in processing, try again later',
  550: '5.1.1 Mailbox unavailable',
  554: '5.7.1 Transaction failed: relay refused',
};

export async function startScriptedSmtp(options: ScriptedSmtpOptions): Promise<ScriptedSmtp> {
  const received: ReceivedMessage[] = [];
  const faults: ScriptedSmtp['faults'] = [];
  const attempts = new Map<string, number>();
  /** The answer for the message of each session: decided at RCPT TO, acted on at DATA. */
  const dropAfterData = new Set<string>();
  let loginsSeen = 0;
  let refusedLogins = 0;
  let recipientsSeen = 0;
  const { login } = options;

  const server = new SMTPServer({
    authOptional: login === undefined,
    // Plain AUTH on loopback without TLS, as a relay inside a private network would allow.
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    banner: 'Partnerflow scripted SMTP',
    onAuth(auth, _session, callback) {
      loginsSeen += 1;
      const right = login !== undefined && auth.username === login.user && auth.password === login.pass;
      if (!right || loginsSeen <= (login?.refuseLogins ?? 0)) {
        refusedLogins += 1;
        return callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      }
      callback(null, { user: auth.username });
    },
    onRcptTo(address, session, callback) {
      recipientsSeen += 1;
      const recipient = address.address.toLowerCase();
      const attempt = (attempts.get(recipient) ?? 0) + 1;
      attempts.set(recipient, attempt);
      const answer = options.script(recipient, attempt);
      if (answer.kind !== 'accept') faults.push({ recipient, attempt, answer, at: new Date() });
      if (answer.kind === 'reply') {
        return callback(Object.assign(new Error(answer.text ?? replyTexts[answer.code] ?? 'refused'), { responseCode: answer.code }));
      }
      if (answer.kind === 'drop-after-data') dropAfterData.add(session.id);
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const drop = dropAfterData.delete(session.id);
        received.push({ messageId: messageIdOf(Buffer.concat(chunks)), to: recipientsOf(session), receivedAt: new Date(), answered: !drop });
        if (drop) connectionSocket(server, session)?.destroy();
        else if (options.acceptDelayMs) setTimeout(() => callback(), options.acceptDelayMs);
        else callback();
      });
    },
  });

  // A client that dies mid-session (a killed worker) resets its connection: expected here, not a crash.
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://${host}:${port}`,
    received,
    faults,
    get refusedLogins() {
      return refusedLogins;
    },
    get recipientsSeen() {
      return recipientsSeen;
    },
    attempts: (recipient) => attempts.get(recipient.toLowerCase()) ?? 0,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function recipientsOf(session: SMTPServerSession): string[] {
  return session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
}

/** The Message-ID header of a raw message, as the sender wrote it (angle brackets included). */
export function messageIdOf(raw: Buffer): string | undefined {
  const text = raw.toString('utf8');
  const headerEnd = text.search(/\r?\n\r?\n/);
  const headers = (headerEnd === -1 ? text : text.slice(0, headerEnd)).replace(/\r?\n[ \t]+/g, ' ');
  return /^message-id:\s*(\S+)/im.exec(headers)?.[1];
}

/**
 * The socket of a session. smtp-server offers no way to hang up without answering, which is the
 * fault to inject; its (untyped) connection set is the only way to the socket.
 */
function connectionSocket(server: SMTPServer, session: SMTPServerSession): Socket | undefined {
  const connections = Reflect.get(server, 'connections') as Set<{ id: string; _socket?: Socket }> | undefined;
  for (const connection of connections ?? []) {
    if (connection.id === session.id) return connection._socket;
  }
  return undefined;
}
