/**
 * What the API and the pages do with an accession and a partner's milestones, in one place: every
 * change is an Update of the workflow (its validator decides), every refusal "field: reason"
 * lines with a 4xx, and what the pages read (the stage of each organisation, the stored
 * declaration versions and the agreement) comes from the database the workflow keeps.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import { AccessionRecordError } from '../db/queries/accession';
import { accessions, agreements, declarationVersions, organisations } from '../db/schema';
import type { AccountRole } from '../db/schema';
import type { AccessionStart, EndAccessionArgs, SignArgs } from '../domain/accession';
import type { AccessionPolicy } from '../domain/accession-policy';
import { defaultAccessionPolicy } from '../domain/default-policy';
import { startAccession } from '../temporal/accession-client';
import {
  acceptDeclarationUpdate,
  accessionStatusQuery,
  accessionTimelineQuery,
  accessionWorkflowId,
  endAccessionUpdate,
  requestDeclarationChangesUpdate,
  saveDeclarationDraftUpdate,
  signAgreementUpdate,
  submitDeclarationUpdate,
  type AccessionStatusView,
  type AccessionWorkflow,
  type DeclarationReceipt,
} from '../../workflows/contracts/accession';
import type { TimelineEntry } from '../../workflows/contracts/annual-report';
import {
  answerMilestoneUpdate,
  lifecycleStatusQuery,
  lifecycleTimelineQuery,
  lifecycleWorkflowId,
  withdrawPartnerUpdate,
  type LifecycleStatusView,
  type PartnerLifecycleWorkflow,
} from '../../workflows/contracts/lifecycle';

/** An accession's refusals: a wrong state is 409, wrong input 422 (a missing organisation is the caller's 404). */
export type Refusal = { ok: false; status: 409 | 422; errors: string[] };
export type Outcome<T> = { ok: true; value: T } | Refusal;

const accessionOf = (client: Client, partnerNumber: number) => client.workflow.getHandle<AccessionWorkflow>(accessionWorkflowId(partnerNumber));
const lifecycleOf = (client: Client, partnerNumber: number) => client.workflow.getHandle<PartnerLifecycleWorkflow>(lifecycleWorkflowId(partnerNumber));

/**
 * Update failures the caller caused, as 4xx: a wrong state is 409, wrong input 422. Callers
 * check the organisation exists first, so a missing workflow means none is running any more.
 */
function refusal(error: unknown, what: string): Refusal {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const lines = (error.cause.message || 'state: refused').split('\n');
    return { ok: false, status: error.cause.type === 'InvalidState' ? 409 : 422, errors: lines };
  }
  if (error instanceof WorkflowNotFoundError) return { ok: false, status: 409, errors: [`state: no ${what} is running for this organisation`] };
  throw error;
}

async function attempt<T>(what: string, run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return refusal(error, what);
  }
}

export type AccessionRef = { client: Client; partnerNumber: number };

export async function beginAccession(
  client: Client,
  db: Database,
  taskQueue: string,
  start: AccessionStart,
  policy: AccessionPolicy = defaultAccessionPolicy,
): Promise<Outcome<{ workflowId: string }>> {
  try {
    const handle = await startAccession(client, db, taskQueue, start, policy);
    return { ok: true, value: { workflowId: handle.workflowId } };
  } catch (error) {
    if (error instanceof AccessionRecordError) {
      // Its message is a "field: reason" line already.
      return { ok: false, status: error.code === 'caseworker-unknown' ? 422 : 409, errors: [error.message] };
    }
    throw error;
  }
}

export function accessionStatus({ client, partnerNumber }: AccessionRef): Promise<Outcome<AccessionStatusView>> {
  return attempt('accession', () => accessionOf(client, partnerNumber).query(accessionStatusQuery));
}

export function accessionTimeline({ client, partnerNumber }: AccessionRef): Promise<Outcome<TimelineEntry[]>> {
  return attempt('accession', () => accessionOf(client, partnerNumber).query(accessionTimelineQuery));
}

