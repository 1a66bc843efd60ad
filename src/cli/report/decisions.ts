import type { Command } from 'commander';
import type { UpdateDefinition } from '@temporalio/common';
import {
  acceptReportUpdate,
  closeReportUpdate,
  grantExtensionUpdate,
  requestRevisionUpdate,
  waiveReportUpdate,
  type ReportStatusView,
} from '../../../workflows/contracts/annual-report';
import { localDate } from '../options';
import { forPartnerAndYear, printStatus, updateReport, type PartnerYear } from './shared';

type DecisionOption = { flags: string; description: string; required?: boolean; parse?: (value: string) => string };

/** A staff decision: its options become the Update's arguments, with `by`, as they are named. */
type Decision = {
  name: string;
  description: string;
  // Any decision's Update: `any` because the argument type differs per row; the Update's validator
  // parses the arguments with its zod schema, so nothing unchecked reaches the workflow.
  update: UpdateDefinition<ReportStatusView, [any]>;
  options: DecisionOption[];
};

const required = (flags: string, description: string, parse?: DecisionOption['parse']): DecisionOption => ({ flags, description, required: true, parse });
const optional = (flags: string, description: string): DecisionOption => ({ flags, description });

const decisions: Decision[] = [
  { name: 'accept', description: 'accept the submitted report', update: acceptReportUpdate, options: [optional('--comment <text>', 'a note for the file')] },
  {
    name: 'revise',
    description: 'ask the partner for a revision (a new short due date starts)',
    update: requestRevisionUpdate,
    options: [required('--comments <text>', 'what the partner must change')],
  },
  {
    name: 'extend',
    description: 'grant an extension: the due date and every pending step move',
    update: grantExtensionUpdate,
    options: [required('--due-date <date>', 'the new due date (YYYY-MM-DD)', localDate('--due-date')), required('--reason <text>', 'why')],
  },
  { name: 'waive', description: 'waive the report for this year', update: waiveReportUpdate, options: [required('--reason <text>', 'why')] },
  { name: 'close', description: 'close the year for this partner, whatever its phase', update: closeReportUpdate, options: [optional('--reason <text>', 'why')] },
];

export function registerDecisions(report: Command): void {
  for (const decision of decisions) {
    const command = forPartnerAndYear(report.command(decision.name).description(decision.description)).requiredOption(
      '--by <name>',
      'the staff member deciding',
    );
    for (const option of decision.options) {
      if (option.required && option.parse) command.requiredOption(option.flags, option.description, option.parse);
      else if (option.required) command.requiredOption(option.flags, option.description);
      else command.option(option.flags, option.description);
    }
    command.action(async ({ partner, year, ...args }: PartnerYear & Record<string, string>) => {
      const target = { partner, year };
      printStatus(await updateReport(target, (handle) => handle.executeUpdate(decision.update, { args: [args] })));
    });
  }
}
