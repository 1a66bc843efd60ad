/** Where one partner's annual report stands; the workflow, its activities and the database share it. */
export const reportPhases = [
  'awaiting_submission',
  'overdue',
  'submitted',
  'revision_requested',
  'accepted',
  'waived',
  'closed',
] as const;
export type ReportPhase = (typeof reportPhases)[number];

/** Phases in which the partner is still expected to submit. */
export const openReportPhases: readonly ReportPhase[] = ['awaiting_submission', 'overdue', 'revision_requested'];
/** Phases after which nothing changes any more. */
export const finalReportPhases: readonly ReportPhase[] = ['accepted', 'waived', 'closed'];

/**
 * The phases in which staff may make each decision on a report: the workflow's Update validators
 * refuse a decision outside them, and the board offers only these, so neither can drift.
 */
export const decisionPhases = {
  accept: ['submitted'],
  revision: ['submitted'],
  extension: openReportPhases,
  waiver: [...openReportPhases, 'submitted'],
} as const satisfies Record<string, readonly ReportPhase[]>;
export type StaffDecision = keyof typeof decisionPhases;
