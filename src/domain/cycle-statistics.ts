/**
 * One cycle's figures for the comparison across years: how many partners submitted, how many on
 * time, how many reminders and escalations it took. A share whose base is empty (nobody
 * submitted, so nobody was on time or late) is not stated, never 0 %.
 */
import { noticeStepOf, type CycleHistory } from './cycle-history';

/** A count and its base; `of` 0 means the share is not stated. */
export type Share = { count: number; of: number };

export type YearStatistics = {
  year: number;
  /** Partners with a report in the cycle. */
  partners: number;
  submitted: Share;
  /** Of those who submitted: first version by the due date agreed for the cycle (override or the cycle's), or the extension granted. */
  onTime: Share;
  accepted: Share;
  waived: Share;
  /** Reminder notices sent (one per reminder step occurrence, however many recipients). */
  reminders: number;
  partnersReminded: Share;
  /** Escalation notices sent, per level ascending. */
  escalations: { level: number; notices: number }[];
  partnersEscalated: Share;
  /** Reports sent back for revision at least once. */
  revised: Share;
};

export function yearStatistics(history: CycleHistory): YearStatistics {
  const partners = history.reports.length;
  const share = (count: number, of = partners): Share => ({ count, of });
  let submitted = 0;
  let onTime = 0;
  let reminders = 0;
  let reminded = 0;
  let escalated = 0;
  const levels = new Map<number, number>();
  for (const report of history.reports) {
    const first = report.versions[0];
    if (first) {
      submitted += 1;
      if (first.submittedAt.getTime() <= (report.extendedDueAt ?? report.dueAt).getTime()) onTime += 1;
    }
    let ownReminders = 0;
    let ownEscalations = 0;
    for (const notice of report.notices) {
      const step = noticeStepOf(history.policy, notice);
      if (step?.kind === 'reminder') ownReminders += 1;
      if (step?.kind === 'escalation') {
        ownEscalations += 1;
        levels.set(step.escalationLevel, (levels.get(step.escalationLevel) ?? 0) + 1);
      }
    }
    reminders += ownReminders;
    if (ownReminders > 0) reminded += 1;
    if (ownEscalations > 0 || report.escalationLevel > 0) escalated += 1;
  }
  const count = (predicate: (report: CycleHistory['reports'][number]) => boolean) => history.reports.filter(predicate).length;
  return {
    year: history.year,
    partners,
    submitted: share(submitted),
    onTime: share(onTime, submitted),
    accepted: share(count((r) => r.phase === 'accepted')),
    waived: share(count((r) => r.phase === 'waived')),
    reminders,
    partnersReminded: share(reminded),
    escalations: [...levels].sort(([a], [b]) => a - b).map(([level, notices]) => ({ level, notices })),
    partnersEscalated: share(escalated),
    revised: share(count((r) => r.versions.some((v) => v.review === 'revision_requested'))),
  };
}

/** The share in percent with one decimal, or undefined when its base is empty (not stated). */
export function percentOf(share: Share): number | undefined {
  return share.of === 0 ? undefined : Math.round((share.count / share.of) * 1000) / 10;
}
