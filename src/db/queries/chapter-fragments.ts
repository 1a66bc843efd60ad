/**
 * Chapter fragments (src/db/schema/chapter-fragments.ts): each accepted report's chapter rendered
 * once and used by every later compilation while its inputs stay the same.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { and, inArray, ne, sql } from 'drizzle-orm';
import type { AcceptedReport } from '../../documents/compile';
import type { ChapterFragment, FragmentStore, ReportSource } from '../../documents/read-chapter';
import type { DbOrTx } from '../client';
import { chapterFragments } from '../schema';
import { acceptedPartnersPage, inAccessionPages, type AccessionKey } from './compilation';

type SourceRow = {
  number: number;
  accession_date: string;
  name: string;
  report_heading: string | null;
  version_id: number | null;
  source_xmin: string | null;
  body: Buffer | null;
  part_lengths: number[] | null;
  content: string | null;
};

/**
 * The newest accepted version of each report of the year in accession order, in pages as
 * acceptedReportsOfCycle reads them: as the fragment `renderer` made from it when there is one for
 * this very row and partner, else as the version's JSON text (the fragment columns then stay
 * unread, the content is converted only then). Each comes with its source, to store the fragment
 * rendered from it.
 */
export async function* acceptedChapterSourcesOfCycle(db: DbOrTx, year: number, renderer: string, pageSize = 500): AsyncIterable<AcceptedReport> {
  const page = (after: AccessionKey | undefined) =>
    db.execute<SourceRow>(sql`
      select p.number, p.accession_date::text as accession_date, p.name, p.report_heading,
             newest.id as version_id, newest.source_xmin,
             f.body, f.part_lengths,
             case when f.id is null then newest.content::text end as content
        from (${acceptedPartnersPage(year, pageSize, after)}) p
        left join lateral (
          select v.id, v.xmin::text as source_xmin, v.content from report_versions v
           where v.annual_report_id = p.id and v.review = 'accepted'
           order by v.version desc limit 1) newest on true
        left join chapter_fragments f
          on f.report_version_id = newest.id and f.renderer = ${renderer} and f.source_xmin = newest.source_xmin
         and f.partner_number = p.number and f.organisation = p.name and f.report_heading is not distinct from p.report_heading
       order by p.accession_date, p.number`);
  for await (const row of inAccessionPages(page, pageSize)) {
    // No accepted version: left out, the compilation lists the partner as unreadable.
    if (row.version_id === null || row.source_xmin === null) continue;
    const source = { versionId: row.version_id, sourceXmin: row.source_xmin, organisation: row.name, reportHeading: row.report_heading };
    if (row.body !== null && row.part_lengths !== null) yield { number: row.number, source, fragment: unpackFragment(row.body, row.part_lengths) };
    else if (row.content !== null) yield { number: row.number, source, contentJson: row.content };
  }
}

/**
 * A fragment as stored: its parts one after the other as UTF-8, raw DEFLATE at the fastest level,
 * and each part's length. Synchronous: zlib's callback API costs more per call on this thread
 * (a stream per fragment, profiled) than the compression itself, about 0.2 ms per chapter.
 */
function packFragment(fragment: ChapterFragment): { body: Buffer; partLengths: number[] } {
  const parts = [fragment.chapter, fragment.html, fragment.markdown, fragment.figures];
  return { body: deflateRawSync(Buffer.from(parts.join(''), 'utf8'), { level: 1 }), partLengths: parts.map((part) => part.length) };
}

export function unpackFragment(body: Buffer, partLengths: number[]): ChapterFragment {
  const text = inflateRawSync(body).toString('utf8');
  const [chapter = 0, html = 0, markdown = 0, figures = 0] = partLengths;
  // Our own writing, so a mismatch is a fault of this code, not a partner's: loud, not guessed around.
  if (partLengths.length !== 4 || chapter + html + markdown + figures !== text.length) {
    throw new Error(`chapter fragment: its parts (${partLengths.join(', ')}) do not add up to its ${text.length} characters`);
  }
  return {
    chapter: text.slice(0, chapter),
    html: text.slice(chapter, chapter + html),
    markdown: text.slice(chapter + html, chapter + html + markdown),
    figures: text.slice(chapter + html + markdown),
  };
}

