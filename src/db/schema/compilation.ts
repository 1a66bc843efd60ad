import { sql } from 'drizzle-orm';
import { check, date, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import type { FormatStates } from '../../documents/format-states';
import type { Artefact } from '../../documents/render/index';
import type { MissingReport } from '../../documents/model';
import type { IndicatorYear } from '../../domain/indicator-years';
import { createdAt, id } from './columns';

/**
 * Every compilation of a year's annual report, kept: compiling again after a correction makes
 * version N+1 and leaves version N as it was. The rendered files live under the data folder
 * (`storageDir`, relative to it), not in the row: the streaming renderers write them piece by
 * piece, which a bytea value cannot take; size and SHA-256 here tell whether a file is the one
 * that was compiled.
 */
export const compiledReports = pgTable(
  'compiled_reports',
  {
    id: id(),
    year: integer('year').notNull(),
    version: integer('version').notNull(),
    /** The caller's key for one compilation: a retried activity finds its version instead of making another. */
    requestId: text('request_id').notNull().unique(),
    /** The cut-off date printed as "Stand". */
    asOf: date('as_of', { mode: 'string' }).notNull(),
    partners: integer('partners').notNull(),
    chapters: integer('chapters').notNull(),
    /** Partners whose report is not in this version, with where their report stood. */
    missing: jsonb('missing').$type<MissingReport[]>().notNull(),
    artefacts: jsonb('artefacts').$type<Artefact[]>().notNull(),
    storageDir: text('storage_dir').notNull(),
    /**
     * Each format's state (src/documents/format-states.ts): a version is stored once its text formats
     * and figures are written, with PDF and DOCX pending until typesetArchiveFormats marks them ready
     * or failed (with the reason). Versions stored before were stored whole, hence the default.
     */
    formats: jsonb('formats')
      .$type<FormatStates>()
      .notNull()
      .default(sql`'{"pdf":{"state":"ready"},"docx":{"state":"ready"}}'::jsonb`),
    /**
     * The year's indicators as this version counted them, with a fingerprint of the accepted versions
     * they were counted from: a later year's compilation takes them over while the fingerprint is
     * the same, instead of parsing every report of this year again. Null in versions made before.
     */
    indicators: jsonb('indicators').$type<{ fingerprint: string; year: IndicatorYear }>(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('compiled_reports_year_version_unique').on(t.year, t.version),
    check('compiled_reports_version_positive', sql`${t.version} > 0`),
  ],
);

export type CompiledReportRow = typeof compiledReports.$inferSelect;
export type NewCompiledReportRow = typeof compiledReports.$inferInsert;
