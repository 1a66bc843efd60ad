/** `partnerflow accession …`: start an organisation's accession and move it on, as ministry staff do. */
import type { Command } from 'commander';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { AccessionRecordError } from '../db/queries/accession';
import { accessionStartSchema } from '../domain/accession';
import { accessionPolicySchema, type AccessionPolicy } from '../domain/accession-policy';
import { parseDeclaration } from '../domain/declaration';
import { formatIssues } from '../domain/issues';
import { startAccession } from '../temporal/accession-client';
import {
  acceptDeclarationUpdate,
  accessionStatusQuery,
  accessionWorkflowId,
  endAccessionUpdate,
  requestDeclarationChangesUpdate,
  setAccessionDateUpdate,
  signAgreementUpdate,
  submitDeclarationUpdate,
  type AccessionStatusView,
  type AccessionWorkflow,
} from '../../workflows/contracts/accession';
import { readJson } from './files';
import { localDate, wholeNumber } from './options';
import { CliError, printJson, printTable } from './output';
import { cliConfig, withDatabase, withTemporal } from './runtime';

export function registerAccessionCommands(program: Command): void {
  const accession = program.command('accession').description("an organisation's way into the network: declaration, agreement, signatures");

  accession
    .command('start')
    .description('register a new organisation from a JSON file and start its accession (invitation with the declaration form)')
    .requiredOption('--file <file>', 'the organisation: number, name, kind, mainContact, leadership (with role), caseworker, agreement')
    .option('--policy <file>', 'accession policy as JSON (default: the built-in policy); its optional "milestones" is the new partner\'s milestone policy')
    .action(async (options: { file: string; policy?: string }) => {
      const config = cliConfig();
      const start = accessionStartSchema.safeParse(await readJson(options.file));
      if (!start.success) throw new CliError([`${options.file} is not a valid organisation:`, ...formatIssues(start.error).map((l) => `  ${l}`)]);
      let policy: AccessionPolicy | undefined;
      if (options.policy) {
        const parsed = accessionPolicySchema.safeParse(await readJson(options.policy));
        if (!parsed.success) throw new CliError([`${options.policy} is not a valid accession policy:`, ...formatIssues(parsed.error).map((l) => `  ${l}`)]);
        policy = parsed.data;
      }
      const handle = await withDatabase(config, (db) =>
        withTemporal(config, async (client) => {
          try {
            return await startAccession(client, db, config.temporal.taskQueue, start.data, policy);
          } catch (error) {
            if (error instanceof AccessionRecordError) throw new CliError([error.message]);
            throw error;
          }
        }),
      );
      process.stdout.write(`Started ${handle.workflowId}: ${start.data.name} is invited to declare.\n`);
    });

  accession
    .command('status')
    .description("where an organisation's accession stands")
    .argument('<org>', 'organisation number', wholeNumber('<org>'))
    .option('--json', 'print JSON')
    .action(async (org: number, options: { json?: boolean }) => {
      const status = await onAccession(org, (handle) => handle.query(accessionStatusQuery));
      if (options.json) printJson(status);
      else printStatus(status);
    });

  accession
    .command('submit')
    .description("submit an organisation's declaration from a JSON file (as the partner would through the form)")
    .argument('<org>', 'organisation number', wholeNumber('<org>'))
    .requiredOption('--file <file>', 'the declaration as JSON')
    .option('--by <name>', 'who submits', 'partner')
    .action(async (org: number, options: { file: string; by: string }) => {
      const parsed = parseDeclaration(await readJson(options.file));
      if (!parsed.ok) throw new CliError([`${options.file} is not a valid declaration:`, ...parsed.errors.map((e) => `  ${e}`)]);
      const receipt = await onAccession(org, (h) => h.executeUpdate(submitDeclarationUpdate, { args: [{ declaration: parsed.declaration, submittedBy: options.by }] }));
      process.stdout.write(`Received: version ${receipt.version} at ${receipt.submittedAt}\n`);
    });

  accession
    .command('review')
    .description('accept the submitted declaration (the agreement is made and sent) or request changes')
    .argument('<org>', 'organisation number', wholeNumber('<org>'))
    .option('--accept', 'accept the declaration')
    .option('--request-changes <comment>', 'send it back with this comment')
    .option('--comment <comment>', 'a comment with the acceptance')
    .requiredOption('--by <name>', 'the staff member deciding')
    .action(async (org: number, o: { accept?: boolean; requestChanges?: string; comment?: string; by: string }) => {
      if (Boolean(o.accept) === (o.requestChanges !== undefined)) throw new CliError(['give either --accept or --request-changes "comment"'], 2);
      const status = await onAccession(org, (h) =>
        o.accept
          ? h.executeUpdate(acceptDeclarationUpdate, { args: [{ by: o.by, comment: o.comment }] })
          : h.executeUpdate(requestDeclarationChangesUpdate, { args: [{ by: o.by, comments: o.requestChanges as string }] }),
      );
      printStatus(status);
    });

  accession
    .command('sign')
    .description('record a signature of the agreement; the second completes the accession')
    .argument('<org>', 'organisation number', wholeNumber('<org>'))
    .requiredOption('--party <party>', 'partner or ministry')
    .requiredOption('--signer <name>', 'who signed')
    .requiredOption('--role <role>', 'in which office, e.g. Landrat, Staatssekretärin für Integration')
    .option('--date <date>', 'the date beside the signature (default: today)', localDate('--date'))
    .option('--by <name>', 'the staff member recording it')
    .action(async (org: number, o: { party: string; signer: string; role: string; date?: string; by?: string }) => {
      if (o.party !== 'partner' && o.party !== 'ministry') throw new CliError([`--party: must be partner or ministry, not "${o.party}"`], 2);
      const status = await onAccession(org, (h) =>
        h.executeUpdate(signAgreementUpdate, { args: [{ party: o.party as 'partner' | 'ministry', signer: o.signer, role: o.role, date: o.date, by: o.by }] }),
      );
      printStatus(status);
    });

  accession
    .command('set-date')
    .description('set the accession date to another day than the second signature')
    .argument('<org>', 'organisation number', wholeNumber('<org>'))
    .requiredOption('--date <date>', 'the accession date', localDate('--date'))
    .requiredOption('--by <name>', 'the staff member deciding')
    .option('--reason <reason>', 'why')
    .action(async (org: number, o: { date: string; by: string; reason?: string }) =>
      printStatus(await onAccession(org, (h) => h.executeUpdate(setAccessionDateUpdate, { args: [{ by: o.by, date: o.date, reason: o.reason }] }))),
    );

  for (const [name, outcome, description] of [
    ['withdraw', 'withdrawn', 'the organisation withdraws: the accession ends'],
    ['reject', 'rejected', 'the ministry rejects the accession: it ends'],
  ] as const) {
    accession
      .command(name)
      .description(description)
      .argument('<org>', 'organisation number', wholeNumber('<org>'))
      .requiredOption('--reason <reason>', 'why')
      .requiredOption('--by <name>', 'the staff member recording it')
      .action(async (org: number, o: { reason: string; by: string }) =>
        printStatus(await onAccession(org, (h) => h.executeUpdate(endAccessionUpdate, { args: [{ outcome, by: o.by, reason: o.reason }] }))),
      );
  }
}

