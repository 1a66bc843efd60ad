import type { Command } from 'commander';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import type { Config } from '../config';
import { findCycle, listReportOverview, setOverride, upsertCycle, type ReportOverviewRow } from '../db/queries/reporting';
import { findPartnerByNumber, listPartners } from '../db/queries/partners';
import { dueAtEndOfDay } from '../domain/due-date';
import { planDeadline, previewSchedule } from '../domain/deadline-schedule';
import { defaultReportingPolicyFor } from '../domain/default-policy';
import { sendingCalendarOf } from '../domain/calendar';
import type { ReportingPolicy } from '../domain/policy';
import { reviewReportingPolicy } from '../domain/policy-review';
import { readJson, readPolicy } from './files';
import { parseReportSubmission } from '../domain/report';
import { startAnnualReport } from '../temporal/annual-report-client';
import { annualReportWorkflowId } from '../temporal/workflow-ids';
import {
  acceptReportUpdate,
  closeReportUpdate,
  grantExtensionUpdate,
  reportStatusQuery,
  requestRevisionUpdate,
  submitReportUpdate,
  waiveReportUpdate,
  type ReportStatusView,
} from '../../workflows/contracts/annual-report';
import { instant, localDate, wholeNumber } from './options';
import { CliError, printJson, printTable } from './output';
import { cliConfig, withDatabase, withTemporal } from './runtime';

type PartnerYear = { partner: number; year: number };

