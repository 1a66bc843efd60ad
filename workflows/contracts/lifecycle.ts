/**
 * The partner's lifecycle workflow as its clients see it: one per partner, from accession on,
 * continued as new at each year's turn with its state carried over.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { TrackedMilestone } from '../../src/domain/accession';
import type { MilestonePolicy } from '../../src/domain/accession-policy';
import type { TimelineEntry } from './annual-report';

export const partnerLifecycleWorkflowType = 'partnerLifecycleWorkflow';

export function lifecycleWorkflowId(partnerNumber: number): string {
  return `lifecycle/${partnerNumber}`;
}

export type LifecycleInput = {
  partnerNumber: number;
  /** YYYY-MM-DD, the accession date (historical for partners that joined before Partnerflow). */
  accessionDate: string;
  milestonePolicy: MilestonePolicy;
  /** The declared milestones and their answers so far; loaded from the database when left out. */
  milestones?: TrackedMilestone[];
  /** Reporting years already started (carried over by continue-as-new). */
  reportedYears?: number[];
  /** The year this run looks after; its turn continues as new. Defaults to the year of the start. */
  year?: number;
  /** How it began: 'accession' (a new partner) or 'import' (joined before; nothing back-dated). */
  origin?: 'accession' | 'import';
  /** Contact changes so far, newest last (only the last few are carried). */
  contactChanges?: ContactChangeView[];
  /** Annual report workflows started and not known to have ended, by id. */
  openReports?: string[];
  /** Which run this is: 1 for the first, one more at each continue-as-new. */
  generation?: number;
};

export type LifecyclePhase = 'active' | 'withdrawn';

export type CycleOpenedArgs = { year: number; by?: string; /** For drills: an exact due moment (ISO) for the report. */ dueAt?: string };
export type MilestoneAnswerArgs =
  | { milestoneId: string; outcome: 'reached'; date?: string; by?: string }
  | { milestoneId: string; outcome: 'delayed'; newDate: string; newDueText?: string; by?: string };
export type ContactChangeArgs = {
  role: 'main_contact' | 'leadership_signatory';
  name: string;
  email: string;
  language?: 'de' | 'en';
  by: string;
};
export type ContactChangeView = { at: string; role: string; name: string; by: string };
export type WithdrawPartnerArgs = { by: string; reason: string; date?: string };

export type LifecycleStatusView = {
  partnerNumber: number;
  partnerName: string;
  phase: LifecyclePhase;
  accessionDate: string;
  year: number;
  origin: 'accession' | 'import';
  reportedYears: number[];
  /** Annual report workflows this lifecycle started and that have not ended. */
  openReports: string[];
  milestones: (TrackedMilestone & { escalationLevel: number; nextStep?: { template: string; sendAt: string } })[];
  contactChanges: ContactChangeView[];
  withdrawal?: { reason: string; date: string; by: string };
  /** How many runs this lifecycle has had (continued as new each year). */
  generation: number;
};

export const cycleOpenedSignal = defineSignal<[CycleOpenedArgs]>('cycleOpened');
export const answerMilestoneUpdate = defineUpdate<LifecycleStatusView, [MilestoneAnswerArgs]>('answerMilestone');
export const changeContactUpdate = defineUpdate<LifecycleStatusView, [ContactChangeArgs]>('changeContact');
export const withdrawPartnerUpdate = defineUpdate<LifecycleStatusView, [WithdrawPartnerArgs]>('withdrawPartner');

export const lifecycleStatusQuery = defineQuery<LifecycleStatusView>('status');
export const lifecycleTimelineQuery = defineQuery<TimelineEntry[]>('timeline');

export type PartnerLifecycleWorkflow = (input: LifecycleInput) => Promise<LifecycleStatusView>;
