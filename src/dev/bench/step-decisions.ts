import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { reportTimelineQuery, type TimelineEntry } from '../../../workflows/contracts/annual-report';

/**
 * What each report's workflow decided for the drill's steps, from its timeline: a step it did not
 * send by its own rule (started after the step's moment: 'skipped-before-start'; replaced by
 * another mail to the same person that fell due with it: 'superseded') is not intended, so the
 * benchmark does not count it as missing. A workflow that does not answer decides nothing.
 */
export type NotSentByRule = { stepId: string; outcome: string; supersededBy?: string };

export async function stepsNotSentByRule(client: Client, workflowIds: readonly string[], stepIds: readonly string[]): Promise<NotSentByRule[]> {
  const queue = [...workflowIds];
  const found: NotSentByRule[] = [];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let workflowId = queue.shift(); workflowId !== undefined; workflowId = queue.shift()) {
        // Caught where it is made, so an answer after the deadline cannot surface unhandled.
        const answer = client.workflow.getHandle(workflowId).query(reportTimelineQuery).catch(() => [] as TimelineEntry[]);
        const timeline = await Promise.race([answer, sleep(10_000, [] as TimelineEntry[])]);
        for (const entry of timeline) {
          if (entry.kind !== 'deadline' || entry.round !== 'initial' || !stepIds.includes(entry.stepId)) continue;
          if (entry.outcome === 'skipped-before-start' || entry.outcome === 'superseded') {
            found.push({ stepId: entry.stepId, outcome: entry.outcome, ...(entry.supersededBy && { supersededBy: entry.supersededBy }) });
          }
        }
      }
    }),
  );
  return found;
}

/** One line for the benchmark's output: how many steps of each wave were not sent, and why. */
export function describeNotSent(decisions: readonly NotSentByRule[]): string[] {
  const counts = new Map<string, number>();
  for (const { stepId, outcome, supersededBy } of decisions) {
    const why = outcome === 'superseded' ? `superseded by ${supersededBy ?? 'a later step'}` : outcome;
    counts.set(`${stepId}: ${why}`, (counts.get(`${stepId}: ${why}`) ?? 0) + 1);
  }
  return [...counts].map(([what, n]) => `${n} × ${what}`);
}
