/**
 * Builders of a previous cycle's history, shared by the forecast, statistics and effectiveness
 * tests (pure, in test/unit) and the test that writes the same history into a real database
 * (test/integration/cycle-forecast-stats.test.ts): days relative to a due moment, the default
 * policy's ladder of notices, and a report in which nothing happened unless a test says so.
 */
import type { NoticeSent, ReportHistory } from '../../src/domain/cycle-history';

export const day = 86_400_000;

/** `at(days)`: the instant `days` after (negative: before) the due moment. */
export function daysFrom(dueAt: Date): (days: number) => Date {
  return (days) => new Date(dueAt.getTime() + days * day);
}

/** The default policy's ladder (src/domain/default-policy.ts) as its sends are recorded: step, template, days from the due date. */
export const defaultLadder = [
  { stepId: 'invitation', template: 'report-invitation', days: -42 },
  { stepId: 'reminder-2w', template: 'report-reminder', days: -14 },
  { stepId: 'reminder-3d', template: 'report-reminder', days: -3 },
  { stepId: 'overdue', template: 'report-overdue', days: 1 },
  { stepId: 'escalation-1-partner', template: 'report-escalation-partner', days: 14 },
  { stepId: 'escalation-1-ministry', template: 'report-escalation-ministry', days: 14 },
  { stepId: 'escalation-2-partner', template: 'report-escalation-partner', days: 28 },
  { stepId: 'escalation-2-ministry', template: 'report-escalation-ministry', days: 28 },
] as const;
export type LadderStep = (typeof defaultLadder)[number];

/** The ladder's steps sent before `days` from the due date (a partner who submitted then saw only these). */
export function ladderBefore(days: number): LadderStep[] {
  return defaultLadder.filter((step) => step.days < days);
}

/** A notice as the history reads it from the ledger. */
export function noticeSent(dueAt: Date, stepId: string, template: string, days: number, round = 'initial'): NoticeSent {
  return { round, stepId, occurrence: 0, template, sentAt: daysFrom(dueAt)(days) };
}

/** A partner's report of the previous cycle, overdue with nothing sent or submitted, unless `extra` says otherwise. */
export function reportHistory(partner: number, dueAt: Date, extra: Partial<ReportHistory> = {}): ReportHistory {
  return { partner, name: `Partner ${partner}`, dueAt, extendedDueAt: null, phase: 'overdue', escalationLevel: 0, versions: [], stopped: null, notices: [], ...extra };
}
