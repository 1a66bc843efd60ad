/** What the report commands share: naming a partner's year, starting it, sending it an Update. */
import type { Command } from 'commander';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { findPartnerByNumber } from '../../db/queries/partners';
import { findCycle } from '../../db/queries/reporting';
import type { Config } from '../../config';
import { startAnnualReport } from '../../temporal/annual-report-client';
import { annualReportWorkflowId } from '../../temporal/workflow-ids';
import type { ReportStatusView } from '../../../workflows/contracts/annual-report';
import { wholeNumber } from '../options';
import { CliError, formatMoment } from '../output';
import { cliConfig, withDatabase, withTemporal } from '../runtime';

export type PartnerYear = { partner: number; year: number };

/** Every per-report command names the partner and the year the same way. */
export function forPartnerAndYear(command: Command): Command {
  return command
    .requiredOption('--partner <number>', 'partner number', wholeNumber('--partner'))
    .requiredOption('--year <year>', 'reporting year', wholeNumber('--year'));
}

/**
 * Refuses, before anything is started, a partner or year the workflow could only fail on: its first
 * activity looks both up and gives up, which would leave a failed workflow behind a "Started".
 */
export async function checkPartnerAndYear(config: Config, target: PartnerYear): Promise<void> {
  await withDatabase(config, async (db) => {
    const partner = await findPartnerByNumber(db, target.partner);
    if (!partner) throw new CliError([`--partner: no partner with number ${target.partner}`]);
    if (partner.status !== 'active') throw new CliError([`--partner: partner ${target.partner} is ${partner.status}, not active`]);
    if (!(await findCycle(db, target.year, partner.id))) {
      throw new CliError([`--year: no reporting cycle for ${target.year}; open it with \`partnerflow report open\``]);
    }
  });
}

export async function startOrSkip(client: Client, config: Config, target: PartnerYear, dueAt?: string): Promise<boolean> {
  try {
    await startAnnualReport(client, config.temporal.taskQueue, { partnerNumber: target.partner, year: target.year, dueAt });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}

type ReportHandle = ReturnType<Client['workflow']['getHandle']>;

export async function updateReport<T>(target: PartnerYear, call: (handle: ReportHandle) => Promise<T>): Promise<T> {
  return withTemporal(cliConfig(), async (client) => {
    try {
      return await call(client.workflow.getHandle(annualReportWorkflowId(target.partner, target.year)));
    } catch (error) {
      // Validator rejections carry "field: reason" lines; show them, not a stack.
      if (error instanceof WorkflowUpdateFailedError) throw new CliError((error.cause?.message ?? error.message).split('\n'));
      if (error instanceof WorkflowNotFoundError) {
        const workflowId = annualReportWorkflowId(target.partner, target.year);
        throw new CliError([`--partner/--year: no annual report workflow ${workflowId}; start it with \`partnerflow report start\``]);
      }
      throw error;
    }
  });
}

export function printStatus(view: ReportStatusView): void {
  const { timezone } = cliConfig();
  const next = view.nextStep ? `; next: ${view.nextStep.stepId} at ${formatMoment(view.nextStep.sendAt, timezone)}` : '';
  process.stdout.write(`${view.partnerName} ${view.year}: ${view.phase}, due ${formatMoment(view.dueAt, timezone)}${next}\n`);
}
