/**
 * Addresses on hold: `partners release-hold <address>` clears the hold staff have checked, and sends
 * the mail held for it meanwhile (each under its own Message-ID, as it was held). `partners import`
 * releases the mail of a contact whose address it changed the same way.
 */
import type { Command } from 'commander';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { CliError } from './output';
import { cliConfig, withDatabase } from './runtime';

export function registerHeldAddressCommands(partners: Command): void {
  partners
    .command('release-hold')
    .description('clear the hold on an address the SMTP server refused, and send the mail held for it')
    .argument('<address>', 'the email address, as `partners list` shows it on hold')
    .requiredOption('--by <name>', 'who checked the address (for the audit log)')
    .action(async (address: string, options: { by: string }) => {
      const config = cliConfig();
      const { clearAddressHold } = await import('../db/queries/address-holds');
      await withDatabase(config, async (db) => {
        const cleared = await clearAddressHold(db, address.trim(), `staff:${options.by}`);
        if (cleared.contacts + cleared.staff === 0) throw new CliError([`address: ${address} is not on hold`]);
        process.stdout.write(`Cleared the hold on ${address} (${cleared.contacts} contact(s), ${cleared.staff} staff).\n`);
        await releaseHeldMail(config, db);
      });
    });
}

/** Sends what was held for addresses no longer on hold, and says what became of it. */
export async function releaseHeldMail(config: Config, db: Database): Promise<void> {
  const [{ sendReleasedHeldEmails }, { createMailer }, { noFaults }, { createLogger, useLogger }] = await Promise.all([
    import('../email/ledger'),
    import('../email/transport'),
    import('../faults'),
    import('../observability/logger'),
  ]);
  // The ledger logs each email; on stderr, so stdout stays the result.
  useLogger(createLogger({ level: config.logLevel, format: config.logFormat, name: 'cli', destination: 2 }));
  const mailer = createMailer(config.smtp);
  try {
    const released = await sendReleasedHeldEmails({ db, mailer, faults: noFaults });
    for (const email of released) {
      process.stdout.write(`  ${email.idempotencyKey} → ${email.to}: ${email.outcome}${email.error ? ` (${email.error})` : ''}\n`);
    }
    if (released.length > 0) process.stdout.write(`Held mail released: ${released.filter((e) => e.outcome === 'sent').length} of ${released.length} sent.\n`);
  } finally {
    mailer.close();
  }
}
