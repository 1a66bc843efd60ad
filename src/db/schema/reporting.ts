import { relations, sql } from 'drizzle-orm';
import { check, date, integer, jsonb, pgEnum, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { reportPhases } from '../../domain/report-phase';
import { createdAt, id, instant, updatedAt } from './columns';
import { organisations } from './organisations';

export const cycleStatus = pgEnum('cycle_status', ['draft', 'open', 'closed']);
// 'pending': the row exists before its workflow saved a phase.
export const reportPhase = pgEnum('report_phase', ['pending', ...reportPhases]);
export const reviewStatus = pgEnum('review_status', ['pending', 'accepted', 'revision_requested']);

/** One reporting year: the period reports cover, the common due date, the reminder policy. */
export const reportingCycles = pgTable(
  'reporting_cycles',
  {
    id: id(),
    year: integer('year').notNull().unique(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    /** A ReportingPolicy (src/domain/policy.ts), frozen when the cycle is created. */
    policy: jsonb('policy').notNull(),
    /** CycleSettings (src/domain/cycle-settings.ts): compile date and join rule; defaults when empty. */
    settings: jsonb('settings').notNull().default({}),
    status: cycleStatus('status').notNull().default('draft'),
    openedAt: instant('opened_at'),
    closedAt: instant('closed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check('reporting_cycles_period_ordered', sql`${t.periodStart} <= ${t.periodEnd}`)],
);

/** A partner-specific due date within a cycle, e.g. an extension granted on request. */
export const reportingOverrides = pgTable(
  'reporting_overrides',
  {
    id: id(),
    cycleId: integer('cycle_id')
      .notNull()
      .references(() => reportingCycles.id, { onDelete: 'cascade' }),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('reporting_overrides_cycle_organisation_unique').on(t.cycleId, t.organisationId)],
);

/** One partner's report obligation in one cycle, tracked by its own workflow. */
export const annualReports = pgTable(
  'annual_reports',
  {
    id: id(),
    cycleId: integer('cycle_id')
      .notNull()
      .references(() => reportingCycles.id),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    phase: reportPhase('phase').notNull().default('pending'),
    dueAt: instant('due_at').notNull(),
    escalationLevel: integer('escalation_level').notNull().default(0),
    workflowId: text('workflow_id').unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('annual_reports_cycle_organisation_unique').on(t.cycleId, t.organisationId),
    check('annual_reports_escalation_level_non_negative', sql`${t.escalationLevel} >= 0`),
  ],
);

/** Each submission is kept; a revision is a new version, never an overwrite. */
export const reportVersions = pgTable(
  'report_versions',
  {
    id: id(),
    annualReportId: integer('annual_report_id')
      .notNull()
      .references(() => annualReports.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    /** Human-readable receipt reference quoted in confirmations. */
    reference: text('reference').notNull().unique(),
    submittedAt: instant('submitted_at').notNull(),
    content: jsonb('content').notNull(),
    review: reviewStatus('review').notNull().default('pending'),
    reviewComment: text('review_comment'),
    reviewedAt: instant('reviewed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('report_versions_report_version_unique').on(t.annualReportId, t.version),
    check('report_versions_version_positive', sql`${t.version} > 0`),
  ],
);

export const reportingCyclesRelations = relations(reportingCycles, ({ many }) => ({
  annualReports: many(annualReports),
  overrides: many(reportingOverrides),
}));

export const reportingOverridesRelations = relations(reportingOverrides, ({ one }) => ({
  cycle: one(reportingCycles, { fields: [reportingOverrides.cycleId], references: [reportingCycles.id] }),
  organisation: one(organisations, { fields: [reportingOverrides.organisationId], references: [organisations.id] }),
}));

export const annualReportsRelations = relations(annualReports, ({ one, many }) => ({
  cycle: one(reportingCycles, { fields: [annualReports.cycleId], references: [reportingCycles.id] }),
  organisation: one(organisations, { fields: [annualReports.organisationId], references: [organisations.id] }),
  versions: many(reportVersions),
}));

export const reportVersionsRelations = relations(reportVersions, ({ one }) => ({
  annualReport: one(annualReports, { fields: [reportVersions.annualReportId], references: [annualReports.id] }),
}));

export type ReportingCycle = typeof reportingCycles.$inferSelect;
export type NewReportingCycle = typeof reportingCycles.$inferInsert;
export type ReportingOverride = typeof reportingOverrides.$inferSelect;
export type NewReportingOverride = typeof reportingOverrides.$inferInsert;
export type AnnualReport = typeof annualReports.$inferSelect;
export type NewAnnualReport = typeof annualReports.$inferInsert;
export type ReportVersion = typeof reportVersions.$inferSelect;
export type NewReportVersion = typeof reportVersions.$inferInsert;