/**
 * Stores fragments as a compilation renders them, one statement per batch, without holding the
 * compilation up: `add` waits only while two batches are still being written (so fragments never
 * pile up in memory). A fragment that cannot be stored (say, its version was deleted meanwhile) is
 * left out: the next compilation renders that report again. `settle` waits for the writes under way.
 */
export function chapterFragmentStore(db: DbOrTx, renderer: string): FragmentStore & { settle(): Promise<void> } {
  const writing = new Set<Promise<void>>();
  return {
    add: async (rendered) => {
      const rows: FragmentToStore[] = rendered.flatMap(({ report, fragment }) =>
        report.source ? [{ ...report.source, partnerNumber: report.number, fragment }] : [],
      );
      if (rows.length === 0) return;
      const write = storeChapterFragments(db, renderer, rows).catch(() => undefined);
      writing.add(write);
      void write.finally(() => writing.delete(write));
      while (writing.size > 2) await Promise.race(writing);
    },
    settle: async () => {
      await Promise.all(writing);
    },
  };
}

/** A fragment with what it was rendered from: the version row and the partner as read with it (ReportSource). */
export type FragmentToStore = ReportSource & { partnerNumber: number; fragment: ChapterFragment };

/**
 * Inserts or replaces the fragments of these versions for `renderer`, and removes those of other
 * renderers: no compilation with today's renderer would use them.
 */
export async function storeChapterFragments(db: DbOrTx, renderer: string, fragments: FragmentToStore[]): Promise<void> {
  const rows = fragments.map(({ fragment, versionId, ...key }) => ({ ...key, ...packFragment(fragment), reportVersionId: versionId, renderer }));
  const versionIds = rows.map((row) => row.reportVersionId);
  await db.delete(chapterFragments).where(and(inArray(chapterFragments.reportVersionId, versionIds), ne(chapterFragments.renderer, renderer)));
  await db
    .insert(chapterFragments)
    .values(rows)
    .onConflictDoUpdate({
      target: [chapterFragments.reportVersionId, chapterFragments.renderer],
      set: {
        sourceXmin: sql`excluded.source_xmin`,
        partnerNumber: sql`excluded.partner_number`,
        organisation: sql`excluded.organisation`,
        reportHeading: sql`excluded.report_heading`,
        body: sql`excluded.body`,
        partLengths: sql`excluded.part_lengths`,
        createdAt: sql`now()`,
      },
    });
}

/** Removes the fragments of these versions (an erasure changes them; a fragment is a copy of what they print). */
export async function deleteChapterFragments(db: DbOrTx, versionIds: number[]): Promise<void> {
  if (versionIds.length > 0) await db.delete(chapterFragments).where(inArray(chapterFragments.reportVersionId, versionIds));
}

/**
 * One accepted version as a fragment is rendered from it: its row (id, xmin, content as JSON text)
 * and its partner's number, name and stored report heading. Undefined when the version is not
 * (or no longer) accepted.
 */
export async function acceptedVersionSource(
  db: DbOrTx,
  version: { annualReportId: number; version: number },
): Promise<{ number: number; name: string; reportHeading: string | null; versionId: number; sourceXmin: string; contentJson: string } | undefined> {
  const [row] = await db.execute<{ number: number; name: string; report_heading: string | null; version_id: number; source_xmin: string; content: string }>(sql`
    select o.number, o.name, o.report_heading, v.id as version_id, v.xmin::text as source_xmin, v.content::text as content
      from report_versions v
      join annual_reports ar on ar.id = v.annual_report_id
      join organisations o on o.id = ar.organisation_id
     where v.annual_report_id = ${version.annualReportId} and v.version = ${version.version} and v.review = 'accepted'`);
  return row && { number: row.number, name: row.name, reportHeading: row.report_heading, versionId: row.version_id, sourceXmin: row.source_xmin, contentJson: row.content };
}
