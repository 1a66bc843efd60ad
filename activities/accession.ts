/** Every side effect of an accession: its rows, the declaration's versions, the agreement, the signatures, the audit log. */
import { ApplicationFailure } from '@temporalio/activity';
import { and, eq } from 'drizzle-orm';
import type { AccessionPhase, AgreementParties, SignatureParty } from '../src/domain/accession';
import { parseDeclaration } from '../src/domain/declaration';
import { agreementHtml, agreementPdf, type AgreementDocument } from '../src/documents/agreement';
import type { DbOrTx } from '../src/db/client';
import { recordAudit } from '../src/db/queries/audit';
import { findAccessionByWorkflow, signaturesOf, storeAcceptedDeclaration } from '../src/db/queries/accession';
import { findPartnerByNumber } from '../src/db/queries/partners';
import { accessions, agreements, declarationVersions, organisations, signatures } from '../src/db/schema';
import type { ActivityDeps } from './deps';

/** What every recorded step says about itself: written once per eventKey, however often retried. */
export type AccessionStep = {
  workflowId: string;
  occurredAt: string;
  actor: string;
  action: string;
  phase: AccessionPhase;
  details?: Record<string, unknown>;
  eventKey: string;
};

export type AccessionContext = { partnerName: string; signatoryName: string };

const dbParty = (party: SignatureParty) => (party === 'ministry' ? 'state' : 'partner');