/** A draft is unchecked (only bounded in size): the form's fields as typed. */
export function saveDeclarationDraft({ client, partnerNumber }: AccessionRef, draft: Record<string, unknown>, by?: string): Promise<Outcome<{ savedAt: string }>> {
  return attempt('accession', () => accessionOf(client, partnerNumber).executeUpdate(saveDeclarationDraftUpdate, { args: [{ draft, ...(by && { by }) }] }));
}

/** The declaration goes to the workflow unparsed: its Update validator is the one parser. */
export function submitDeclaration({ client, partnerNumber }: AccessionRef, declaration: unknown, submittedBy?: string): Promise<Outcome<DeclarationReceipt>> {
  return attempt('accession', () =>
    accessionOf(client, partnerNumber).executeUpdate(submitDeclarationUpdate, { args: [{ declaration, ...(submittedBy && { submittedBy }) }] }),
  );
}

export const reviewOutcomes = ['accept', 'request-changes'] as const;
export type ReviewOutcome = (typeof reviewOutcomes)[number];

export function reviewDeclaration({ client, partnerNumber }: AccessionRef, outcome: ReviewOutcome, by: string, comment: string | undefined): Promise<Outcome<AccessionStatusView>> {
  const handle = accessionOf(client, partnerNumber);
  return attempt('accession', () =>
    outcome === 'accept'
      ? handle.executeUpdate(acceptDeclarationUpdate, { args: [{ by, ...(comment !== undefined && { comment }) }] })
      : // An absent comment goes as absent: the validator answers "comments: is required".
        handle.executeUpdate(requestDeclarationChangesUpdate, { args: [{ by, comments: comment as string }] }),
  );
}

/** Arguments unparsed, typed as the contract's only for the compiler: the validator parses. */
export function recordSignature({ client, partnerNumber }: AccessionRef, args: Partial<SignArgs>): Promise<Outcome<AccessionStatusView>> {
  return attempt('accession', () => accessionOf(client, partnerNumber).executeUpdate(signAgreementUpdate, { args: [args as SignArgs] }));
}

export function endAccession({ client, partnerNumber }: AccessionRef, args: Partial<EndAccessionArgs>): Promise<Outcome<AccessionStatusView>> {
  return attempt('accession', () => accessionOf(client, partnerNumber).executeUpdate(endAccessionUpdate, { args: [args as EndAccessionArgs] }));
}

export function lifecycleStatus({ client, partnerNumber }: AccessionRef): Promise<Outcome<LifecycleStatusView>> {
  return attempt('lifecycle', () => lifecycleOf(client, partnerNumber).query(lifecycleStatusQuery));
}

/** An active partner leaves the network: its lifecycle ends open reporting and tells staff. */
export function withdrawPartner({ client, partnerNumber }: AccessionRef, args: Record<string, unknown>): Promise<Outcome<LifecycleStatusView>> {
  return attempt('lifecycle', () => lifecycleOf(client, partnerNumber).executeUpdate(withdrawPartnerUpdate, { args: [args as never] }));
}

export function lifecycleTimeline({ client, partnerNumber }: AccessionRef): Promise<Outcome<TimelineEntry[]>> {
  return attempt('lifecycle', () => lifecycleOf(client, partnerNumber).query(lifecycleTimelineQuery));
}

export function answerMilestone({ client, partnerNumber }: AccessionRef, args: Record<string, unknown>): Promise<Outcome<LifecycleStatusView>> {
  return attempt('lifecycle', () => lifecycleOf(client, partnerNumber).executeUpdate(answerMilestoneUpdate, { args: [args as never] }));
}

/**
 * Where an organisation stands on its way in, in the words staff use: from the organisation's
 * status and its latest accession (phase, draft, signatures).
 */
