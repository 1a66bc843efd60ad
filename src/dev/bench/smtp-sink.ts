import { SMTPServer } from 'smtp-server';

/**
 * The benchmark's SMTP server: accepts everything and remembers, per Message-ID, when the first
 * copy was accepted and how many copies came. It reads only the header, so tens of thousands of
 * messages cost it little next to the system under test.
 */
export type SmtpSink = {
  port: number;
  /** Message-ID → the moment (epoch ms) its first copy was accepted. */
  acceptedAt: ReadonlyMap<string, number>;
  /** Messages accepted, copies included. */
  received(): number;
  /** Copies beyond the first of a Message-ID. */
  duplicates(): number;
  /** Messages that carried no Message-ID (Partnerflow always sets one: any is a fault). */
  withoutMessageId(): number;
  stop(): Promise<void>;
};

const headerEnd = Buffer.from('\r\n\r\n');

export async function startSmtpSink(): Promise<SmtpSink> {
  const acceptedAt = new Map<string, number>();
  let received = 0;
  let duplicates = 0;
  let withoutMessageId = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    banner: 'Partnerflow benchmark sink',
    // Any credentials: the benchmark's SMTP_URL carries none, an operator's might.
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
    onData(stream, _session, callback) {
      let head = Buffer.alloc(0);
      let headDone = false;
      stream.on('data', (chunk: Buffer) => {
        if (headDone) return;
        head = Buffer.concat([head, chunk]);
        if (head.includes(headerEnd)) headDone = true;
      });
      stream.on('error', callback);
      stream.on('end', () => {
        // The moment the 250 goes out is the moment the message counts as accepted.
        const now = Date.now();
        received += 1;
        const messageId = messageIdOf(head.toString('utf8', 0, Math.max(0, head.indexOf(headerEnd)) || head.length));
        if (messageId === undefined) withoutMessageId += 1;
        else if (acceptedAt.has(messageId)) duplicates += 1;
        else acceptedAt.set(messageId, now);
        callback();
      });
    },
  });
  // A client that dies mid-session (a killed or stopped worker) resets its connection: expected, not a crash.
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('SMTP sink: no TCP port');
  return {
    port: address.port,
    acceptedAt,
    received: () => received,
    duplicates: () => duplicates,
    withoutMessageId: () => withoutMessageId,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The Message-ID header's value (folded lines unfolded), or undefined. */
export function messageIdOf(header: string): string | undefined {
  const unfolded = header.replace(/\r?\n[ \t]+/g, ' ');
  return /^message-id:\s*(<[^>\r\n]+>)/im.exec(unfolded)?.[1];
}
