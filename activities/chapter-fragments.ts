/**
 * The chapter fragment of a version, rendered when it is accepted (src/db/schema/chapter-fragments.ts),
 * so the first compilation after an acceptance takes it instead of parsing and rendering the report
 * then. A warm-up, not a step of the decision: it never fails the activity that accepted the version
 * (a compilation renders whatever has no fragment). Safe to retry: stored by version and renderer,
 * replacing what is there.
 */
import { acceptedVersionSource, storeChapterFragments } from '../src/db/queries/chapter-fragments';
import type { DbOrTx } from '../src/db/client';
import { chapterRendererFingerprint } from '../src/documents/chapter-renderer';
import { chapterHeading, renderFragments } from '../src/documents/read-chapter';

/** Whether a fragment was stored: not when the version is not accepted or does not read as a report, or on any error. */
export async function storeAcceptedChapterFragment(db: DbOrTx, version: { annualReportId: number; version: number }): Promise<boolean> {
  try {
    const [renderer, source] = await Promise.all([chapterRendererFingerprint(), acceptedVersionSource(db, version)]);
    if (!source) return false;
    const who = { number: source.number, organisation: source.name };
    const [fragment] = renderFragments([{ ...who, heading: chapterHeading({ organisation: source.name, reportHeading: source.reportHeading }), contentJson: source.contentJson }]);
    if (!fragment) return false;
    await storeChapterFragments(db, renderer, [
      { versionId: source.versionId, sourceXmin: source.sourceXmin, organisation: source.name, reportHeading: source.reportHeading, partnerNumber: source.number, fragment },
    ]);
    return true;
  } catch {
    return false;
  }
}
