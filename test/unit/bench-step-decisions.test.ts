/**
 * The benchmark asks a report's workflow which drill steps it did not send by its rule only while
 * that can still explain a missing email: the selection, the remembered answers and the deadline.
 */
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../workflows/contracts/annual-report';
import {
  acceptedStepsByWorkflow,
  isSettled,
  notSentInTimeline,
  stepQuestions,
  workflowsToAsk,
  type AskTimeline,
  type NotSentByRule,
} from '../../src/dev/bench/step-decisions';

const steps = ['invitation', 'reminder-1', 'reminder-2', 'escalation-partner', 'escalation-ministry'];
const wf = (n: number) => `annual-report/${n}/2040`;
const key = (n: number, step: string, role = 'partner_main_contact') => `${wf(n)}/initial/${step}#0/${role}/${n}`;
const all = (...except: string[]) => new Set(steps.filter((s) => !except.includes(s)));

function deadlineEntry(stepId: string, outcome: 'sent' | 'skipped-before-start' | 'superseded', supersededBy?: string, round = 'initial'): TimelineEntry {
  return {
    kind: 'deadline',
    round,
    at: '2040-01-01T09:00:00.000Z',
    stepId,
    occurrence: 0,
    template: 'report-reminder',
    plannedFor: '2040-01-01T09:00:00.000Z',
    recipients: ['partner_main_contact'],
    outcome,
    catchUp: false,
    ...(supersededBy && { supersededBy }),
  };
}

describe('which drill steps each report has had accepted', () => {
  it('counts a drill step only when the sink accepted its Message-ID, per workflow', () => {
    const rows = [
      { workflowId: wf(1), messageId: '<a>', idempotencyKey: key(1, 'invitation') },
      { workflowId: wf(1), messageId: '<b>', idempotencyKey: key(1, 'reminder-1') },
      // Written to the ledger, not (yet) accepted: missing.
      { workflowId: wf(1), messageId: '<c>', idempotencyKey: key(1, 'reminder-2') },
      // Not a drill step (a notice), and a row without a workflow: neither counts.
      { workflowId: wf(2), messageId: '<d>', idempotencyKey: `${wf(2)}/notice/acknowledgement/partner_main_contact/2` },
      { workflowId: null, messageId: '<e>', idempotencyKey: key(3, 'invitation') },
      { workflowId: wf(2), messageId: '<f>', idempotencyKey: key(2, 'escalation-ministry', 'ministry_caseworker') },
    ];
    const accepted = acceptedStepsByWorkflow(rows, new Set(['<a>', '<b>', '<d>', '<e>', '<f>']), steps);
    expect([...accepted].map(([id, s]) => [id, [...s].sort()])).toEqual([
      [wf(1), ['invitation', 'reminder-1']],
      [wf(2), ['escalation-ministry']],
    ]);
  });
});

describe('whom the benchmark asks', () => {
  it('is settled when every step was accepted or decided against by rule, and not before', () => {
    expect(isSettled(steps, all(), undefined)).toBe(true);
    expect(isSettled(steps, all('reminder-1'), undefined)).toBe(false);
    expect(isSettled(steps, all('reminder-1'), [])).toBe(false);
    expect(isSettled(steps, all('reminder-1'), [{ stepId: 'reminder-1', outcome: 'skipped-before-start' }])).toBe(true);
    expect(isSettled(steps, undefined, [{ stepId: 'reminder-1', outcome: 'skipped-before-start' }])).toBe(false);
  });

  it('asks no report whose every email arrived, nor one an answer settled; those never answered come first', () => {
    const accepted = new Map([
      [wf(1), all()],
      [wf(2), all('reminder-1')],
      [wf(3), all('reminder-1', 'reminder-2')],
      [wf(4), all('escalation-ministry')],
    ]);
    const answers = new Map<string, NotSentByRule[]>([
      [wf(2), [{ stepId: 'reminder-1', outcome: 'skipped-before-start' }]],
      // Answered, but reminder 2 is neither accepted nor decided: asked again, after the unanswered.
      [wf(3), [{ stepId: 'reminder-1', outcome: 'superseded', supersededBy: 'reminder-2#0' }]],
    ]);
    expect(workflowsToAsk([wf(1), wf(2), wf(3), wf(4), wf(5)], steps, accepted, answers)).toEqual([wf(4), wf(5), wf(3)]);
  });

  it('reads from a timeline only the initial round\'s drill steps that were skipped or superseded', () => {
    const timeline = [
      deadlineEntry('invitation', 'sent'),
      deadlineEntry('reminder-1', 'skipped-before-start'),
      deadlineEntry('reminder-2', 'superseded', 'escalation-partner#0'),
      deadlineEntry('revision-reminder', 'skipped-before-start'),
      deadlineEntry('reminder-1', 'superseded', 'x#0', 'revision-1'),
      { kind: 'event', at: '2040-01-01T09:00:00.000Z', action: 'started' } as const,
    ];
    expect(notSentInTimeline(timeline, steps)).toEqual([
      { stepId: 'reminder-1', outcome: 'skipped-before-start' },
      { stepId: 'reminder-2', outcome: 'superseded', supersededBy: 'escalation-partner#0' },
    ]);
  });
});