export const accessionStages = [
  'invited',
  'declaration_draft',
  'declaration_submitted',
  'in_revision',
  'agreement_to_sign',
  'signed',
  'active',
  'withdrawn',
  'rejected',
  'not_started',
] as const;
export type AccessionStage = (typeof accessionStages)[number];

export type OrganisationStage = {
  partnerNumber: number;
  name: string;
  stage: AccessionStage;
  organisationStatus: string;
  accessionDate: string | null;
  /** The latest accession's workflow, if there was one. */
  workflowId: string | null;
  startedAt: string | null;
};

export function stageOf(organisationStatus: string, accession: { phase: string; status: string; hasDraft: boolean } | undefined): AccessionStage {
  if (organisationStatus === 'active') return 'active';
  // A partner that left the network has withdrawn, however its accession once ended.
  if (organisationStatus === 'left') return 'withdrawn';
  if (!accession) return 'not_started';
  switch (accession.phase) {
    case 'invited':
      return accession.hasDraft ? 'declaration_draft' : 'invited';
    case 'declaration_submitted':
      return 'declaration_submitted';
    case 'changes_requested':
      return 'in_revision';
    case 'awaiting_signatures':
      return 'agreement_to_sign';
    // Signed by both, but not yet (or no longer) an active partner.
    case 'completed':
      return 'signed';
    case 'rejected':
      return 'rejected';
    default:
      return 'withdrawn';
  }
}

/** Every organisation with the stage of its accession, by partner number. */
export async function listOrganisationStages(db: Database): Promise<OrganisationStage[]> {
  const rows = await db.select().from(organisations).orderBy(asc(organisations.number));
  const latest = rows.length === 0 ? [] : await db.select().from(accessions).where(inArray(accessions.organisationId, rows.map((r) => r.id))).orderBy(desc(accessions.id));
  return rows.map((organisation) => {
    const accession = latest.find((a) => a.organisationId === organisation.id);
    return {
      partnerNumber: organisation.number,
      name: organisation.name,
      stage: stageOf(organisation.status, accession && { phase: accession.phase, status: accession.status, hasDraft: accession.draft !== null }),
      organisationStatus: organisation.status,
      accessionDate: organisation.accessionDate,
      workflowId: accession?.workflowId ?? null,
      startedAt: accession?.startedAt.toISOString() ?? null,
    };
  });
}

/** The organisation's latest accession row with its submitted versions and agreement (for pages). */
export async function accessionRecord(db: Database, organisationId: number) {
  const [accession] = await db.select().from(accessions).where(eq(accessions.organisationId, organisationId)).orderBy(desc(accessions.id)).limit(1);
  if (!accession) return undefined;
  const versions = await db.select().from(declarationVersions).where(eq(declarationVersions.accessionId, accession.id)).orderBy(asc(declarationVersions.version));
  const [agreement] = await db.select().from(agreements).where(and(eq(agreements.accessionId, accession.id)));
  return { accession, versions, agreement };
}

/** Who may do what on accessions: one table, read by pages and API alike. */
export const accessionPermissions = {
  view: ['staff', 'caseworker', 'signatory', 'admin'],
  start: ['caseworker', 'admin'],
  review: ['caseworker', 'admin'],
  /** The organisation's signature, when it came on paper. */
  recordPartnerSignature: ['caseworker', 'admin'],
  /** Only the ministry's signatory (or whoever signs for the state secretary) records that signature. */
  recordMinistrySignature: ['signatory'],
  end: ['caseworker', 'admin'],
} as const satisfies Record<string, readonly AccountRole[]>;

/** The start form's and API's body as the accession schema reads it: dotted names nested, the number a number. */
export function accessionStartOf(fields: Record<string, string>): Record<string, unknown> {
  const start: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value.trim() === '') continue;
    const path = name.split('.');
    let into = start;
    for (const key of path.slice(0, -1)) into = (into[key] ??= {}) as Record<string, unknown>;
    into[path.at(-1) as string] = name === 'number' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  }
  return start;
}
