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
