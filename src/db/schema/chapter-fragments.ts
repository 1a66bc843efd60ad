import { customType, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { reportVersions } from './reporting';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * An accepted report version's chapter as the compiled report prints it, rendered once and kept
 * (derived data, like a materialised view): its spool line, HTML, Markdown and figures. A
 * compilation takes a fragment instead of parsing and rendering the version again when all of its
 * inputs are the same: the renderer (a fingerprint of the chapter renderer's code), the version row
 * as it was read (its `xmin`, which every update of the row changes, e.g. an erasure), and the
 * partner's number, name and report heading the chapter prints. Anything else is a miss: rendered
 * as before, and the fragment replaced. Nothing here is a source of truth; deleting rows only
 * makes the next compilation slower.
 */
export const chapterFragments = pgTable(
  'chapter_fragments',
  {
    id: id(),
    reportVersionId: integer('report_version_id')
      .notNull()
      .references(() => reportVersions.id, { onDelete: 'cascade' }),
    /** The chapter renderer's fingerprint (src/documents/chapter-renderer.ts). */
    renderer: text('renderer').notNull(),
    /** The version row's xmin when it was read: a changed row (however it changed) no longer matches. */
    sourceXmin: text('source_xmin').notNull(),
    partnerNumber: integer('partner_number').notNull(),
    organisation: text('organisation').notNull(),
    /** The stored report heading (organisations.report_heading), null when none is stored. */
    reportHeading: text('report_heading'),
    /**
     * The chapter's line in the spool (JSON), its HTML, Markdown and figures (JSON), one after the
     * other, as UTF-8 compressed with raw DEFLATE (src/db/queries/chapter-fragments.ts); `partLengths`
     * says where each ends (in UTF-16 code units, as JavaScript counts). Compressed here rather than
     * by PostgreSQL: its TOAST compression (pglz) of 10,000 chapters cost more than rendering them
     * (measured: writing them doubled a first compilation's read, reading them back took 3.4 s of the
     * server's time), while zlib on Node's thread pool works beside the compilation and a quarter of
     * the bytes pass through the database.
     */
    body: bytea('body').notNull(),
    partLengths: integer('part_lengths').array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique('chapter_fragments_version_renderer_unique').on(t.reportVersionId, t.renderer)],
);

export type ChapterFragmentRow = typeof chapterFragments.$inferSelect;
export type NewChapterFragmentRow = typeof chapterFragments.$inferInsert;