export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('annual reporting: cycles, status, submissions, decisions');

  report
    .command('open')
    .description('open the reporting cycle of a year and start one workflow per active partner')
    .requiredOption('--year <year>', 'reporting year', wholeNumber('--year'))
    .requiredOption('--due-date <date>', 'due date of the reports (YYYY-MM-DD)', localDate('--due-date'))
    .option('--period-start <date>', 'first day of the reporting period (default: 1 Jan of the year)', localDate('--period-start'))
    .option('--period-end <date>', 'last day of the reporting period (default: 31 Dec of the year)', localDate('--period-end'))
    .option('--policy <file>', 'reminder policy as JSON (default: the built-in policy)')
    .option('--no-start', 'only store the cycle; start no workflows')
    .action(async (options: { year: number; dueDate: string; periodStart?: string; periodEnd?: string; policy?: string; start: boolean }) => {
      const config = cliConfig();
      const policy = options.policy
        ? await readPolicy(options.policy)
        : defaultReportingPolicyFor({ timezone: config.timezone, sendingWindow: config.sendingWindow });
      const partners = await withDatabase(config, async (db) => {
        await upsertCycle(db, {
          year: options.year,
          periodStart: options.periodStart ?? `${options.year}-01-01`,
          periodEnd: options.periodEnd ?? `${options.year}-12-31`,
          dueDate: options.dueDate,
          policy,
          open: options.start,
        });
        return (await listPartners(db)).filter((partner) => partner.status === 'active');
      });
      process.stdout.write(`Cycle ${options.year} stored: due ${options.dueDate}, ${policy.deadline.steps.length} steps.\n`);
      if (!options.start) return;
      await withTemporal(config, async (client) => {
        let started = 0;
        for (const partner of partners) {
          if (await startOrSkip(client, config, { partner: partner.number, year: options.year })) started += 1;
        }
        process.stdout.write(`Started ${started} workflow(s); ${partners.length - started} had already been started.\n`);
      });
    });

  forPartnerAndYear(report.command('start'))
    .description("start one partner's annual report workflow")
    .option('--due-at <instant>', 'drill: an exact due moment (ISO-8601, e.g. 2026-11-25T15:00:00+01:00)', instant('--due-at'))
    .action(async (options: PartnerYear & { dueAt?: string }) => {
      const config = cliConfig();
      await withTemporal(config, async (client) => {
        const fresh = await startOrSkip(client, config, options, options.dueAt);
        const workflowId = annualReportWorkflowId(options.partner, options.year);
        process.stdout.write(`${fresh ? 'Started' : 'Already started (running or ended):'} ${workflowId}\n`);
      });
    });

  forPartnerAndYear(report.command('override'))
    .description("agree a partner's own due date for a year, before its workflow starts")
    .requiredOption('--due-date <date>', 'the agreed due date (YYYY-MM-DD)', localDate('--due-date'))
    .requiredOption('--reason <text>', 'why')
    .action(async (options: PartnerYear & { dueDate: string; reason: string }) => {
      const config = cliConfig();
      const workflowId = annualReportWorkflowId(options.partner, options.year);
      const running = await withTemporal(config, async (client) => {
        try {
          return (await client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) return false;
          throw error;
        }
      });
      if (running) {
        throw new CliError([`--partner: ${workflowId} is already running; move its date with "partnerflow report extend"`]);
      }
      await withDatabase(config, async (db) => {
        const partner = await findPartnerByNumber(db, options.partner);
        if (!partner) throw new CliError([`--partner: no partner with number ${options.partner}`]);
        const cycle = await findCycle(db, options.year, partner.id);
        if (!cycle) throw new CliError([`--year: no reporting cycle for ${options.year}`]);
        await setOverride(db, { cycleId: cycle.cycleId, organisationId: partner.id, dueDate: options.dueDate, reason: options.reason });
      });
      process.stdout.write(`${workflowId}: due ${options.dueDate} (${options.reason})\n`);
    });

  report
    .command('status')
    .description("every partner's report state and next step for a year")
    .requiredOption('--year <year>', 'reporting year', wholeNumber('--year'))
    .option('--json', 'print JSON')
    .action(async (options: { year: number; json?: boolean }) => {
      const config = cliConfig();
      const overview = await withDatabase(config, (db) => listReportOverview(db, options.year));
      const rows = await withTemporal(config, (client) => withNextSteps(client, overview, options.year));
      if (options.json) printJson(rows);
      else
        printTable(
          rows.map((row) => ({ ...row, nextStep: row.nextStep ? `${row.nextStep.stepId} @ ${row.nextStep.sendAt}` : '' })),
          ['partner', 'name', 'state', 'dueAt', 'escalation', 'versions', 'nextStep'],
        );
    });

  forPartnerAndYear(report.command('submit'))
    .description("submit a partner's annual report from a JSON file")
    .requiredOption('--file <file>', 'the report as JSON')
    .option('--by <name>', 'who submits', 'partner')
    .action(async (options: PartnerYear & { file: string; by: string }) => {
      const report = await readJson(options.file);
      const parsed = parseReportSubmission(report);
      if (!parsed.ok) throw new CliError([`${options.file} is not a valid report:`, ...parsed.errors.map((e) => `  ${e}`)], 1);
      const receipt = await updateReport(options, (handle) =>
        handle.executeUpdate(submitReportUpdate, { args: [{ report: parsed.report, submittedBy: options.by }] }),
      );
      process.stdout.write(`Received: reference ${receipt.reference}, version ${receipt.version}, at ${receipt.submittedAt}\n`);
    });

  forPartnerAndYear(report.command('preview'))
    .description('the exact planned sends for a partner and year (pure computation, nothing is sent)')
    .option('--due-date <date>', 'preview another due date (YYYY-MM-DD)', localDate('--due-date'))
    .option('--policy <file>', "preview another policy (JSON) instead of the cycle's")
    .option('--json', 'print JSON')
    .action(async (options: PartnerYear & { dueDate?: string; policy?: string; json?: boolean }) => {
      const config = cliConfig();
      const filePolicy = options.policy ? await readPolicy(options.policy) : undefined;
      const { policy, dueDate, partnerName } = await withDatabase(config, async (db) => {
        const partner = await findPartnerByNumber(db, options.partner);
        if (!partner) throw new CliError([`--partner: no partner with number ${options.partner}`]);
        const cycle = await findCycle(db, options.year, partner.id);
        const due = options.dueDate ?? cycle?.dueDate;
        if (!due) throw new CliError([`--year: no reporting cycle for ${options.year}; give --due-date to preview anyway`]);
        const fallback = defaultReportingPolicyFor({ timezone: config.timezone, sendingWindow: config.sendingWindow });
        return { policy: filePolicy ?? cycle?.policy ?? fallback, dueDate: due, partnerName: partner.name };
      });
      const calendar = sendingCalendarOf(policy.deadline);
      const plan = planDeadline({ policy: policy.deadline, dueAt: dueAtEndOfDay(dueDate, calendar.timezone), calendar });
      const rows = previewSchedule(plan, calendar);
      if (options.json) printJson({ partner: options.partner, year: options.year, dueDate, rows, dropped: plan.dropped, warnings: reviewReportingPolicy(policy) });
      else {
        process.stdout.write(`${partnerName}, report ${options.year}, due ${dueDate} (${calendar.timezone})\n`);
        printTable(rows as unknown as Record<string, unknown>[], Object.keys(rows[0] ?? {}));
        for (const dropped of plan.dropped) process.stdout.write(`dropped ${dropped.stepId}#${dropped.occurrence}: ${dropped.reason}\n`);
        for (const warning of reviewReportingPolicy(policy)) process.stdout.write(`warning: ${warning}\n`);
      }
    });

  const decision = (name: string, description: string) =>
    forPartnerAndYear(report.command(name).description(description)).requiredOption('--by <name>', 'the staff member deciding');

  decision('accept', 'accept the submitted report')
    .option('--comment <text>', 'a note for the file')
    .action(async (o: PartnerYear & { by: string; comment?: string }) =>
      printStatus(await updateReport(o, (h) => h.executeUpdate(acceptReportUpdate, { args: [{ by: o.by, comment: o.comment }] }))),
    );
  decision('revise', 'ask the partner for a revision (a new short due date starts)')
    .requiredOption('--comments <text>', 'what the partner must change')
    .action(async (o: PartnerYear & { by: string; comments: string }) =>
      printStatus(await updateReport(o, (h) => h.executeUpdate(requestRevisionUpdate, { args: [{ by: o.by, comments: o.comments }] }))),
    );
  decision('extend', 'grant an extension: the due date and every pending step move')
    .requiredOption('--due-date <date>', 'the new due date (YYYY-MM-DD)', localDate('--due-date'))
    .requiredOption('--reason <text>', 'why')
    .action(async (o: PartnerYear & { by: string; dueDate: string; reason: string }) =>
      printStatus(
        await updateReport(o, (h) =>
          h.executeUpdate(grantExtensionUpdate, { args: [{ by: o.by, dueDate: o.dueDate, reason: o.reason }] }),
        ),
      ),
    );
  decision('waive', 'waive the report for this year')
    .requiredOption('--reason <text>', 'why')
    .action(async (o: PartnerYear & { by: string; reason: string }) =>
      printStatus(await updateReport(o, (h) => h.executeUpdate(waiveReportUpdate, { args: [{ by: o.by, reason: o.reason }] }))),
    );
  decision('close', 'close the year for this partner, whatever its state')
    .option('--reason <text>', 'why')
    .action(async (o: PartnerYear & { by: string; reason?: string }) =>
      printStatus(await updateReport(o, (h) => h.executeUpdate(closeReportUpdate, { args: [{ by: o.by, reason: o.reason }] }))),
    );
}