describe('rounds of questions', () => {
  const ids = [1, 2, 3, 4].map(wf);
  const missingReminder = new Map(ids.map((id) => [id, all('reminder-1')]));

  it('remembers an answer that settles a report and never asks it again', async () => {
    const askedFor: string[] = [];
    const ask: AskTimeline = async (id) => {
      askedFor.push(id);
      return [deadlineEntry('reminder-1', 'skipped-before-start')];
    };
    const questions = stepQuestions(ask, ids, steps, 2);
    const heard: [number, number][] = [];
    await questions.round(missingReminder, Date.now() + 60_000, (done, total) => heard.push([done, total]));
    await questions.round(missingReminder, Date.now() + 60_000, (done, total) => heard.push([done, total]));
    expect(askedFor).toEqual(ids);
    expect(heard).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
    expect(questions.notSent()).toHaveLength(4);
    // The second round had nobody to ask.
    expect(questions.summary(missingReminder)).toMatchObject({ settledByAnswer: 4, notAsked: 0, notAnswered: 0, queries: 4, rounds: 1 });
  });

  it('asks a report that did not answer once per round, and again in the next', async () => {
    const askedFor: string[] = [];
    let silent = true;
    const ask: AskTimeline = async (id) => {
      askedFor.push(id);
      if (id === wf(2) && silent) throw new Error('deadline exceeded');
      return [deadlineEntry('reminder-1', 'skipped-before-start')];
    };
    const questions = stepQuestions(ask, ids, steps, 3);
    await questions.round(missingReminder, Date.now() + 60_000);
    expect(askedFor.filter((id) => id === wf(2))).toHaveLength(1);
    expect(questions.summary(missingReminder)).toMatchObject({ settledByAnswer: 3, notAnswered: 1 });
    silent = false;
    await questions.round(missingReminder, Date.now() + 60_000);
    expect(askedFor.slice(4)).toEqual([wf(2)]);
    expect(questions.summary(missingReminder)).toMatchObject({ settledByAnswer: 4, notAnswered: 0 });
  });

  it('starts no question after the round\'s deadline and counts those it did not reach as not asked', async () => {
    const until = Date.now() + 300;
    let answered = 0;
    // Each answer comes only after the deadline: the two questions asked at once are all the round asks.
    const ask: AskTimeline = async () => {
      await new Promise((resolve) => setTimeout(resolve, until - Date.now() + 20));
      answered += 1;
      return [];
    };
    const questions = stepQuestions(ask, ids, steps, 2);
    await questions.round(missingReminder, until);
    expect(answered).toBe(2);
    expect(questions.summary(missingReminder)).toMatchObject({ answeredUnsettled: 2, notAsked: 2, notAnswered: 0, queries: 2 });
  });

  it('asks nobody when every email arrived', async () => {
    const ask: AskTimeline = () => Promise.reject(new Error('must not be asked'));
    const everything = new Map(ids.map((id) => [id, all()]));
    const questions = stepQuestions(ask, ids, steps);
    await questions.round(everything, Date.now() + 60_000);
    expect(questions.summary(everything)).toMatchObject({ settledByEmails: 4, queries: 0 });
  });
});
