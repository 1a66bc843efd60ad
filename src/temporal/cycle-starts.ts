/**
 * Starting a cycle's reports, once each: the cycle workflow's opening activity and `report open`
 * use it. A partner with a lifecycle is told the cycle opened (it starts the report as its child
 * and ignores a year it started); the others get the report started directly, and a report that
 * runs already is skipped (its workflow id is the partner's year). So a repeated or resumed
 * opening starts nothing twice.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { announceCycle } from './accession-client';
import { startAnnualReport } from './annual-report-client';

export type CycleStarts = { announced: number; startedDirectly: number; alreadyStarted: number };

/**
 * Starts the reports of `partnerNumbers` for `year`, `concurrency` partners at a time: one after
 * the other, a thousand starts wait on a thousand round trips; all at once, the worker's first
 * tasks queue past their timeout. `progress` counts partners done; a crash leaves some done,
 * which the next opening skips.
 */
export async function startCycleReports(
  client: Client,
  config: { temporal: { taskQueue: string }; cycleStartConcurrency: number },
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
    else if (await startOrSkip(client, config.temporal.taskQueue, partner, year, options.dueAt)) starts.startedDirectly += 1;
    else starts.alreadyStarted += 1;
    done += 1;
    progress(done);
  });
  return starts;
}

/** Starts the partner's report for the year; false when it runs already. */
async function startOrSkip(client: Client, taskQueue: string, partnerNumber: number, year: number, dueAt?: string): Promise<boolean> {
  try {
    await startAnnualReport(client, taskQueue, { partnerNumber, year, dueAt });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
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
