import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { WorkflowNotFoundError } from '@temporalio/client';
import { findPartnerByNumber } from '../db/queries/partners';
import { milestonesOfOrganisation } from '../db/queries/accession';
import { startImportedPartnerLifecycles } from '../temporal/accession-client';
import { lifecycleStatusQuery, lifecycleWorkflowId } from '../../workflows/contracts/lifecycle';
import { wholeNumber } from './options';
import { listPartners } from '../db/queries/partners';
import { importPartnerFile } from '../db/queries/partners';
import { CliError, printJson, printTable } from './output';
import { cliConfig, withDatabase, withTemporal } from './runtime';

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
      const rows = await withDatabase(cliConfig(), listPartners);
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
              .map((c) => `${c.role}: ${c.email}${c.emailFailingSince ? ` (FAILING since ${c.emailFailingSince.toISOString()}: ${c.emailFailureReason ?? ''})` : ''}`)
              .join(', '),
          })),
          ['number', 'name', 'kind', 'status', 'accession', 'contacts'],
        );
    });

  partners
    .command('milestones')
    .description("a partner's declared milestones, their answers and the next request (from its lifecycle, else the database)")
    .argument('<partner>', 'partner number', wholeNumber('<partner>'))
    .option('--json', 'print JSON')
    .action(async (number: number, options: { json?: boolean }) => {
      const config = cliConfig();
      const live = await withTemporal(config, async (client) => {
        try {
          return (await client.workflow.getHandle(lifecycleWorkflowId(number)).query(lifecycleStatusQuery)).milestones;
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) return undefined;
          throw error;
        }
      });
      const rows =
        live?.map((m) => ({ id: m.id, measure: m.measureTitle, milestone: m.text, due: m.dueText, status: m.status, newDate: m.revisedDueDate ?? '', reachedOn: m.reachedOn ?? '', escalation: m.escalationLevel, nextRequest: m.nextStep?.sendAt ?? '' })) ??
        (await withDatabase(config, async (db) => {
          const partner = await findPartnerByNumber(db, number);
          if (!partner) throw new CliError([`<partner>: no partner with number ${number}`]);
          return (await milestonesOfOrganisation(db, partner.id)).map((m) => ({
            id: `${m.measureCode ?? `M${m.measurePosition}`}/${m.position}`,
            measure: m.measureTitle,
            milestone: m.text,
            due: m.dueText ?? m.dueDate,
            status: m.status,
            newDate: m.revisedDueDate ?? '',
            reachedOn: m.reachedOn ?? '',
            escalation: '',
            nextRequest: '',
          }));
        }));
      if (options.json) printJson(rows);
      else printTable(rows, ['id', 'measure', 'milestone', 'due', 'status', 'newDate', 'reachedOn', 'escalation', 'nextRequest']);
    });

  partners
    .command('start-lifecycles')
    .description('give every active partner without one a lifecycle that waits for the next cycle (partners who joined before Partnerflow)')
    .action(async () => {
      const config = cliConfig();
      const result = await withDatabase(config, (db) => withTemporal(config, (client) => startImportedPartnerLifecycles(client, db, config.temporal.taskQueue)));
      process.stdout.write(`Started ${result.started.length} lifecycle(s); ${result.alreadyRunning.length} already running.\n`);
    });
}
