import { relations, sql } from 'drizzle-orm';
import { check, customType, date, integer, jsonb, pgEnum, pgTable, text, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { fieldsOfAction } from '../../domain/fields-of-action';
import { createdAt, id, instant, updatedAt } from './columns';
import { organisations } from './organisations';

export const accessionStatus = pgEnum('accession_status', ['in_progress', 'completed', 'withdrawn', 'rejected']);
export const declarationReview = pgEnum('declaration_review', ['accepted', 'changes_requested']);
export const milestoneStatus = pgEnum('milestone_status', ['open', 'reached', 'delayed']);

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
export const fieldOfAction = pgEnum('field_of_action', fieldsOfAction);
export const signatureParty = pgEnum('signature_party', ['partner', 'state']);

/** One organisation's way into the network: declaration, agreement, both signatures. */
export const accessions = pgTable(
  'accessions',
  {
    id: id(),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    status: accessionStatus('status').notNull().default('in_progress'),
    workflowId: text('workflow_id').unique(),
    startedAt: instant('started_at').notNull().defaultNow(),
    completedAt: instant('completed_at'),
    /** Where the workflow stands (AccessionPhase in src/domain/accession.ts). */
    phase: text('phase').notNull().default('invited'),
    /** Why it was withdrawn or rejected. */
    endReason: text('end_reason'),
    /** The partner's last saved draft of its declaration: unchecked, never reviewed. */
    draft: jsonb('draft'),
    draftSavedAt: instant('draft_saved_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // An organisation may try again after withdrawing, but never runs two accessions at once.
    uniqueIndex('accessions_one_in_progress').on(t.organisationId).where(sql`${t.status} = 'in_progress'`),
  ],
);

/** Every submitted version of a declaration, as submitted, with the staff review it got. */
export const declarationVersions = pgTable(
  'declaration_versions',
  {
    id: id(),
    accessionId: integer('accession_id')
      .notNull()
      .references(() => accessions.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    content: jsonb('content').notNull(),
    submittedAt: instant('submitted_at').notNull(),
    submittedBy: text('submitted_by').notNull(),
    review: declarationReview('review'),
    reviewComment: text('review_comment'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: instant('reviewed_at'),
    createdAt: createdAt(),
  },
  (t) => [unique('declaration_versions_accession_version_unique').on(t.accessionId, t.version)],
);

/** The partner's formless self-commitment: measures and milestones ("formlose Erklärung"). */
export const declarations = pgTable('declarations', {
  id: id(),
  accessionId: integer('accession_id')
    .notNull()
    .unique()
    .references(() => accessions.id, { onDelete: 'cascade' }),
  preamble: text('preamble'),
  targetYear: integer('target_year'),
  submittedAt: instant('submitted_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const declarationMeasures = pgTable(
  'declaration_measures',
  {
    id: id(),
    declarationId: integer('declaration_id')
      .notNull()
      .references(() => declarations.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    /** The partner's id of the measure ("RSK-1"), by which reports refer to it. */
    code: text('code'),
    title: text('title').notNull(),
    description: text('description'),
    fieldOfAction: fieldOfAction('field_of_action').notNull(),
    /** The partner's own grouping, e.g. "Interne Maßnahmen der Kreisverwaltung". */
    groupLabel: text('group_label'),
    responsibleUnit: text('responsible_unit'),
    periodStart: date('period_start', { mode: 'string' }),
    periodEnd: date('period_end', { mode: 'string' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('declaration_measures_position_unique').on(t.declarationId, t.position),
    check(
      'declaration_measures_period_ordered',
      sql`${t.periodStart} is null or ${t.periodEnd} is null or ${t.periodStart} <= ${t.periodEnd}`,
    ),
  ],
);

export const declarationMilestones = pgTable(
  'declaration_milestones',
  {
    id: id(),
    measureId: integer('measure_id')
      .notNull()
      .references(() => declarationMeasures.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    description: text('description').notNull(),
    /** The last day the declared date can mean ("bis Frühjahr 2018" → 2018-05-31). */
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    /** The date in the partner's words. */
    dueText: text('due_text'),
    status: milestoneStatus('status').notNull().default('open'),
    /** A delayed milestone's new date, as the partner named it. */
    revisedDueDate: date('revised_due_date', { mode: 'string' }),
    reachedOn: date('reached_on', { mode: 'string' }),
    answeredAt: instant('answered_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('declaration_milestones_position_unique').on(t.measureId, t.position)],
);

/**
 * The agreement the accession's declaration becomes part of. Signatories and the ministry are stored per
 * agreement because holders and ministry names change (minister in 2013, state secretary in 2018).
 */
export const agreements = pgTable('agreements', {
  id: id(),
  accessionId: integer('accession_id')
    .notNull()
    .unique()
    .references(() => accessions.id, { onDelete: 'cascade' }),
  /** The initiative's name when signed; it was renamed in 2018. */
  initiativeName: text('initiative_name').notNull(),
  partnerSignatoryName: text('partner_signatory_name'),
  partnerSignatoryRole: text('partner_signatory_role').notNull(),
  stateSignatoryName: text('state_signatory_name').notNull(),
  stateSignatoryRole: text('state_signatory_role').notNull(),
  ministry: text('ministry').notNull(),
  // Agreed and signed can differ (the network's 2018 compiled report has 16.08.2012 vs 23.08.2012 for one partner).
  agreedOn: date('agreed_on', { mode: 'string' }),
  signedOn: date('signed_on', { mode: 'string' }),
  occasion: text('occasion'),
  /** The generated document, as sent for signature. */
  html: text('html'),
  pdf: bytea('pdf'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Who actually signed for each side, once per side. */
export const signatures = pgTable(
  'signatures',
  {
    id: id(),
    agreementId: integer('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    party: signatureParty('party').notNull(),
    signerName: text('signer_name').notNull(),
    signerRole: text('signer_role').notNull(),
    /** When it was recorded. */
    signedAt: instant('signed_at').notNull(),
    /** The date the signer put beside the signature. */
    signedOn: date('signed_on', { mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [unique('signatures_agreement_party_unique').on(t.agreementId, t.party)],
);

export const accessionsRelations = relations(accessions, ({ one, many }) => ({
  organisation: one(organisations, { fields: [accessions.organisationId], references: [organisations.id] }),
  versions: many(declarationVersions),
  declaration: one(declarations),
  agreement: one(agreements),
}));

export const declarationVersionsRelations = relations(declarationVersions, ({ one }) => ({
  accession: one(accessions, { fields: [declarationVersions.accessionId], references: [accessions.id] }),
}));

export const declarationsRelations = relations(declarations, ({ one, many }) => ({
  accession: one(accessions, { fields: [declarations.accessionId], references: [accessions.id] }),
  measures: many(declarationMeasures),
}));

export const declarationMeasuresRelations = relations(declarationMeasures, ({ one, many }) => ({
  declaration: one(declarations, { fields: [declarationMeasures.declarationId], references: [declarations.id] }),
  milestones: many(declarationMilestones),
}));

export const declarationMilestonesRelations = relations(declarationMilestones, ({ one }) => ({
  measure: one(declarationMeasures, {
    fields: [declarationMilestones.measureId],
    references: [declarationMeasures.id],
  }),
}));

export const agreementsRelations = relations(agreements, ({ one, many }) => ({
  accession: one(accessions, { fields: [agreements.accessionId], references: [accessions.id] }),
  signatures: many(signatures),
}));

export const signaturesRelations = relations(signatures, ({ one }) => ({
  agreement: one(agreements, { fields: [signatures.agreementId], references: [agreements.id] }),
}));

export type Accession = typeof accessions.$inferSelect;
export type NewAccession = typeof accessions.$inferInsert;
export type Declaration = typeof declarations.$inferSelect;
export type NewDeclaration = typeof declarations.$inferInsert;
export type DeclarationMeasure = typeof declarationMeasures.$inferSelect;
export type NewDeclarationMeasure = typeof declarationMeasures.$inferInsert;
export type DeclarationMilestone = typeof declarationMilestones.$inferSelect;
export type NewDeclarationMilestone = typeof declarationMilestones.$inferInsert;
export type Agreement = typeof agreements.$inferSelect;
export type NewAgreement = typeof agreements.$inferInsert;
export type Signature = typeof signatures.$inferSelect;
export type NewSignature = typeof signatures.$inferInsert;
