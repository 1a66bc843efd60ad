import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * The fault drills' SMTP server: it accepts everything and keeps, per message, only its Message-ID
 * and when the 250 was given. Independent of the product's ledger, so the two can be compared; it
 * parses nothing but the header block, so thousands of mails cost the shared machine little.
 */

export type SinkReceipt = { messageId: string; receivedAt: number };

export type MessageIdSink = {
  port: number;
  /** Every accepted message in order, copies included. */
  receipts: SinkReceipt[];
  stop(): Promise<void>;
};

const host = '127.0.0.1';

export async function startMessageIdSink(): Promise<MessageIdSink> {
  const receipts: SinkReceipt[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    banner: 'Partnerflow fault-drill sink',
    // Thousands of sends from several workers at once: no limit of the server's should be the bottleneck.
    maxClients: 1_000,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const messageId = messageIdOf(Buffer.concat(chunks));
        if (messageId === undefined) return callback(Object.assign(new Error('no Message-ID header'), { responseCode: 554 }));
        // Recorded before the 250: a client that saw the acceptance finds its message counted.
        receipts.push({ messageId, receivedAt: Date.now() });
        callback();
      });
    },
  });
  // A client that dies mid-session (a killed or stopped worker) resets its connection: expected, not a crash.
  smtp.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(0, host, () => {
      smtp.server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (smtp.server.address() as AddressInfo).port,
    receipts,
    stop: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/** The Message-ID header of a raw message (headers end at the first blank line; folded lines joined). */
export function messageIdOf(raw: Buffer): string | undefined {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const headers = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const match = /^message-id:\s*(<[^>\r\n]+>)/im.exec(headers);
  return match?.[1];
}
