/**
 * Opening a reporting cycle, shared by `report open` and `cycle open`: store the cycle, then
 * start every active partner's report once. Opening again, or after a crash half-way, starts
 * nothing twice: a lifecycle starts a year's report only once, and a direct start of a report
 * that runs already is skipped (its workflow id is the partner's year).
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import { listPartners } from '../db/queries/partners';
import { upsertCycle } from '../db/queries/reporting';
import { defaultReportingPolicyFor } from '../domain/default-policy';
import type { ReportingPolicy } from '../domain/policy';
import { announceCycle } from '../temporal/accession-client';
import { readPolicy } from './files';
import { withDatabase } from './runtime';
import { startOrSkip } from './report/shared';

export type CycleOpening = { year: number; dueDate: string; periodStart?: string; periodEnd?: string; policy: ReportingPolicy };

export type CycleStarts = { announced: number; startedDirectly: number; alreadyStarted: number };

/** The policy file refused with "field: reason" lines if it cannot work, else the built-in policy. */
export async function cyclePolicy(config: Config, file: string | undefined): Promise<ReportingPolicy> {
  return file ? readPolicy(file) : defaultReportingPolicyFor({ timezone: config.timezone, sendingWindow: config.sendingWindow });
}

/**
 * Stores the cycle (open or as a draft) and returns the partners it is for: those active now.
 * A partner who joins later is announced by the next opening, or starts its report by hand.
 */
export async function storeCycle(config: Config, opening: CycleOpening, open: boolean): Promise<number[]> {
  return withDatabase(config, async (db) => {
    await upsertCycle(db, {
      year: opening.year,
      periodStart: opening.periodStart ?? `${opening.year}-01-01`,
      periodEnd: opening.periodEnd ?? `${opening.year}-12-31`,
      dueDate: opening.dueDate,
      policy: opening.policy,
      open,
    });
    return (await listPartners(db)).filter((partner) => partner.status === 'active').map((partner) => partner.number);
  });
}

/**
 * Tells each partner's lifecycle that the cycle is open (it starts the report as its child) and
 * starts the report directly for a partner without one. `CYCLE_START_CONCURRENCY` partners at a
 * time: one after the other, a thousand starts wait on a thousand round trips; all at once, the
 * worker's first tasks queue past their timeout. `progress` counts partners done; a crash
 * leaves some done, which the next opening skips.
 */
export async function startCycleReports(
  client: Client,
  config: Config,
  year: number,
  partnerNumbers: number[],
  progress: (done: number) => void = () => undefined,
  options: { dueAt?: string } = {},
): Promise<CycleStarts> {
  const starts: CycleStarts = { announced: 0, startedDirectly: 0, alreadyStarted: 0 };
  let done = 0;
  await eachWithConcurrency(partnerNumbers, config.cycleStartConcurrency, async (partner) => {
    const { announced } = await announceCycle(client, [partner], { year });
    if (announced.length > 0) starts.announced += 1;
    else if (await startOrSkip(client, config, { partner, year }, options.dueAt)) starts.startedDirectly += 1;
    else starts.alreadyStarted += 1;
    done += 1;
    progress(done);
  });
  return starts;
}

/** Runs `task` for every item, at most `limit` at once; the first failure stops new tasks and is thrown. */
export async function eachWithConcurrency<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

export function describeStarts(starts: CycleStarts): string {
  return `Announced to ${starts.announced} partner lifecycle(s); started ${starts.startedDirectly} workflow(s) directly; ${starts.alreadyStarted} had already been started.\n`;
}
