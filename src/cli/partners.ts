import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { CliError, formatMoment, printJson, printTable } from './output';
import { cliConfig, withDatabase } from './runtime';

export function registerPartnerCommands(program: Command): void {
  const partners = program.command('partners').description('the organisations of the partner network');

  partners
    .command('import')
    .description('import partners from CSV or JSON: every row is checked first; all or nothing')
    .argument('<file>', 'a .csv (header row) or .json file')
    .action(async (file: string) => {
      let content: string;
      try {
        content = await readFile(file, 'utf8');
      } catch (error) {
        throw new CliError([`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
      }
      const { importPartnerFile } = await import('../db/queries/partners');
      const result = await withDatabase(cliConfig(), (db) => importPartnerFile(db, basename(file), content));
      if ('errors' in result) {
        throw new CliError([`${file}: nothing imported, ${result.errors.length} problem(s):`, ...result.errors.map((e) => `  ${e}`)]);
      }
      const { created, updated, unchanged } = result.summary;
      process.stdout.write(`Imported ${file}: ${created.length} created, ${updated.length} updated, ${unchanged.length} unchanged.\n`);
    });

  partners
    .command('list')
    .description('list partners in order of accession')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const config = cliConfig();
      const { listPartners } = await import('../db/queries/partners');
      const rows = await withDatabase(config, listPartners);
      if (options.json) printJson(rows);
      else
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
    });
}