/** Runs `use` on the organisation's accession; refusals come back as the workflow's "field: reason" lines. */
async function onAccession<T>(org: number, use: (handle: WorkflowHandle<AccessionWorkflow>) => Promise<T>): Promise<T> {
  return withTemporal(cliConfig(), async (client: Client) => {
    try {
      return await use(client.workflow.getHandle<AccessionWorkflow>(accessionWorkflowId(org)));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new CliError([`<org>: no accession for organisation ${org}`]);
      if (error instanceof WorkflowUpdateFailedError) throw new CliError((error.cause?.message ?? error.message).split('\n'));
      throw error;
    }
  });
}

function printStatus(status: AccessionStatusView): void {
  printTable(
    [
      {
        org: status.partnerNumber,
        name: status.partnerName,
        phase: status.phase,
        round: status.round,
        dueAt: status.dueAt,
        escalation: status.escalationLevel,
        versions: status.versions.map((v) => `${v.version}${v.review ? ` (${v.review})` : ''}`).join(', '),
        signatures: status.signatures.map((s) => `${s.party}: ${s.signer}, ${s.date}`).join('; '),
        accessionDate: status.accessionDate ?? '',
        nextStep: status.nextStep ? `${status.nextStep.stepId} @ ${status.nextStep.sendAt}` : '',
      },
    ],
    ['org', 'name', 'phase', 'round', 'dueAt', 'escalation', 'versions', 'signatures', 'accessionDate', 'nextStep'],
  );
  if (status.endReason) process.stdout.write(`ended: ${status.endReason}\n`);
}
