/**
 * What happened in one reporting cycle, per partner, as the forecast and the statistics read it:
 * the due moment, every submitted version with its review, when staff waived or closed the report,
 * and every deadline notice that was sent (from the email ledger). Pure data: the database
 * fills it (src/db/queries/cycle-history.ts), tests write it by hand.
 */
import { z } from 'zod';
import { stepKinds, type StepKind } from './policy';
import type { ReportPhase } from './report-phase';

export type VersionHistory = {
  version: number;
  submittedAt: Date;
  review: 'pending' | 'accepted' | 'revision_requested';
  reviewedAt: Date | null;
};

/** One deadline notice as sent: one per step occurrence, however many people it went to. */
export type NoticeSent = {
  /** 'initial', or 'revision-<n>' for the round after the n-th revision request. */
  round: string;
  stepId: string;
  occurrence: number;
  template: string;
  /** The first recipient's send: when the partner could first have read it. */
  sentAt: Date;
};

export type ReportHistory = {
  partner: number;
  name: string;
  /** The partner's due moment as agreed for the cycle (its override, else the cycle's date). */
  dueAt: Date;
  /** The due moment of the last extension staff granted before the first version came; null without one. */
  extendedDueAt: Date | null;
  /** 'pending' while the report's workflow had not saved a phase yet. */
  phase: ReportPhase | 'pending';
  escalationLevel: number;
  /** Oldest first. */
  versions: VersionHistory[];
  /** When staff waived or closed the report; null when they did neither. */
  stopped: { by: 'waived' | 'closed'; at: Date } | null;
  /** Earliest first. */
  notices: NoticeSent[];
};

const ladderStepsSchema = z.object({
  steps: z.array(z.object({ id: z.string(), kind: z.enum(stepKinds), escalationLevel: z.number().int().nonnegative().default(0) })),
});

/**
 * What the statistics need of a cycle's stored policy: each step's id, kind and escalation level.
 * Read leniently (other fields ignored), so a policy stored under an earlier schema still reads.
 */
export const cycleLadderSchema = z.object({ deadline: ladderStepsSchema, revision: z.object({ deadline: ladderStepsSchema }) });
export type CycleLadder = z.infer<typeof cycleLadderSchema>;

/** No step known: every notice is then classified by its template alone (see noticeStepOf). */
export const unknownLadder: CycleLadder = { deadline: { steps: [] }, revision: { deadline: { steps: [] } } };

export type CycleHistory = {
  year: number;
  /** The cycle's common due date (YYYY-MM-DD). */
  dueDate: string;
  /** The steps of the policy the cycle ran under (a ReportingPolicy is one). */
  policy: CycleLadder;
  /** One per partner that had a report in the cycle, in the overview's order. */
  reports: ReportHistory[];
};

/** Where a notice stands in the ladder: its kind, and its escalation level (0 unless an escalation). */
export type NoticeStep = { kind: StepKind; escalationLevel: number };

const kindOfTemplate: Record<string, StepKind> = {
  'report-invitation': 'invitation',
  'report-reminder': 'reminder',
  'report-overdue': 'overdue',
  'report-escalation-partner': 'escalation',
  'report-escalation-ministry': 'escalation',
};

/**
 * The step a notice was sent for, looked up in the cycle's frozen policy (the round says which
 * deadline); a step the policy no longer names falls back to its template, at level 1 for an
 * escalation, the lowest level there is. Undefined for a template that is no deadline notice.
 */
export function noticeStepOf(policy: CycleLadder, notice: Pick<NoticeSent, 'round' | 'stepId' | 'template'>): NoticeStep | undefined {
  const deadline = notice.round === 'initial' ? policy.deadline : policy.revision.deadline;
  const step = deadline.steps.find((candidate) => candidate.id === notice.stepId);
  if (step) return { kind: step.kind, escalationLevel: step.escalationLevel };
  const kind = kindOfTemplate[notice.template];
  if (kind === undefined) return undefined;
  return { kind, escalationLevel: kind === 'escalation' ? 1 : 0 };
}
