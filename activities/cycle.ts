/**
 * The cycle workflow's side effects: reading its schedule, opening it a batch of partners at a
 * time, admitting a partner who joined during the cycle, and telling open cycles of a new partner.
 * Reports are started through the same path as `report open` (src/temporal/cycle-starts.ts).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { activePartnersAfter, countActivePartners, findCycleWithSettings, findPartnerForJoin, openCycleYears, type CycleWithSettings } from '../src/db/queries/cycle-opening';
import { setOverride } from '../src/db/queries/reporting';
import { compileMoment, joinDecision, type JoinDecision } from '../src/domain/cycle-settings';
import { startCycleReports } from '../src/temporal/cycle-starts';
import { cycleWorkflowId } from '../src/temporal/workflow-ids';
import { partnerJoinedSignal, type CycleStarts } from '../workflows/contracts/cycle';
import type { ActivityDeps } from './deps';
import { keepAlive } from './keep-alive';

export type CycleSchedule = { dueDate: string; compileOn?: string; compileAt?: string };
export type OpenCycleBatchInput = { year: number; after: number | null; limit: number };
export type OpenCycleBatchResult = { count: number; last: number | null; more: boolean; starts: CycleStarts };

/** Where an interrupted batch got to: the next attempt resumes after `after` (heartbeat details). */
const batchProgressSchema = z.object({
  after: z.number().nullable(),
  count: z.number(),
  starts: z.object({ announced: z.number(), startedDirectly: z.number(), alreadyStarted: z.number(), deferred: z.number() }),
});

export function createCycleActivities({ db, config, faults }: Pick<ActivityDeps, 'db' | 'config' | 'faults'>) {
  const cycleOf = async (year: number): Promise<CycleWithSettings> => {
    const cycle = await findCycleWithSettings(db, year);
    if (!cycle) throw ApplicationFailure.nonRetryable(`year: no reporting cycle for ${year}`, 'CycleNotFound');
    return cycle;
  };
  /** The worker's own queue: reports started directly run where this worker (and its cycle) runs. */
  const startConfig = () => ({ temporal: { taskQueue: Context.current().info.taskQueue }, cycleStartConcurrency: config.cycleStartConcurrency });

  /**
   * Starts the reports of partners the join rule admits (their due date first, when it is later
   * than the cycle's); counts those it defers to the next cycle.
   */
  const admit = async (cycle: CycleWithSettings, partners: { id: number; number: number; accessionDate: string | null }[]) => {
    const starts: CycleStarts = { announced: 0, startedDirectly: 0, alreadyStarted: 0, deferred: 0 };
    const admitted: number[] = [];
    const decisions = new Map<number, JoinDecision>();
    for (const partner of partners) {
      const decision = joinDecision({ year: cycle.year, dueDate: cycle.dueDate, accessionDate: partner.accessionDate, rule: cycle.settings.joinRule });
      decisions.set(partner.number, decision);
      if (!decision.reports) {
        starts.deferred += 1;
        continue;
      }
      if (decision.extended) {
        // Written before the start, so the report reads its own due date (and `cycle status` shows it).
        await setOverride(db, {
          cycleId: cycle.id,
          organisationId: partner.id,
          dueDate: decision.dueDate,
          reason: `Beitritt am ${partner.accessionDate}: mindestens ${cycle.settings.joinRule.minimumWeeks} Wochen für den Bericht`,
        });
      }
      admitted.push(partner.number);
    }
    const started = await startCycleReports(Context.current().client, startConfig(), cycle.year, admitted);
    return { starts: { ...starts, ...started, deferred: starts.deferred }, decisions };
  };

  return {
    /** The cycle's due date and, if configured, when it compiles by itself. */
    async loadCycleSchedule(input: { year: number }): Promise<CycleSchedule> {
      const cycle = await cycleOf(input.year);
      const compileOn = cycle.settings.compileOn;
      return { dueDate: cycle.dueDate, ...(compileOn !== undefined && { compileOn, compileAt: compileMoment(compileOn, config.timezone).toISOString() }) };
    },

    async countCyclePartners(input: { year: number }): Promise<number> {
      await cycleOf(input.year);
      return countActivePartners(db);
    },

    /**
     * Opens the cycle for up to `limit` active partners after partner number `after`, a slice at a
     * time (`CYCLE_START_CONCURRENCY`), heartbeating after each slice. A retry after a crash
     * resumes after the last slice it heartbeated; what it repeats is skipped by the reports'
     * deterministic ids, so nothing starts twice.
     */
    async openCycleBatch(input: OpenCycleBatchInput): Promise<OpenCycleBatchResult> {
      const context = Context.current();
      const resumed = batchProgressSchema.safeParse(context.info.heartbeatDetails);
      const progress = resumed.success ? resumed.data : { after: input.after, count: 0, starts: { announced: 0, startedDirectly: 0, alreadyStarted: 0, deferred: 0 } };
      // Between slices, the keep-alive repeats the last slice's progress: a retry still resumes there.
      const alive = keepAlive();
      alive.working(progress);
      try {
        const cycle = await cycleOf(input.year);
        const page = await activePartnersAfter(db, progress.after, input.limit - progress.count);
        const slice = Math.max(1, config.cycleStartConcurrency);
        for (let index = 0; index < page.length; index += slice) {
          const partners = page.slice(index, index + slice);
          const { starts } = await admit(cycle, partners);
          progress.after = partners.at(-1)?.number ?? progress.after;
          progress.count += partners.length;
          for (const key of Object.keys(starts) as (keyof CycleStarts)[]) progress.starts[key] += starts[key];
          context.heartbeat(progress);
          await faults.at('cycle.afterOpeningSlice', `${input.year}/${progress.after}`);
        }
        return { count: progress.count, last: progress.after, more: page.length > 0 && progress.count >= input.limit, starts: progress.starts };
      } finally {
        alive.stop();
      }
    },

    /** A partner joined during the cycle: this cycle's report by the join rule, or none (next year's). */
    async admitJoinedPartner(input: { year: number; partnerNumber: number }): Promise<{ decision: JoinDecision; starts: CycleStarts }> {
      const cycle = await cycleOf(input.year);
      const partner = await findPartnerForJoin(db, input.partnerNumber);
      if (!partner) throw ApplicationFailure.nonRetryable(`partnerNumber: no partner ${input.partnerNumber}`, 'PartnerNotFound');
      if (partner.status !== 'active') throw ApplicationFailure.nonRetryable(`partnerNumber: partner ${input.partnerNumber} is ${partner.status}, not active`, 'PartnerNotActive');
      const { starts, decisions } = await admit(cycle, [partner]);
      return { decision: decisions.get(partner.number) as JoinDecision, starts };
    },

    /**
     * Tells every open cycle's workflow that a partner joined (the lifecycle calls this once, when
     * it starts after an accession). A cycle opened without a workflow is left out: it has no one
     * to admit the partner, and staff open it again to include them.
     */
    async announceJoin(input: { partnerNumber: number; accessionDate: string }): Promise<number[]> {
      const { client } = Context.current();
      const told: number[] = [];
      for (const year of await openCycleYears(db)) {
        try {
          await client.workflow.getHandle(cycleWorkflowId(year)).signal(partnerJoinedSignal, input);
          told.push(year);
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
      return told;
    },
  };
}
