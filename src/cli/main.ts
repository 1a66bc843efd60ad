/** The `partnerflow` command line: one file per command group; each parses, calls, prints. */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config';
import { registerAccessionCommands } from './accession';
import { registerCheckCommand } from './check';
import { registerHistoryCommand } from './history';
import { registerMigrateCommand } from './migrate';
import { CliError } from './output';
import { registerPartnerCommands } from './partners';
import { registerPolicyCommands } from './policy';
import { registerReportCommands } from './report';
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
registerReportCommands(program);
registerPolicyCommands(program);
registerAccessionCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
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
