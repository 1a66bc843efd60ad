/** Reads and writes of one organisation's accession: its row, declaration versions, agreement, signatures. */
import { and, asc, desc, eq } from 'drizzle-orm';
import type { AccessionStart } from '../../domain/accession';
import type { Declaration } from '../../domain/declaration';
import { milestoneDueDate } from '../../domain/accession';
import type { MeasureWithAnswers } from '../../domain/report-skeleton';
import type { DbOrTx } from '../client';
import {
  accessions,
  agreements,
  contacts,
  declarationMeasures,
  declarationMilestones,
  declarations,
  declarationVersions,
  organisations,
  signatures,
  staff,
  type Accession,
  type Organisation,
} from '../schema';
import { recordAudit } from './audit';

export class AccessionRecordError extends Error {
  override readonly name = 'AccessionRecordError';
  constructor(
    readonly code: 'organisation-exists' | 'caseworker-unknown' | 'accession-not-found',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Registers a new organisation (a prospect, not yet a partner) with its contacts, before its
 * accession workflow starts. An organisation already in the database is refused: its number is taken.
 */
export async function registerOrganisation(db: DbOrTx, start: AccessionStart, occurredAt = new Date()): Promise<Organisation> {
  return db.transaction(async (tx) => {
    const existing = await tx.query.organisations.findFirst({ where: eq(organisations.number, start.number) });
    if (existing) throw new AccessionRecordError('organisation-exists', `number: ${start.number} is already ${existing.name}`);
    let caseworkerId: number | null = null;
    if (start.caseworker !== undefined) {
      const worker = await tx.query.staff.findFirst({ where: eq(staff.email, start.caseworker) });
      if (!worker) throw new AccessionRecordError('caseworker-unknown', `caseworker: no staff member with the address ${start.caseworker}`);
      caseworkerId = worker.id;
    }
    const [organisation] = await tx
      .insert(organisations)
      .values({ number: start.number, name: start.name, kind: start.kind, status: 'prospect', caseworkerId })
      .returning();
    if (!organisation) throw new Error('inserting the organisation returned nothing');
    await tx.insert(contacts).values([
      { organisationId: organisation.id, role: 'main_contact', name: start.mainContact.name, email: start.mainContact.email, language: start.mainContact.language },
      { organisationId: organisation.id, role: 'leadership_signatory', name: start.leadership.name, email: start.leadership.email, language: start.leadership.language },
    ]);
    await recordAudit(tx, {
      occurredAt,
      actor: 'cli',
      entityType: 'organisation',
      entityId: String(start.number),
      action: 'registered-for-accession',
      details: { name: start.name, kind: start.kind },
    });
    return organisation;
  });
}

export async function findAccessionByWorkflow(db: DbOrTx, workflowId: string): Promise<(Accession & { organisation: Organisation }) | undefined> {
  return db.query.accessions.findFirst({ where: eq(accessions.workflowId, workflowId), with: { organisation: true } });
}

/** The organisation's latest accession (in progress or ended), if any. */
export async function latestAccessionOf(db: DbOrTx, organisationId: number): Promise<Accession | undefined> {
  return db.query.accessions.findFirst({ where: eq(accessions.organisationId, organisationId), orderBy: desc(accessions.id) });
}

export async function listDeclarationVersions(db: DbOrTx, accessionId: number) {
  return db.select().from(declarationVersions).where(eq(declarationVersions.accessionId, accessionId)).orderBy(asc(declarationVersions.version));
}

/** The accepted declaration as rows (measures, milestones), replacing any earlier copy. */
export async function storeAcceptedDeclaration(tx: DbOrTx, accessionId: number, declaration: Declaration, submittedAt: Date): Promise<void> {
  await tx.delete(declarations).where(eq(declarations.accessionId, accessionId));
  const [row] = await tx
    .insert(declarations)
    .values({ accessionId, preamble: declaration.preamble ?? null, targetYear: declaration.targetYear ?? null, submittedAt })
    .returning();
  if (!row) throw new Error('inserting the declaration returned nothing');
  for (const [index, measure] of declaration.measures.entries()) {
    const [measureRow] = await tx
      .insert(declarationMeasures)
      .values({
        declarationId: row.id,
        position: index + 1,
        code: measure.id,
        title: measure.title,
        description: measure.description,
        fieldOfAction: measure.fieldOfAction,
        groupLabel: measure.groupLabel ?? null,
        responsibleUnit: measure.responsibleUnit ?? null,
      })
      .returning();
    if (!measureRow) throw new Error('inserting a measure returned nothing');
    const milestones = measure.milestones ?? [];
    if (milestones.length > 0) {
      await tx.insert(declarationMilestones).values(
        milestones.map((milestone, position) => ({
          measureId: measureRow.id,
          position: position + 1,
          description: milestone.text,
          dueDate: milestoneDueDate(milestone.due),
          dueText: milestone.due.text ?? null,
        })),
      );
    }
  }
}

/** The milestones of an organisation's completed accession, with their answers so far. */
export async function milestonesOfOrganisation(db: DbOrTx, organisationId: number) {
  return db
    .select({
      measureCode: declarationMeasures.code,
      measurePosition: declarationMeasures.position,
      measureTitle: declarationMeasures.title,
      position: declarationMilestones.position,
      text: declarationMilestones.description,
      dueDate: declarationMilestones.dueDate,
      dueText: declarationMilestones.dueText,
      status: declarationMilestones.status,
      revisedDueDate: declarationMilestones.revisedDueDate,
      reachedOn: declarationMilestones.reachedOn,
      answeredAt: declarationMilestones.answeredAt,
      milestoneId: declarationMilestones.id,
    })
    .from(declarationMilestones)
    .innerJoin(declarationMeasures, eq(declarationMeasures.id, declarationMilestones.measureId))
    .innerJoin(declarations, eq(declarations.id, declarationMeasures.declarationId))
    .innerJoin(accessions, eq(accessions.id, declarations.accessionId))
    .where(and(eq(accessions.organisationId, organisationId), eq(accessions.status, 'completed')))
    .orderBy(asc(declarationMeasures.position), asc(declarationMilestones.position));
}

/** The agreement PDF of the organisation's accession in progress, if generated. */
export async function agreementPdfOf(db: DbOrTx, organisationId: number): Promise<Buffer | undefined> {
  const [row] = await db
    .select({ pdf: agreements.pdf })
    .from(agreements)
    .innerJoin(accessions, eq(accessions.id, agreements.accessionId))
    .where(and(eq(accessions.organisationId, organisationId), eq(accessions.status, 'in_progress')))
    .limit(1);
  return row?.pdf ?? undefined;
}

export async function signaturesOf(db: DbOrTx, agreementId: number) {
  return db.select().from(signatures).where(eq(signatures.agreementId, agreementId)).orderBy(asc(signatures.id));
}

/**
 * The measures of the organisation's newest accepted declaration (of a completed accession), in
 * declared order, each with its milestones and their latest answers.
 */
export async function declaredMeasuresOf(db: DbOrTx, organisationId: number): Promise<MeasureWithAnswers[]> {
  const [newest] = await db
    .select({ id: declarations.id })
    .from(declarations)
    .innerJoin(accessions, eq(accessions.id, declarations.accessionId))
    .where(and(eq(accessions.organisationId, organisationId), eq(accessions.status, 'completed')))
    .orderBy(desc(accessions.startedAt), desc(declarations.id))
    .limit(1);
  if (!newest) return [];
  const measures = await db.query.declarationMeasures.findMany({
    where: eq(declarationMeasures.declarationId, newest.id),
    orderBy: asc(declarationMeasures.position),
    with: { milestones: { orderBy: asc(declarationMilestones.position) } },
  });
  return measures.map((m) => ({
    code: m.code,
    title: m.title,
    fieldOfAction: m.fieldOfAction,
    groupLabel: m.groupLabel,
    milestones: m.milestones.map((s) => ({
      text: s.description,
      dueDate: s.dueDate,
      dueText: s.dueText,
      status: s.status,
      reachedOn: s.reachedOn,
      revisedDueDate: s.revisedDueDate,
    })),
  }));
}
