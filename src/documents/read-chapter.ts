/**
 * One accepted report read into its chapter and figures, on whichever thread reads it. On the
 * compiling thread the chapter stays a model; on a render thread (a compilation's reports are read
 * there, in batches, while this thread fetches the next page) it leaves as the text the sinks write:
 * its spool line, HTML and Markdown, so only strings and the figures cross back.
 */
import type { FigureRow } from '../domain/report-figures';
import { readAcceptedReport } from './from-report';
import type { IndicatorFigure, PartnerChapter } from './model';
import { htmlChapter } from './render/html';
import { markdownChapter } from './render/markdown';

/** An accepted report to read: its stored content as a value, or as the JSON text the database gave. */
export type ReportToRead = { number: number; organisation: string; heading: string } & ({ content: unknown } | { contentJson: string });

/** A chapter as the sinks take it: the model, or its spool line, HTML and Markdown made from the model elsewhere. */
export type ChapterOut = { chapter: PartnerChapter } | { rendered: RenderedChapter };
export type RenderedChapter = { json: string; html: string; markdown: string };

/** Undefined when the content does not read as a report (the partner is listed as missing). */
export type ReadReport = { out: ChapterOut; figures: IndicatorFigure[]; figureRows: FigureRow[] } | undefined;

/** Reads the reports of a batch, in the batch's order; how many batches may be under way at once. */
export type ChapterReader = { read(batch: ReportToRead[]): Promise<ReadReport[]>; batchSize: number; batchesAtOnce: number };

/** On this thread, one report at a time, the chapter kept as a model. */
export const localChapterReader: ChapterReader = {
  read: async (batch) => batch.map((report) => readReport(report, (chapter) => ({ chapter }))),
  batchSize: 1,
  batchesAtOnce: 1,
};

/** What a render thread does with a batch: the chapters as the text the sinks write. */
export function renderChapters(batch: ReportToRead[]): ReadReport[] {
  return batch.map((report) => readReport(report, renderChapter));
}

/** The chapter's spool line, HTML and Markdown: exactly what the file sink and the renderers write for the model. */
export function renderChapter(chapter: PartnerChapter): ChapterOut {
  return { rendered: { json: JSON.stringify(chapter), html: htmlChapter(chapter), markdown: markdownChapter(chapter) } };
}

function readReport(report: ReportToRead, out: (chapter: PartnerChapter) => ChapterOut): ReadReport {
  const who = { number: report.number, organisation: report.organisation };
  const content = 'contentJson' in report ? parseJson(report.contentJson) : report.content;
  // Still parsed with the report schema: the stored content is a boundary (a report stored under
  // an older schema is listed as unreadable, not guessed at).
  const read = readAcceptedReport(who, content);
  if (!read) return undefined;
  return { out: out({ ...who, heading: report.heading, blocks: read.blocks }), figures: read.figures, figureRows: read.figureRows };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
