/**
 * What the deadline tracker tells the world about each planned send: the timeline entries every
 * workflow built on it exposes. Types only, so clients read them without the tracker's code.
 */
import type { NoticeTemplate, RecipientRole } from '../../src/domain/notice-families';

export type TrackedSendOutcome = 'sent' | 'skipped-before-start' | 'skipped-after-change' | 'superseded' | 'called-off';

export type TrackerEvent = {
  /** Workflow time of the decision (ISO). */
  at: string;
  stepId: string;
  occurrence: number;
  template: NoticeTemplate;
  plannedFor: string;
  recipients: RecipientRole[];
  outcome: TrackedSendOutcome;
  catchUp: boolean;
  /** For 'superseded': the step ('invitation#0') whose mail reached these recipients instead. */
  supersededBy?: string;
};
