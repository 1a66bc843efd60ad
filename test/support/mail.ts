import type { Config } from '../../src/config';
import { startMailCatcher, type CaughtMail, type MailCatcher, type MailCatcherOptions } from '../../src/dev/mail-catcher';
import { createMailer, type Mailer } from '../../src/email/transport';

export { startMailCatcher, type CaughtMail, type MailCatcher } from '../../src/dev/mail-catcher';

export const testMailFrom = 'Partnernetzwerk NRW stärkt Vielfalt <partnernetzwerk@example.org>';

export type TestMail = {
  catcher: MailCatcher;
  /** SMTP settings pointing at the catcher, as a Config would carry them. */
  smtp: Config['smtp'];
  /** A real nodemailer transport to the catcher. */
  mailer: Mailer;
  stop(): Promise<void>;
};

/** A mail catcher on a free port and a mailer that sends to it. */
export async function startTestMail(options: Omit<MailCatcherOptions, 'smtpPort'> = {}): Promise<TestMail> {
  const catcher = await startMailCatcher({ ...options, smtpPort: 0 });
  const smtp = { url: `smtp://127.0.0.1:${catcher.smtpPort}`, from: testMailFrom, external: true };
  const mailer = createMailer(smtp);
  return {
    catcher,
    smtp,
    mailer,
    async stop() {
      mailer.close();
      await catcher.stop();
    },
  };
}

/** A header as the message carried it (first occurrence), e.g. header(mail, 'message-id'). */
export function header(mail: CaughtMail, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const line = mail.headerLines.find((h) => h.key === wanted)?.line;
  return line?.slice(line.indexOf(':') + 1).trim();
}
