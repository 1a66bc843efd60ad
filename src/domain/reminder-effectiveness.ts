/**
 * Which step preceded each submission: for every submitted version, the last deadline notice
 * sent to the partner before it arrived (in its round), so staff see whether reports come after
 * the invitation, after the n-th reminder or only after an escalation. "none" means no notice of
 * the round had gone out before the submission.
 */
import { noticeStepOf, type CycleHistory, type NoticeSent } from './cycle-history';

/** 'invitation', 'reminder-<n>' (the n-th reminder the partner received), 'overdue', 'escalation-<level>', 'revision-request' or 'none'. */
export type PrecedingStep = string;

export type SubmissionStep = {
  partner: number;
  version: number;
  /** 'initial' for a first version, 'revision' for a revised one. */
  round: 'initial' | 'revision';
  submittedAt: Date;
  step: PrecedingStep;
  /** When that step's notice was sent; null for 'none'. */
  stepSentAt: Date | null;
};

export type StepShare = {
  step: PrecedingStep;
  submissions: number;
  /** Of all submissions of the round, 0..1. */
  share: number;
  /** Median days from the step's notice to the submission, one decimal; null for 'none'. */
  medianDays: number | null;
};

export type ReminderEffectiveness = {
  year: number;
  /** First versions. */
  initial: StepShare[];
  /** Revised versions, after a revision request. */
  revision: StepShare[];
  submissions: SubmissionStep[];
};

const day = 86_400_000;

export function reminderEffectiveness(history: CycleHistory): ReminderEffectiveness {
  const submissions: SubmissionStep[] = [];
  for (const report of history.reports) {
    // Labels per round: the n-th reminder counts the reminders of that round, in the order sent.
    const labelled = new Map<string, { label: PrecedingStep; sentAt: Date }[]>();
    const reminders = new Map<string, number>();
    for (const notice of report.notices) {
      const label = labelOf(history, notice, reminders);
      if (label === undefined) continue;
      const round = labelled.get(notice.round);
      if (round) round.push({ label, sentAt: notice.sentAt });
      else labelled.set(notice.round, [{ label, sentAt: notice.sentAt }]);
    }
    for (const [index, version] of report.versions.entries()) {
      const previous = report.versions[index - 1];
      const round = index === 0 ? 'initial' : roundOfRevision(index);
      const candidates = [...(labelled.get(round) ?? [])];
      // A revised version answers the revision request first of all.
      if (previous?.reviewedAt) candidates.push({ label: 'revision-request', sentAt: previous.reviewedAt });
      const last = candidates
        .filter((candidate) => candidate.sentAt.getTime() < version.submittedAt.getTime())
        .reduce<{ label: PrecedingStep; sentAt: Date } | undefined>((latest, candidate) => (!latest || candidate.sentAt.getTime() >= latest.sentAt.getTime() ? candidate : latest), undefined);
      submissions.push({
        partner: report.partner,
        version: version.version,
        round: index === 0 ? 'initial' : 'revision',
        submittedAt: version.submittedAt,
        step: last?.label ?? 'none',
        stepSentAt: last?.sentAt ?? null,
      });
    }
  }
  return {
    year: history.year,
    initial: sharesOf(submissions.filter((s) => s.round === 'initial')),
    revision: sharesOf(submissions.filter((s) => s.round === 'revision')),
    submissions,
  };
}

function roundOfRevision(revision: number): string {
  return `revision-${revision}`;
}

function labelOf(history: CycleHistory, notice: NoticeSent, reminders: Map<string, number>): PrecedingStep | undefined {
  const step = noticeStepOf(history.policy, notice);
  if (step === undefined) return undefined;
  switch (step.kind) {
    case 'invitation':
      return 'invitation';
    case 'reminder': {
      const n = (reminders.get(notice.round) ?? 0) + 1;
      reminders.set(notice.round, n);
      return `reminder-${n}`;
    }
    case 'overdue':
      return 'overdue';
    case 'escalation':
      return `escalation-${step.escalationLevel}`;
  }
}

/** Steps in the order of the ladder: invitation, reminders, overdue, escalations by level, none. */
function rankOf(step: PrecedingStep): [number, number] {
  const [kind, n] = [step.replace(/-\d+$/, ''), Number(/-(\d+)$/.exec(step)?.[1] ?? 0)];
  const order = ['revision-request', 'invitation', 'reminder', 'overdue', 'escalation', 'none'].indexOf(kind);
  return [order, n];
}

function sharesOf(submissions: SubmissionStep[]): StepShare[] {
  const byStep = new Map<PrecedingStep, SubmissionStep[]>();
  for (const submission of submissions) {
    const list = byStep.get(submission.step);
    if (list) list.push(submission);
    else byStep.set(submission.step, [submission]);
  }
  return [...byStep]
    .sort(([a], [b]) => {
      const [ra, na] = rankOf(a);
      const [rb, nb] = rankOf(b);
      return ra - rb || na - nb;
    })
    .map(([step, list]) => ({
      step,
      submissions: list.length,
      share: list.length / submissions.length,
      medianDays: median(list.flatMap((s) => (s.stepSentAt ? [(s.submittedAt.getTime() - s.stepSentAt.getTime()) / day] : []))),
    }));
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return Math.round(value * 10) / 10;
}
