import nodemailer from 'nodemailer';
import type { Config } from '../config';

export type EmailAddress = { name: string; address: string };

/** Text (a calendar entry) or bytes (a PDF). */
export type EmailAttachment = { filename: string; content: string | Buffer; contentType: string };

export type OutgoingEmail = {
  to: EmailAddress;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers?: Record<string, string>;
  attachments?: EmailAttachment[];
};

export type SendReceipt = { response: string; accepted: string[] };

export type Mailer = {
  /** The From header of every mail, e.g. 'Partnernetzwerk NRW stärkt Vielfalt <partnernetzwerk@example.org>'. */
  readonly from: string;
  /** Throws SmtpPermanentError, SmtpTransientError, SmtpOutcomeUnknownError or SmtpConfigurationError (see classifySmtpError). */
  send(mail: OutgoingEmail): Promise<SendReceipt>;
  /** Connects and greets the server without sending; resolves to where it connected (no credentials). */
  verify(): Promise<string>;
  close(): void;
};

/** What went wrong at the SMTP level, as nodemailer reported it. */
type SmtpFailure = {
  /** nodemailer's code, e.g. 'EENVELOPE' or 'ECONNECTION'. */
  smtpCode: string | undefined;
  /** The server's reply, e.g. '550 5.1.1 User unknown'. */
  response: string | undefined;
  responseCode: number | undefined;
  command: string | undefined;
};

/** An SMTP failure as nodemailer reported it; the subclasses say what it means for a retry. */
abstract class SmtpError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly failure: SmtpFailure,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
  get response() {
    return this.failure.response;
  }
}

/** The server refused this message for good (or it can never be sent): retrying would get the same answer. */
export class SmtpPermanentError extends SmtpError {
  override readonly name = 'SmtpPermanentError';
  readonly code = 'SMTP_PERMANENT';
  constructor(
    message: string,
    failure: SmtpFailure,
    /** True when the recipient's address itself was refused, so the contact needs fixing. */
    readonly recipientRejected: boolean,
    options?: ErrorOptions,
  ) {
    super(message, failure, options);
  }
}

/** The message may go through later: 4xx replies, connections lost before the message was out, our own SMTP settings. */
export class SmtpTransientError extends SmtpError {
  override readonly name = 'SmtpTransientError';
  readonly code = 'SMTP_TRANSIENT';
}

/** The connection failed while the server had the message but had not answered it: it may have been accepted. */
export class SmtpOutcomeUnknownError extends SmtpError {
  override readonly name = 'SmtpOutcomeUnknownError';
  readonly code = 'SMTP_OUTCOME_UNKNOWN';
}

/**
 * Our SMTP settings are wrong (the server refused the login): no message is at fault, so none is
 * marked failed or put on hold; every send waits (retried) until an operator fixes the setting.
 */
export class SmtpConfigurationError extends SmtpError {
  override readonly name = 'SmtpConfigurationError';
  readonly code = 'SMTP_CONFIGURATION';
}

export type SmtpFailureClass = SmtpPermanentError | SmtpTransientError | SmtpOutcomeUnknownError | SmtpConfigurationError;

type NodemailerError = Error & { code?: string; response?: string; responseCode?: number; command?: string };

/**
 * Sorts a nodemailer error once, so callers only branch on our classes. `messageHandedOver` says
 * whether nodemailer had started streaming the message to the server (see createMailer).
 */
export function classifySmtpError(error: unknown, { messageHandedOver = false } = {}): SmtpFailureClass {
  const err: NodemailerError = error instanceof Error ? error : new Error(String(error));
  const failure: SmtpFailure = {
    smtpCode: err.code,
    response: err.response,
    responseCode: err.responseCode,
    command: err.command,
  };
  const message = `SMTP ${err.command ?? 'send'} failed: ${err.message}`;
  const { responseCode } = failure;
  // A reply decides (4xx retry, 5xx failed). Without one, err.command cannot tell when it happened (a
  // dropped connection or timeout is 'CONN' at any stage), so we go by the message: nodemailer streams it
  // only after the server answered DATA, so a failure before that cannot have delivered it and is retried,
  // while one after it may have lost the server's acceptance of the mail: outcome unknown, never resent.
  if (responseCode === undefined && messageHandedOver) {
    return new SmtpOutcomeUnknownError(
      `${message} (after the message was handed to the server, before it answered: it may have been accepted)`,
      failure,
      { cause: error },
    );
  }
  // A rejected login is our configuration, not this message: one line naming the settings, nothing marked failed.
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH') {
    const reply = err.response ?? err.message;
    return new SmtpConfigurationError(
      err.code === 'ENOAUTH'
        ? `SMTP_USER/SMTP_PASSWORD: the SMTP server asks for a login and none is configured (${reply})`
        : `SMTP_USER/SMTP_PASSWORD: the SMTP server refused the login (${reply})`,
      failure,
      { cause: error },
    );
  }
  // 503 (bad sequence) says the session was confused, not that the message was refused.
  const permanentReply = responseCode !== undefined && responseCode >= 500 && responseCode !== 503;
  // Without any reply, EENVELOPE/EMESSAGE mean nodemailer refused the address or message before sending.
  const refusedLocally = responseCode === undefined && (err.code === 'EENVELOPE' || err.code === 'EMESSAGE');
  if (permanentReply || refusedLocally) {
    const recipientRejected = err.command === 'RCPT TO' || (refusedLocally && /recipient/i.test(err.message));
    return new SmtpPermanentError(message, failure, recipientRejected, { cause: error });
  }
  return new SmtpTransientError(message, failure, { cause: error });
}

// Short enough that a hung server fails the activity attempt well within its timeout.
const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * One SMTP connection per send, no pool: a pooled transport re-queues a message whose connection
 * dropped, which could send it twice behind the ledger's back. Retrying is Temporal's job.
 */
export function createMailer(smtp: Pick<Config['smtp'], 'url' | 'from' | 'auth'>): Mailer {
  const transport = nodemailer.createTransport({ url: smtp.url, pool: false, ...timeouts, ...(smtp.auth && { auth: smtp.auth }) });
  // Message-IDs of sends whose message nodemailer has begun to stream out. One ledger key has one
  // Message-ID and is never sent twice at once, so the id names the attempt.
  const handedOver = new Set<string>();
  transport.use('stream', (mail, done) => {
    const { messageId } = mail.data;
    // The message stream starts flowing ('resume') when nodemailer pipes it to the socket: after the server accepted DATA.
    mail.message.processFunc((message) =>
      message.once('resume', () => {
        if (messageId) handedOver.add(messageId);
      }),
    );
    done();
  });
  return {
    from: smtp.from,
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from: smtp.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          headers: mail.headers,
          attachments: mail.attachments,
        });
        return { response: info.response, accepted: info.accepted.map(String) };
      } catch (error) {
        throw classifySmtpError(error, { messageHandedOver: handedOver.has(mail.messageId) });
      } finally {
        handedOver.delete(mail.messageId);
      }
    },
    async verify() {
      const { protocol, hostname, port } = new URL(smtp.url);
      try {
        await transport.verify();
      } catch (error) {
        throw classifySmtpError(error);
      }
      return `${protocol}//${hostname}:${port || (protocol === 'smtps:' ? 465 : 587)} ready`;
    },
    close: () => transport.close(),
  };
}
