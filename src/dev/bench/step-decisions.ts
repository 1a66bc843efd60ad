import type { Client } from '@temporalio/client';
import { reportTimelineQuery, type TimelineEntry } from '../../../workflows/contracts/annual-report';
import { stepOfLedgerKey } from './drill';

/**
 * What each report's workflow decided for the drill's steps, from its timeline: a step it did not
 * send by its own rule (started after the step's moment: 'skipped-before-start'; replaced by
 * another mail to the same person that fell due with it: 'superseded') is not intended, so the
 * benchmark does not count it as missing. A workflow that does not answer decides nothing.
 *
 * Asking is a query, and a report evicted from the worker's cache replays its whole history to
 * answer it: at 10,000 partners asking every report took longer than the run. So only the reports
 * that can still explain something are asked (`workflowsToAsk`), an answer that accounts for every
 * step is kept and never asked for again, and every round ends by a deadline.
 */
export type NotSentByRule = { stepId: string; outcome: string; supersededBy?: string };

/** A row of the email ledger, as the benchmark reads it. */
export type LedgerRow = { workflowId: string | null; messageId: string; idempotencyKey: string };

/** Per workflow, the drill steps whose email the sink accepted (by the Message-ID the ledger gave it). */
export function acceptedStepsByWorkflow(
  rows: readonly LedgerRow[],
  accepted: { has(messageId: string): boolean },
  stepIds: readonly string[],
): Map<string, Set<string>> {
  const byWorkflow = new Map<string, Set<string>>();
  for (const row of rows) {
    const step = stepOfLedgerKey(row.idempotencyKey);
    if (row.workflowId === null || step === undefined || !stepIds.includes(step) || !accepted.has(row.messageId)) continue;
    const steps = byWorkflow.get(row.workflowId);
    if (steps) steps.add(step);
    else byWorkflow.set(row.workflowId, new Set([step]));
  }
  return byWorkflow;
}

/**
 * Settled: every drill step's email was accepted or its workflow said it does not send it by its
 * rule. Both are final (an accepted email stays accepted, a decision is not taken back), so a
 * settled workflow has nothing more to explain.
 */
export function isSettled(stepIds: readonly string[], accepted: ReadonlySet<string> | undefined, answer: readonly NotSentByRule[] | undefined): boolean {
  return stepIds.every((step) => accepted?.has(step) === true || answer?.some((decision) => decision.stepId === step) === true);
}

/**
 * Whom a round asks: every workflow that is not settled. Those that never answered come first, so
 * a round cut short by its deadline learns the most; one that answered before but still misses an
 * email (in flight, or lost) is asked again after them, as its decision may have come since.
 */
export function workflowsToAsk(
  workflowIds: readonly string[],
  stepIds: readonly string[],
  accepted: ReadonlyMap<string, ReadonlySet<string>>,
  answers: ReadonlyMap<string, readonly NotSentByRule[]>,
): string[] {
  const open = workflowIds.filter((id) => !isSettled(stepIds, accepted.get(id), answers.get(id)));
  return [...open.filter((id) => !answers.has(id)), ...open.filter((id) => answers.has(id))];
}

/** The steps of `stepIds` a timeline says were not sent by rule. */
export function notSentInTimeline(timeline: readonly TimelineEntry[], stepIds: readonly string[]): NotSentByRule[] {
  const found: NotSentByRule[] = [];
  for (const entry of timeline) {
    if (entry.kind !== 'deadline' || entry.round !== 'initial' || !stepIds.includes(entry.stepId)) continue;
    if (entry.outcome === 'skipped-before-start' || entry.outcome === 'superseded') {
      found.push({ stepId: entry.stepId, outcome: entry.outcome, ...(entry.supersededBy && { supersededBy: entry.supersededBy }) });
    }
  }
  return found;
}

/** At the end: how many reports were settled without a question, by an answer, or not at all (and why not). */
export type StepQuestionsSummary = {
  workflows: number;
  /** Every drill email accepted: never asked. */
  settledByEmails: number;
  /** Settled with the help of an answer. */
  settledByAnswer: number;
  /** Answered, but an email is still missing that no rule explains (in flight or lost). */
  answeredUnsettled: number;
  /** Asked, but no answer came within the deadline of any round. */
  notAnswered: number;
  /** Never asked: no round reached them before its deadline. */
  notAsked: number;
  queries: number;
  /** Rounds that had someone to ask. */
  rounds: number;
};

/** Asks one report's workflow for its timeline; rejects when it does not answer in time. */
export type AskTimeline = (workflowId: string) => Promise<readonly TimelineEntry[]>;

/**
 * The timeline query, each within `perQueryMs`: the gRPC deadline ends the call itself, so an
 * unanswered query does not linger on in this process.
 */
export function timelineQuery(client: Client, perQueryMs = 15_000): AskTimeline {
  return (workflowId) => client.connection.withDeadline(Date.now() + perQueryMs, () => client.workflow.getHandle(workflowId).query(reportTimelineQuery));
}

/** Asks report timelines round by round (`concurrency` questions at once), remembering every answer. */
export function stepQuestions(askTimeline: AskTimeline, workflowIds: readonly string[], stepIds: readonly string[], concurrency = 32) {
  const answers = new Map<string, NotSentByRule[]>();
  const asked = new Set<string>();
  let queries = 0;
  let rounds = 0;

  const ask = async (workflowId: string): Promise<void> => {
    asked.add(workflowId);
    queries += 1;
    try {
      const timeline = await askTimeline(workflowId);
      answers.set(workflowId, notSentInTimeline(timeline, stepIds));
    } catch {
      // Not answered in time (or not at all): asked again in the next round, not in this one.
    }
  };

  return {
    /**
     * One round: asks whom `workflowsToAsk` names, `concurrency` at a time; starts no question
     * after `until` (epoch ms). `onProgress` hears (questions finished, questions in the round).
     */
    async round(accepted: ReadonlyMap<string, ReadonlySet<string>>, until: number, onProgress?: (done: number, total: number) => void): Promise<void> {
      const queue = workflowsToAsk(workflowIds, stepIds, accepted, answers);
      if (queue.length === 0 || Date.now() >= until) return;
      rounds += 1;
      let next = 0;
      let done = 0;
      await Promise.all(
        Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
          while (next < queue.length && Date.now() < until) {
            const workflowId = queue[next++];
            if (workflowId !== undefined) await ask(workflowId);
            onProgress?.((done += 1), queue.length);
          }
        }),
      );
    },

    /** Every answer's steps not sent by rule. */
    notSent(): NotSentByRule[] {
      return [...answers.values()].flat();
    },

    summary(accepted: ReadonlyMap<string, ReadonlySet<string>>): StepQuestionsSummary {
      const summary: StepQuestionsSummary = { workflows: workflowIds.length, settledByEmails: 0, settledByAnswer: 0, answeredUnsettled: 0, notAnswered: 0, notAsked: 0, queries, rounds };
      for (const id of workflowIds) {
        const answer = answers.get(id);
        if (isSettled(stepIds, accepted.get(id), undefined)) summary.settledByEmails += 1;
        else if (isSettled(stepIds, accepted.get(id), answer)) summary.settledByAnswer += 1;
        else if (answer) summary.answeredUnsettled += 1;
        else if (asked.has(id)) summary.notAnswered += 1;
        else summary.notAsked += 1;
      }
      return summary;
    },
  };
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
