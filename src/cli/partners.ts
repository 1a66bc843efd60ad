import { basename } from 'node:path';
import type { Command } from 'commander';
import { namesGroup, wholeNumber } from './options';
import { CliError, formatMoment, printJson, printTable } from './output';
import { cliConfig, withDatabase } from './runtime';
import { registerHeldAddressCommands, releaseHeldMail } from './held-addresses';

/**
 * The partners group. Its lifecycle commands (milestones, withdrawal) need the Temporal client, so
 * they load only when the group is named (`args` are the command line's words).
 */
export async function registerPartnerCommands(program: Command, args: string[]): Promise<void> {
  const partners = program.command('partners').description('the organisations of the partner network');
  if (namesGroup(args, 'partners')) {
    const { registerPartnerLifecycleCommands } = await import('./partner-lifecycle');
    registerPartnerLifecycleCommands(partners);
  }

  registerHeldAddressCommands(partners);

  partners
    .command('import')
    .description('import partners from CSV or JSON: every row is checked first; all or nothing')
    .argument('<file>', 'a .csv (header row) or .json file')
    .action(async (file: string) => {
      const { JsonTooDeepError, parseJsonText, readText } = await import('./files');
      const content = await readText(file);
      // A JSON file too deep to be a partner list is refused here with its reason; other JSON problems are the import's to name.
      if (/\.json$/i.test(file)) {
        try {
          parseJsonText(file, content);
        } catch (error) {
          if (error instanceof JsonTooDeepError) throw error;
        }
      }
      const { importPartnerFile } = await import('../db/queries/partners');
      const config = cliConfig();
      await withDatabase(config, async (db) => {
        const result = await importPartnerFile(db, basename(file), content);
        if ('errors' in result) {
          throw new CliError([`${file}: nothing imported, ${result.errors.length} problem(s):`, ...result.errors.map((e) => `  ${e}`)]);
        }
        const { created, updated, unchanged } = result.summary;
        process.stdout.write(`Imported ${file}: ${created.length} created, ${updated.length} updated, ${unchanged.length} unchanged.\n`);
        // A changed address ends its hold: the mail held for the old one goes to the new one.
        await releaseHeldMail(config, db);
      });
    });

  partners
    .command('list')
    .description('list partners in order of accession')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const config = cliConfig();
      const [{ listPartners }, { heldStaffAddresses }] = await Promise.all([import('../db/queries/partners'), import('../db/queries/held-addresses')]);
      const [rows, heldStaff] = await withDatabase(config, (db) => Promise.all([listPartners(db), heldStaffAddresses(db)]));
      if (options.json) printJson(rows);
      else {
        printTable(
          rows.map((p) => ({
            number: p.number,
            name: p.name,
            kind: p.kind,
            status: p.status,
            accession: p.accessionDate ?? '',
            // A refused address shows here, so staff can correct it before the next reminder.
            contacts: p.contacts
              .map(
                (c) =>
                  `${c.role}: ${c.email}${c.emailFailingSince ? ` (FAILING since ${formatMoment(c.emailFailingSince, config.timezone)}: ${c.emailFailureReason ?? ''})` : ''}`,
              )
              .join(', '),
          })),
          ['number', 'name', 'kind', 'status', 'accession', 'contacts'],
        );
        // Ministry addresses on hold too: a caseworker who gets no escalations is as bad as a partner who gets no reminder.
        if (heldStaff.length > 0) {
          process.stdout.write(`\nStaff addresses on hold (${heldStaff.length}):\n`);
          for (const held of heldStaff) {
            process.stdout.write(`  ${held.role}: ${held.name} <${held.email}> (FAILING since ${formatMoment(held.since, config.timezone)}: ${held.reason ?? ''})\n`);
          }
        }
      }
    });
  partners
    .command('export')
    .description('print everything stored about a partner as JSON (the right of access)')
    .argument('<partner>', 'partner number', wholeNumber('<partner>'))
    .action(async (partnerNumber: number) => {
      const { exportPartner } = await import('../db/queries/privacy');
      printJson(await withDatabase(cliConfig(), (db) => exportPartner(db, partnerNumber).catch(asCliError)));
    });

  partners
    .command('erase')
    .description("remove a partner's personal data and destroy its data key, so its old workflow histories become unreadable")
    .argument('<partner>', 'partner number', wholeNumber('<partner>'))
    .requiredOption('--reason <text>', 'why (kept in the audit log)')
    .option('--by <name>', 'who erases, for the audit log', 'cli')
    .action(async (partnerNumber: number, options: { reason: string; by: string }) => {
      const { erasePartner } = await import('../db/queries/privacy');
      const summary = await withDatabase(cliConfig(), (db) =>
        erasePartner(db, { partnerNumber, reason: options.reason, actor: options.by }).catch(asCliError),
      );
      process.stdout.write(
        [
          `Erased partner ${partnerNumber}: ${summary.contactsRemoved} contact(s) removed, ${summary.versionsErased} report version(s) erased,`,
          `${summary.acceptedVersionsKept} accepted version(s) kept without author, ${summary.emailsRedacted} email record(s) and ${summary.auditEntriesRedacted} audit entrie(s) redacted,`,
          `${summary.dataKeysDestroyed} data key(s) destroyed: its payloads in Temporal histories can no longer be decrypted`,
          '(a running worker or codec endpoint may hold the key in memory for up to a minute).',
        ].join('\n') + '\n',
      );
    });
}

/** The privacy module's refusals as one clear message; checked by name so the module loads only when used. */
async function asCliError(error: unknown): Promise<never> {
  const { PartnerNotFoundError, ErasureRefusedError } = await import('../db/queries/privacy');
  if (error instanceof PartnerNotFoundError) throw new CliError([error.message]);
  if (error instanceof ErasureRefusedError) throw new CliError(['nothing erased:', ...error.problems.map((p) => `  ${p}`)]);
  throw error;
}
