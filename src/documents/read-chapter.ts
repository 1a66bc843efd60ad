/**
 * One accepted report read into its chapter and figures, on whichever thread reads it. On the
 * compiling thread the chapter stays a model; on a render thread (a compilation's reports are read
 * there, in batches, while this thread fetches the next page) it leaves as a chapter fragment: its
 * spool line, HTML, Markdown and figures as text, so only strings cross back, and the compilation
 * can store the fragment and use it again (src/db/schema/chapter-fragments.ts).
 */
import type { FigureRow } from '../domain/report-figures';
import { readAcceptedReport } from './from-report';
import type { IndicatorFigure, PartnerChapter } from './model';
import { htmlChapter } from './render/html';
import { markdownChapter } from './render/markdown';

/**
 * An accepted report to read: its stored content as a value, or as the JSON text the database gave,
 * or the fragment rendered from it before. `source`: the version row it came from, with which a
 * newly rendered fragment is stored.
 */
export type ReportToRead = { number: number; organisation: string; heading: string; source?: ReportSource } & (
  | { content: unknown }
  | { contentJson: string }
  | { fragment: ChapterFragment }
);

/**
 * The version row an accepted report was read from (its id and xmin), and the partner's name and
 * stored report heading as read with it: what a fragment rendered from it is keyed by.
 */
export type ReportSource = { versionId: number; sourceXmin: string; organisation: string; reportHeading: string | null };

/** A chapter rendered to text: its spool line, HTML and Markdown, and its figures as JSON (ChapterFigures). */
export type ChapterFragment = { chapter: string; html: string; markdown: string; figures: string };
type ChapterFigures = { figures: IndicatorFigure[]; figureRows: FigureRow[] };

/** A chapter as the sinks take it: the model, or its spool line, HTML and Markdown made from the model elsewhere. */
export type ChapterOut = { chapter: PartnerChapter } | { rendered: RenderedChapter };
export type RenderedChapter = { json: string; html: string; markdown: string };

/** Undefined when the content does not read as a report (the partner is listed as missing). */
export type ReadReport = { out: ChapterOut; figures: IndicatorFigure[]; figureRows: FigureRow[] } | undefined;

/** Reads the reports of a batch, in the batch's order; how many batches may be under way at once. */
export type ChapterReader = { read(batch: ReportToRead[]): Promise<ReadReport[]>; batchSize: number; batchesAtOnce: number };

/**
 * Where a compilation keeps the fragments it rendered, for the next one. `add` may wait (for the
 * database to catch up, so fragments do not pile up in memory) but never fails the compilation.
 */
export type FragmentStore = { add(rendered: { report: ReportToRead; fragment: ChapterFragment }[]): Promise<void> };

/** The heading a partner's chapter prints: the stored one, else "Bericht: <organisation>" (never a guessed genitive). */
export function chapterHeading(partner: { organisation: string; reportHeading: string | undefined | null }): string {
  return partner.reportHeading ?? `Bericht: ${partner.organisation}`;
}

/** On this thread, one report at a time, the chapter kept as a model. */
export const localChapterReader: ChapterReader = {
  read: async (batch) => batch.map((report) => ('fragment' in report ? readFragment(report.fragment) : readReport(report))),
  batchSize: 1,
  batchesAtOnce: 1,
};

/** What a render thread does with a batch: each report's chapter fragment (undefined when it does not read as a report). */
export function renderFragments(batch: ReportToRead[]): (ChapterFragment | undefined)[] {
  return batch.map((report) => {
    if ('fragment' in report) return report.fragment;
    const read = readReport(report);
    if (!read || !('chapter' in read.out)) return undefined;
    const { chapter } = read.out;
    const figures: ChapterFigures = { figures: read.figures, figureRows: read.figureRows };
    return { chapter: JSON.stringify(chapter), html: htmlChapter(chapter), markdown: markdownChapter(chapter), figures: JSON.stringify(figures) };
  });
}

/** A render thread's work as the compilation takes it. */
export function renderChapters(batch: ReportToRead[]): ReadReport[] {
  return renderFragments(batch).map((fragment) => fragment && readFragment(fragment));
}

/**
 * A fragment as the sinks and the statistics take it. Its figures are taken as they are, not parsed
 * with a schema: a fragment is text our own renderer made from a version that was parsed with the
 * report schema (renderFragments), stored by the compilation and used only by a renderer with the
 * same fingerprint; no partner or person writes it. The stored report itself stays a boundary.
 */
export function readFragment(fragment: ChapterFragment): ReadReport {
  const { figures, figureRows } = JSON.parse(fragment.figures) as ChapterFigures;
  return { out: { rendered: { json: fragment.chapter, html: fragment.html, markdown: fragment.markdown } }, figures, figureRows };
}

function readReport(report: Exclude<ReportToRead, { fragment: ChapterFragment }>): ReadReport {
  const who = { number: report.number, organisation: report.organisation };
  const content = 'contentJson' in report ? parseJson(report.contentJson) : report.content;
  // Still parsed with the report schema: the stored content is a boundary (a report stored under
  // an older schema is listed as unreadable, not guessed at).
  const read = readAcceptedReport(who, content);
  if (!read) return undefined;
  return { out: { chapter: { ...who, heading: report.heading, blocks: read.blocks } }, figures: read.figures, figureRows: read.figureRows };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
