/**
 * The `partnerflow` command line: one file per command group; each parses, calls, prints.
 * Command files import only what describing their commands needs; each action loads its own
 * dependencies (database, Temporal client, mailer) with `await import(...)`, so `--help` and light
 * commands start without them.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config';
import { registerAccountCommands } from './accounts';
import { registerCheckCommand } from './check';
import { registerCycleCommands } from './cycle';
import { registerHistoryCommand } from './history';
import { registerMigrateCommand } from './migrate';
import { CliError } from './output';
import { registerPartnerCommands } from './partners';
import { registerPolicyCommands } from './policy';
import { registerRetentionCommands } from './retention';
import { registerServeCommand } from './serve';
import { registerWorkerCommand } from './worker';
import { registerWorkflowCommands } from './workflows';

const program = new Command('partnerflow')
  .description('Partnerflow: the workflow engine of the partner network "Erfolgsfaktor Interkulturelle Öffnung"')
  .showHelpAfterError()
  .exitOverride();

registerMigrateCommand(program);
registerWorkerCommand(program);
registerPartnerCommands(program);
registerWorkflowCommands(program);
registerHistoryCommand(program);
registerCheckCommand(program);
registerPolicyCommands(program);
await registerReportGroup(program, process.argv.slice(2));
registerServeCommand(program);
registerAccountCommands(program);
registerRetentionCommands(program);
registerCycleCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}

/**
 * The report commands import the Temporal client and the database at load time, so the group
 * loads only when it is named; otherwise it is listed with its description for `--help`.
 */
async function registerReportGroup(root: Command, args: string[]): Promise<void> {
  const [first, second] = args.filter((arg) => !arg.startsWith('-'));
  if (first === 'report' || (first === 'help' && second === 'report')) {
    const { registerReportCommands } = await import('./report/index');
    registerReportCommands(root);
  } else {
    root.command('report').description('annual reporting: cycles, status, submissions, decisions');
  }
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
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}
