/**
 * The accession workflow as its clients see it: input, Updates, Queries and views. The CLI, the
 * HTTP API and tests import this module, never the workflow's implementation.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AcceptDeclarationArgs,
  AccessionPhase,
  AgreementParties,
  EndAccessionArgs,
  RequestChangesArgs,
  SaveDraftArgs,
  SetAccessionDateArgs,
  SignArgs,
  SignatureParty,
  SubmitDeclarationArgs,
} from '../../src/domain/accession';
import type { AccessionPolicy } from '../../src/domain/accession-policy';
import type { ScheduledSendView, TimelineEntry } from './annual-report';

export const accessionWorkflowType = 'accessionWorkflow';

/** One accession per organisation at a time, under a well-known id. */
export function accessionWorkflowId(partnerNumber: number): string {
  return `accession/${partnerNumber}`;
}

export type AccessionInput = {
  partnerNumber: number;
  policy: AccessionPolicy;
  /** The ministry, initiative and ministry signatory of the day the agreement is made. */
  parties: AgreementParties;
  /** The office of the organisation's signatory, e.g. "Landrat". */
  partnerSignatoryRole: string;
};

export type DeclarationVersionView = {
  version: number;
  submittedAt: string;
  submittedBy: string;
  review?: 'accepted' | 'changes_requested';
  comment?: string;
  reviewedBy?: string;
};

export type SignatureView = { party: SignatureParty; signer: string; role: string; date: string };

export type AccessionStatusView = {
  partnerNumber: number;
  /** Empty while the workflow is still loading its context. */
  partnerName: string;
  phase: AccessionPhase;
  /** The deadline being chased: 'declaration', 'revision-N' or 'signature'. */
  round: string;
  /** Empty once nothing is awaited. */
  dueAt: string;
  escalationLevel: number;
  versions: DeclarationVersionView[];
  draftSavedAt?: string;
  signatures: SignatureView[];
  partnerSignsFirst: boolean;
  /** Staff's choice, or (once complete) the date of the second signature. */
  accessionDate?: string;
  endReason?: string;
  nextStep?: Omit<ScheduledSendView, 'occurrence'>;
};

export type DeclarationReceipt = { version: number; submittedAt: string };

export const saveDeclarationDraftUpdate = defineUpdate<{ savedAt: string }, [SaveDraftArgs]>('saveDeclarationDraft');
export const submitDeclarationUpdate = defineUpdate<DeclarationReceipt, [SubmitDeclarationArgs]>('submitDeclaration');
export const acceptDeclarationUpdate = defineUpdate<AccessionStatusView, [AcceptDeclarationArgs]>('acceptDeclaration');
export const requestDeclarationChangesUpdate = defineUpdate<AccessionStatusView, [RequestChangesArgs]>('requestDeclarationChanges');
export const signAgreementUpdate = defineUpdate<AccessionStatusView, [SignArgs]>('signAgreement');
export const setAccessionDateUpdate = defineUpdate<AccessionStatusView, [SetAccessionDateArgs]>('setAccessionDate');
export const endAccessionUpdate = defineUpdate<AccessionStatusView, [EndAccessionArgs]>('endAccession');

export const accessionStatusQuery = defineQuery<AccessionStatusView>('status');
export const accessionTimelineQuery = defineQuery<TimelineEntry[]>('timeline');

export type AccessionWorkflow = (input: AccessionInput) => Promise<AccessionStatusView>;