/** Every per-report command names the partner and the year the same way. */
function forPartnerAndYear(command: Command): Command {
  return command
    .requiredOption('--partner <number>', 'partner number', wholeNumber('--partner'))
    .requiredOption('--year <year>', 'reporting year', wholeNumber('--year'));
}

async function startOrSkip(client: Client, config: Config, target: PartnerYear, dueAt?: string): Promise<boolean> {
  try {
    await startAnnualReport(client, config.temporal.taskQueue, { partnerNumber: target.partner, year: target.year, dueAt });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}

type ReportHandle = ReturnType<Client['workflow']['getHandle']>;

async function updateReport<T>(target: PartnerYear, call: (handle: ReportHandle) => Promise<T>): Promise<T> {
  return withTemporal(cliConfig(), async (client) => {
    try {
      return await call(client.workflow.getHandle(annualReportWorkflowId(target.partner, target.year)));
    } catch (error) {
      // Validator rejections carry "field: reason" lines; show them, not a stack.
      if (error instanceof WorkflowUpdateFailedError) throw new CliError((error.cause?.message ?? error.message).split('\n'));
      throw error;
    }
  });
}

/** Adds the live state and next step of every report whose workflow is still deciding. */
async function withNextSteps(client: Client, rows: ReportOverviewRow[], year: number) {
  return Promise.all(
    rows.map(async (row) => {
      if (['accepted', 'waived', 'closed'].includes(row.state)) return { ...row, nextStep: undefined };
      try {
        const handle = client.workflow.getHandle(row.workflowId ?? annualReportWorkflowId(row.partner, year));
        const view = await handle.query(reportStatusQuery);
        // A workflow that has not saved its first state yet still knows its due date.
        return { ...row, state: view.phase, dueAt: view.dueAt || row.dueAt, escalation: view.escalationLevel, nextStep: view.nextStep };
      } catch (error) {
        // Not started yet, or no worker to answer: the stored state is still worth showing.
        if (!(error instanceof WorkflowNotFoundError)) process.stderr.write(`partner ${row.partner}: no live state (${String(error)})\n`);
        return { ...row, nextStep: undefined };
      }
    }),
  );
}

function printStatus(view: ReportStatusView): void {
  const next = view.nextStep ? `; next: ${view.nextStep.stepId} at ${view.nextStep.sendAt}` : '';
  process.stdout.write(`${view.partnerName} ${view.year}: ${view.phase}, due ${view.dueAt}${next}\n`);
}
