/**
 * `partnerflow partners …` commands that act on a partner's lifecycle workflow (milestones,
 * withdrawal, lifecycles for partners who joined before Partnerflow). Loaded only when the
 * partners group is named, since they need the Temporal client.
 */
import type { Command } from 'commander';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { milestonesOfOrganisation } from '../db/queries/accession';
import { findPartnerByNumber } from '../db/queries/partners';
import { startImportedPartnerLifecycles } from '../temporal/accession-client';
import { answerMilestoneUpdate, lifecycleStatusQuery, lifecycleWorkflowId, withdrawPartnerUpdate, type LifecycleStatusView } from '../../workflows/contracts/lifecycle';
import { localDate, wholeNumber } from './options';
import { CliError, printJson, printTable } from './output';
import { cliConfig, withDatabase, withTemporal } from './runtime';

export function registerPartnerLifecycleCommands(partners: Command): void {
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

  partners
    .command('milestone-answer')
    .description("record a partner's answer about a milestone: reached, or delayed to a new date")
    .argument('<partner>', 'partner number', wholeNumber('<partner>'))
    .argument('<milestone>', 'milestone id as in "partners milestones", e.g. RSK-4/1')
    .option('--reached [date]', 'reached (on this date, default today)')
    .option('--delayed <date>', 'delayed to this new date (YYYY-MM-DD)', localDate('--delayed'))
    .option('--new-due-text <text>', 'the new date in the partner\'s words, e.g. "bis Herbst 2027"')
    .option('--by <name>', 'the staff member recording it (default: the partner)')
    .action(async (number: number, milestoneId: string, o: { reached?: string | true; delayed?: string; newDueText?: string; by?: string }) => {
      if ((o.reached !== undefined) === (o.delayed !== undefined)) throw new CliError(['give either --reached [date] or --delayed <date>'], 2);
      const answer =
        o.delayed !== undefined
          ? { milestoneId, outcome: 'delayed' as const, newDate: o.delayed, newDueText: o.newDueText, by: o.by }
          : { milestoneId, outcome: 'reached' as const, date: o.reached === true ? undefined : o.reached, by: o.by };
      const status = await onLifecycle(number, (client) =>
        client.workflow.getHandle(lifecycleWorkflowId(number)).executeUpdate(answerMilestoneUpdate, { args: [answer] }),
      );
      const milestone = status.milestones.find((m) => m.id === milestoneId);
      process.stdout.write(`${milestoneId}: ${milestone?.status ?? '?'}${milestone?.nextStep ? `, next request ${milestone.nextStep.sendAt}` : ''}\n`);
    });

  partners
    .command('withdraw')
    .description('the partner leaves the network: open reports are closed, staff are told, its lifecycle ends')
    .argument('<partner>', 'partner number', wholeNumber('<partner>'))
    .requiredOption('--reason <reason>', 'why')
    .requiredOption('--by <name>', 'the staff member recording it')
    .option('--date <date>', 'the day it leaves (default today)', localDate('--date'))
    .action(async (number: number, o: { reason: string; by: string; date?: string }) => {
      const status = await onLifecycle(number, (client) =>
        client.workflow.getHandle(lifecycleWorkflowId(number)).executeUpdate(withdrawPartnerUpdate, { args: [{ by: o.by, reason: o.reason, date: o.date }] }),
      );
      process.stdout.write(`${status.partnerName} withdrawn on ${status.withdrawal?.date ?? ''}.\n`);
    });
}

/** Runs `use` against the partner's lifecycle; refusals come back as the workflow's "field: reason" lines. */
async function onLifecycle(number: number, use: (client: Client) => Promise<LifecycleStatusView>): Promise<LifecycleStatusView> {
  return withTemporal(cliConfig(), async (client) => {
    try {
      return await use(client);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new CliError([`<partner>: partner ${number} has no lifecycle`]);
      if (error instanceof WorkflowUpdateFailedError) throw new CliError((error.cause?.message ?? error.message).split('\n'));
      throw error;
    }
  });
}
