/** `partnerflow report …`: annual reporting, one file per subcommand. */
import type { Command } from 'commander';
import { registerDecisions } from './decisions';
import { registerOpen } from './open';
import { registerOverride } from './override';
import { registerPreview } from './preview';
import { registerStart } from './start';
import { registerStatus } from './status';
import { registerSubmit } from './submit';

export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('annual reporting: cycles, status, submissions, decisions');
  registerOpen(report);
  registerStart(report);
  registerOverride(report);
  registerStatus(report);
  registerSubmit(report);
  registerPreview(report);
  registerDecisions(report);
}