export function createAccessionActivities({ db }: ActivityDeps) {
  async function locate(tx: DbOrTx, workflowId: string) {
    const accession = await findAccessionByWorkflow(tx, workflowId);
    if (!accession) throw ApplicationFailure.nonRetryable(`workflowId: no accession for ${workflowId}`, 'AccessionNotFound');
    return accession;
  }

  async function audit(tx: DbOrTx, partnerNumber: number, step: Omit<AccessionStep, 'workflowId' | 'phase'> & { workflowId: string }) {
    await recordAudit(tx, {
      occurredAt: new Date(step.occurredAt),
      actor: step.actor,
      entityType: 'accession',
      entityId: String(partnerNumber),
      action: step.action,
      details: step.details,
      eventKey: step.eventKey,
    });
  }

  /** The agreement document as it stands: declaration version, parties, signatures so far. */
  async function agreementDocument(tx: DbOrTx, accessionId: number, partnerNumber: number, version: number): Promise<AgreementDocument & { agreementId?: number }> {
    const [stored] = await tx
      .select()
      .from(declarationVersions)
      .where(and(eq(declarationVersions.accessionId, accessionId), eq(declarationVersions.version, version)));
    if (!stored) throw ApplicationFailure.nonRetryable(`version: no declaration version ${version}`, 'DeclarationNotFound');
    const parsed = parseDeclaration(stored.content);
    if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.errors.join('\n'), 'InvalidDeclaration');
    const agreement = await tx.query.agreements.findFirst({ where: eq(agreements.accessionId, accessionId) });
    const partner = await findPartnerByNumber(tx, partnerNumber);
    const leadership = partner?.contacts.find((c) => c.role === 'leadership_signatory');
    const signed = agreement ? await signaturesOf(tx, agreement.id) : [];
    const block = (party: 'partner' | 'state') => {
      const row = signed.find((s) => s.party === party);
      return row ? { signer: row.signerName, role: row.signerRole, date: row.signedOn ?? row.signedAt.toISOString().slice(0, 10) } : undefined;
    };
    return {
      agreementId: agreement?.id,
      organisation: {
        name: partner?.name ?? '',
        signatoryName: agreement?.partnerSignatoryName ?? leadership?.name ?? '',
        signatoryRole: agreement?.partnerSignatoryRole ?? '',
      },
      parties: agreement
        ? { ministry: agreement.ministry, initiative: agreement.initiativeName, ministrySignatory: { name: agreement.stateSignatoryName, role: agreement.stateSignatoryRole } }
        : { ministry: '', initiative: '', ministrySignatory: { name: '', role: '' } },
      declaration: parsed.declaration,
      signatures: { partner: block('partner'), ministry: block('state') },
      declarationVersion: version,
    };
  }

  return {
    /** Creates the accession row (once per workflow) and marks the organisation invited. */
    async openAccession(input: { partnerNumber: number; workflowId: string; occurredAt: string }): Promise<AccessionContext> {
      return db.transaction(async (tx) => {
        const partner = await findPartnerByNumber(tx, input.partnerNumber);
        if (!partner) throw ApplicationFailure.nonRetryable(`partnerNumber: no organisation with number ${input.partnerNumber}`, 'PartnerNotFound');
        await tx
          .insert(accessions)
          .values({ organisationId: partner.id, workflowId: input.workflowId, startedAt: new Date(input.occurredAt), phase: 'invited' })
          .onConflictDoNothing({ target: accessions.workflowId });
        if (partner.status === 'prospect') await tx.update(organisations).set({ status: 'invited' }).where(eq(organisations.id, partner.id));
        await audit(tx, input.partnerNumber, {
          workflowId: input.workflowId,
          occurredAt: input.occurredAt,
          actor: 'system',
          action: 'started',
          eventKey: `${input.workflowId}/started`,
        });
        const leadership = partner.contacts.find((c) => c.role === 'leadership_signatory');
        return { partnerName: partner.name, signatoryName: leadership?.name ?? '' };
      });
    },

    /** Moves the accession's phase and writes the audit entry, once per eventKey. */
    async recordAccessionStep(step: AccessionStep): Promise<void> {
      await db.transaction(async (tx) => {
        const accession = await locate(tx, step.workflowId);
        await tx.update(accessions).set({ phase: step.phase }).where(eq(accessions.id, accession.id));
        await audit(tx, accession.organisation.number, step);
      });
    },

    async saveDeclarationDraft(input: { workflowId: string; draft: Record<string, unknown>; savedAt: string; by: string; eventKey: string }): Promise<void> {
      await db.transaction(async (tx) => {
        const accession = await locate(tx, input.workflowId);
        await tx.update(accessions).set({ draft: input.draft, draftSavedAt: new Date(input.savedAt) }).where(eq(accessions.id, accession.id));
        await audit(tx, accession.organisation.number, { ...input, occurredAt: input.savedAt, actor: input.by, action: 'draft-saved', details: undefined });
      });
    },

    /** Keeps a submitted version as submitted; a retry finds it stored and changes nothing. */
    async storeDeclarationVersion(input: { workflowId: string; version: number; content: unknown; submittedAt: string; submittedBy: string }): Promise<void> {
      await db.transaction(async (tx) => {
        const accession = await locate(tx, input.workflowId);
        await tx
          .insert(declarationVersions)
          .values({
            accessionId: accession.id,
            version: input.version,
            content: input.content,
            submittedAt: new Date(input.submittedAt),
            submittedBy: input.submittedBy,
          })
          .onConflictDoNothing();
        // A submitted declaration supersedes the draft it was made from.
        await tx.update(accessions).set({ draft: null, draftSavedAt: null }).where(eq(accessions.id, accession.id));
      });
    },

    async reviewDeclarationVersion(input: {
      workflowId: string;
      version: number;
      review: 'accepted' | 'changes_requested';
      comment?: string;
      by: string;
      at: string;
    }): Promise<void> {
      await db.transaction(async (tx) => {
        const accession = await locate(tx, input.workflowId);
        await tx
          .update(declarationVersions)
          .set({ review: input.review, reviewComment: input.comment ?? null, reviewedBy: input.by, reviewedAt: new Date(input.at) })
          .where(and(eq(declarationVersions.accessionId, accession.id), eq(declarationVersions.version, input.version)));
      });
    },

    /**
     * Makes the agreement from the accepted version: the declaration as rows, the document as
     * HTML and PDF. Idempotent: a retry regenerates the same document into the same row.
     */
    async generateAgreement(input: { workflowId: string; version: number; parties: AgreementParties; partnerSignatoryRole: string }): Promise<{ htmlBytes: number; pdfBytes: number }> {
      return db.transaction(async (tx) => {
        const accession = await locate(tx, input.workflowId);
        const partner = await findPartnerByNumber(tx, accession.organisation.number);
        const leadership = partner?.contacts.find((c) => c.role === 'leadership_signatory');
        const [version] = await tx
          .select()
          .from(declarationVersions)
          .where(and(eq(declarationVersions.accessionId, accession.id), eq(declarationVersions.version, input.version)));
        const parsed = version && parseDeclaration(version.content);
        if (!version || !parsed?.ok) throw ApplicationFailure.nonRetryable(`version: no valid declaration version ${input.version}`, 'DeclarationNotFound');
        await storeAcceptedDeclaration(tx, accession.id, parsed.declaration, version.submittedAt);
        const values = {
          initiativeName: input.parties.initiative,
          ministry: input.parties.ministry,
          stateSignatoryName: input.parties.ministrySignatory.name,
          stateSignatoryRole: input.parties.ministrySignatory.role,
          partnerSignatoryName: leadership?.name ?? null,
          partnerSignatoryRole: input.partnerSignatoryRole,
        };
        await tx.insert(agreements).values({ accessionId: accession.id, ...values }).onConflictDoUpdate({ target: agreements.accessionId, set: values });
        const doc = await agreementDocument(tx, accession.id, accession.organisation.number, input.version);
        const html = agreementHtml(doc);
        const pdf = await agreementPdf(doc);
        await tx.update(agreements).set({ html, pdf }).where(eq(agreements.accessionId, accession.id));
        return { htmlBytes: Buffer.byteLength(html), pdfBytes: pdf.length };
      });
    },

    /** One signature per side; the document is typeset again with the signature filled in. */
    async recordSignature(input: { workflowId: string; version: number; party: SignatureParty; signer: string; role: string; signedOn: string; at: string }): Promise<void> {
      await db.transaction(async (tx) => {
        const accession = await locate(tx, input.workflowId);
        const agreement = await tx.query.agreements.findFirst({ where: eq(agreements.accessionId, accession.id) });
        if (!agreement) throw ApplicationFailure.nonRetryable('agreement: not generated yet', 'AgreementNotFound');
        await tx
          .insert(signatures)
          .values({ agreementId: agreement.id, party: dbParty(input.party), signerName: input.signer, signerRole: input.role, signedOn: input.signedOn, signedAt: new Date(input.at) })
          .onConflictDoNothing();
        const doc = await agreementDocument(tx, accession.id, accession.organisation.number, input.version);
        await tx.update(agreements).set({ html: agreementHtml(doc), pdf: await agreementPdf(doc) }).where(eq(agreements.id, agreement.id));
      });
    },

    /** The organisation becomes an active partner from its accession date. */
    async completeAccession(input: { workflowId: string; accessionDate: string; signedOn: string; at: string; eventKey: string }): Promise<void> {
      await db.transaction(async (tx) => {
        const accession = await locate(tx, input.workflowId);
        await tx.update(accessions).set({ status: 'completed', phase: 'completed', completedAt: new Date(input.at) }).where(eq(accessions.id, accession.id));
        await tx.update(agreements).set({ signedOn: input.signedOn, agreedOn: input.accessionDate }).where(eq(agreements.accessionId, accession.id));
        await tx.update(organisations).set({ status: 'active', accessionDate: input.accessionDate }).where(eq(organisations.id, accession.organisationId));
        await audit(tx, accession.organisation.number, {
          workflowId: input.workflowId,
          occurredAt: input.at,
          actor: 'system',
          action: 'completed',
          details: { accessionDate: input.accessionDate },
          eventKey: input.eventKey,
        });
      });
    },

    /** Withdrawn by the organisation or rejected by the ministry: the organisation is a prospect again. */
    async endAccession(input: { workflowId: string; outcome: 'withdrawn' | 'rejected'; reason: string; by: string; at: string; eventKey: string }): Promise<void> {
      await db.transaction(async (tx) => {
        const accession = await locate(tx, input.workflowId);
        await tx
          .update(accessions)
          .set({ status: input.outcome, phase: input.outcome, endReason: input.reason, completedAt: new Date(input.at) })
          .where(eq(accessions.id, accession.id));
        await tx.update(organisations).set({ status: 'prospect' }).where(eq(organisations.id, accession.organisationId));
        await audit(tx, accession.organisation.number, {
          workflowId: input.workflowId,
          occurredAt: input.at,
          actor: input.by,
          action: input.outcome,
          details: { reason: input.reason },
          eventKey: input.eventKey,
        });
      });
    },
  };
}
