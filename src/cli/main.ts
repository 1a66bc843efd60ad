/**
 * The `partnerflow` command line: one file per command group; each parses, calls, prints.
 * Command files import only what describing their commands needs; each action loads its own
 * dependencies (database, Temporal client, mailer) with `await import(...)`, so `--help` and light
 * commands start without them.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config';
import { registerAccountCommands } from './accounts';
import { registerCheckCommand } from './check';
import { registerCycleCommands } from './cycle';
import { registerHistoryCommand } from './history';
import { registerMigrateCommand } from './migrate';
import { namesGroup } from './options';
import { CliError } from './output';
import { registerPartnerCommands } from './partners';
import { registerPolicyCommands } from './policy';
import { registerRetentionCommands } from './retention';
import { registerServeCommand } from './serve';
import { registerWorkerCommand } from './worker';
import { connectionFailure, databaseUnreachable, isDatabaseFailure } from './unreachable';
import { registerWorkflowCommands } from './workflows';

const program = new Command('partnerflow')
  .description('Partnerflow: the workflow engine of the partner network "Erfolgsfaktor Interkulturelle Öffnung"')
  .showHelpAfterError()
  .exitOverride();

const args = process.argv.slice(2);

registerMigrateCommand(program);
registerWorkerCommand(program);
await registerPartnerCommands(program, args);
registerWorkflowCommands(program);
registerHistoryCommand(program);
registerCheckCommand(program);
registerPolicyCommands(program);
await lazyGroup(program, args, 'report', 'annual reporting: cycles, status, submissions, decisions', async () => (await import('./report/index')).registerReportCommands);
registerServeCommand(program);
registerAccountCommands(program);
registerRetentionCommands(program);
registerCycleCommands(program);
await lazyGroup(program, args, 'accession', "an organisation's way into the network: declaration, agreement, signatures", async () => (await import('./accession')).registerAccessionCommands);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}

/**
 * A group whose commands import the Temporal client and the database at load time: it loads only
 * when it is named; otherwise it is listed with its description for `--help`.
 */
async function lazyGroup(
  root: Command,
  args: string[],
  name: string,
  description: string,
  load: () => Promise<(program: Command) => void>,
): Promise<void> {
  if (namesGroup(args, name)) (await load())(root);
  else root.command(name).description(description);
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof CliError) {
    process.stderr.write(`${error.lines.join('\n')}\n`);
    return error.exitCode;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const unreachable = unreachableDatabase(error);
  if (unreachable) {
    process.stderr.write(`${unreachable.lines.join('\n')}\n`);
    return unreachable.exitCode;
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

/** For commands that reach the database without the runtime helpers (migrate, worker, serve). */
function unreachableDatabase(error: unknown): CliError | undefined {
  const failure = connectionFailure(error);
  if (!failure) return undefined;
  try {
    const config = loadConfig();
    return isDatabaseFailure(failure, config) ? databaseUnreachable(config) : undefined;
  } catch {
    return undefined;
  }
}
