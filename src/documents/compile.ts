import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { statisticsCharts } from './charts';
import type { CycleStatisticsSection } from './cycle-statistics';
import {
  chapterHeading,
  localChapterReader,
  type ChapterFragment,
  type ChapterOut,
  type ChapterReader,
  type ReadReport,
  type ReportSource,
  type ReportToRead,
} from './read-chapter';
import { indicatorTally, type IndicatorTally, type IndicatorYear } from '../domain/indicator-years';
import { indicatorYearsSection } from './indicator-years';
import {
  reportStandings,
  stated,
  type ChapterSource,
  type CompiledReport,
  type IndicatorFigure,
  type MissingReport,
  type PartnerChapter,
  type PartnerFigures,
  type ReportStanding,
  type Statistics,
} from './model';
import { htmlChapter } from './render/html';
import { markdownChapter } from './render/markdown';
import { openTextFile } from './render/text-file';
import { fillReportTexts, type ReportTexts } from './texts';

/**
 * Assembles the compiled report of one year from the partners of the cycle and their accepted
 * reports: overview in accession order, one chapter per accepted report, the missing ones listed,
 * and the statistics. The reports arrive as a stream and leave as chapters into a sink, so the
 * assembly holds one report at a time, plus one small row per partner and per reported figure.
 */

/** One partner of the cycle with where its report stands (rows of the database, or a test's). */
export type PartnerOfCycle = {
  number: number;
  organisation: string;
  memberCities: string[];
  accessionDate: string;
  /** "Bericht des Kreises Lippe"; when none is stored, "Bericht: <organisation>" (never a guessed genitive). */
  reportHeading: string | undefined;
  standing: ReportStanding;
  firstSubmittedAt: string | undefined;
  dueAt: string | undefined;
  remindersSent: number;
  escalationLevel: number;
};

/**
 * An accepted report's stored content (as a value, or as its JSON text), parsed when read, not
 * trusted; or the fragment rendered from it by an earlier compilation (read-chapter.ts). `source`:
 * the version row it came from, for storing the fragment rendered from it.
 */
export type AcceptedReport = { number: number; source?: ReportSource } & ({ content: unknown } | { contentJson: string } | { fragment: ChapterFragment });

/** Where chapters go while the reports are read; its `source` reads them back, once per renderer. */
export type ChapterSink = { write(chapter: ChapterOut): Promise<void>; close(): Promise<void>; source: ChapterSource };

export function memoryChapterSink(): ChapterSink {
  const chapters: PartnerChapter[] = [];
  return {
    write: async (out) => {
      chapters.push('chapter' in out ? out.chapter : (JSON.parse(out.rendered.json) as PartnerChapter));
    },
    close: async () => undefined,
    source: () => toAsync(chapters),
  };
}

/**
 * The chapters of the HTML page and the Markdown document, written while the reports are read;
 * renderTextFormats puts each between its front matter and what follows the chapters.
 */
export type ChapterBodies = { html: string; markdown: string };

/**
 * Chapters spooled to a JSON-lines file: memory stays bounded however many partners report. With
 * `bodies`, each chapter's HTML and Markdown are written there too, so the text formats need not
 * read the spool back.
 */
export function fileChapterSink(path: string, bodies?: ChapterBodies): ChapterSink {
  const spool = openTextFile(path);
  const html = bodies && openTextFile(bodies.html);
  const markdown = bodies && openTextFile(bodies.markdown);
  return {
    write: async (out) => {
      if ('rendered' in out) {
        await spool.write(`${out.rendered.json}\n`);
        await html?.write(out.rendered.html);
        await markdown?.write(out.rendered.markdown);
        return;
      }
      await spool.write(`${JSON.stringify(out.chapter)}\n`);
      await html?.write(htmlChapter(out.chapter));
      await markdown?.write(markdownChapter(out.chapter));
    },
    close: async () => {
      await Promise.all([spool.close(), html?.close(), markdown?.close()]);
    },
    source: () => spooledChapters(path),
  };
}

/** Reads back the chapters a fileChapterSink wrote, one line at a time. */
export async function* spooledChapters(path: string): AsyncIterable<PartnerChapter> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) if (line !== '') yield JSON.parse(line) as PartnerChapter;
}

export async function compileReport(input: {
  year: number;
  asOf: string;
  texts: ReportTexts;
  partners: PartnerOfCycle[];
  /** Accepted reports in any order; only partners listed in `partners` with standing accepted are used. */
  reports: AsyncIterable<AcceptedReport> | Iterable<AcceptedReport>;
  sink: ChapterSink;
  /** The comparison across years and the reminder effectiveness (cycle-statistics.ts); none when absent. */
  cycleStatistics?: CycleStatisticsSection;
  /** The indicators of the earlier years (src/db/queries/indicator-years.ts), ascending; this year's are counted here. */
  earlierIndicatorYears?: IndicatorYear[];
  /** Where this year's indicators are counted; pass one to keep its summary (the version stores it). */
  indicators?: IndicatorTally;
  /** Who reads the reports into chapters: render threads (see chapterThreadReader), or this thread one at a time when absent. */
  reader?: ChapterReader;
}): Promise<CompiledReport> {
  const partners = [...input.partners].sort(
    (a, b) => a.accessionDate.localeCompare(b.accessionDate) || a.number - b.number,
  );
  const byNumber = new Map(partners.map((p) => [p.number, p]));
  const included = new Set<number>();
  const unreadable: MissingReport[] = [];
  const indicatorFigures: IndicatorFigure[] = [];
  const tally = input.indicators ?? indicatorTally(input.year);
  // Chapters must come out in accession order whatever order the reports arrive in; the
  // database query delivers them in that order, so this buffer stays empty in practice.
  const rank = new Map(partners.map((p, index) => [p.number, index]));
  const pending = new Map<number, ChapterOut>();
  let next = 0;
  const flush = async () => {
    while (next < partners.length) {
      const partner = partners[next];
      if (!partner) break;
      if (partner.standing !== 'accepted' || unreadable.some((u) => u.number === partner.number)) {
        next += 1;
        continue;
      }
      const chapter = pending.get(partner.number);
      if (!chapter) break;
      pending.delete(partner.number);
      await input.sink.write(chapter);
      next += 1;
    }
  };
  // Reports are read in batches, several under way at once (on render threads while this thread
  // fetches the next ones); their results are taken in the order the reports arrived, so the
  // chapters, figures and missing list come out as if read one after another.
  const reader = input.reader ?? localChapterReader;
  const underWay: { batch: ReportToRead[]; read: Promise<ReadReport[]> }[] = [];
  let batch: ReportToRead[] = [];
  const takeOldest = async () => {
    const oldest = underWay.shift();
    if (!oldest) return;
    const results = await oldest.read;
    for (const [index, { number, organisation }] of oldest.batch.entries()) {
      const read = results[index];
      if (!read) {
        unreadable.push({ number, organisation, standing: 'accepted', unreadable: true });
      } else {
        pending.set(number, read.out);
        indicatorFigures.push(...read.figures);
        tally.add(number, read.figureRows);
        included.add(number);
      }
      if (rank.get(number) === next) await flush();
    }
  };
  const send = async () => {
    if (batch.length === 0) return;
    const read = reader.read(batch);
    // Awaited in turn by takeOldest; until then a failure must not count as unhandled.
    read.catch(() => undefined);
    underWay.push({ batch, read });
    batch = [];
    if (underWay.length >= reader.batchesAtOnce) await takeOldest();
  };
  const seen = new Set<number>();
  for await (const report of input.reports) {
    const { number } = report;
    const partner = byNumber.get(number);
    if (!partner || partner.standing !== 'accepted' || seen.has(number)) continue;
    seen.add(number);
    // A fragment is stored for the partner as its page read it: if it was renamed since the list of
    // partners was read, the chapter (from the list) would not be what that key says, so none is stored.
    const { source, ...read } = report;
    const keyed = source && source.organisation === partner.organisation && source.reportHeading === (partner.reportHeading ?? null);
    batch.push({ ...read, organisation: partner.organisation, heading: chapterHeading(partner), ...(keyed && { source }) });
    if (batch.length >= reader.batchSize) await send();
  }
  await send();
  while (underWay.length > 0) await takeOldest();
  // Accepted in the database but without a report to read: listed, not dropped.
  for (const partner of partners) {
    if (partner.standing === 'accepted' && !seen.has(partner.number)) {
      unreadable.push({ number: partner.number, organisation: partner.organisation, standing: 'accepted', unreadable: true });
    }
  }
  await flush();
  await input.sink.close();

  const missing: MissingReport[] = partners
    .filter((p) => !included.has(p.number))
    .map((p) => unreadable.find((u) => u.number === p.number) ?? { number: p.number, organisation: p.organisation, standing: p.standing });
  // Figures in accession order too, whatever order the reports arrived in (sort is stable).
  indicatorFigures.sort((a, b) => (rank.get(a.number) ?? 0) - (rank.get(b.number) ?? 0));
  const partnerFigures = partners.map(toPartnerFigures);
  const statistics = computeStatistics(partnerFigures, indicatorFigures);
  const texts = fillReportTexts(input.texts, { year: input.year, partnerCount: partners.length });
  const thisYear = tally.summary();
  const indicatorYears = await indicatorYearsSection([
    ...(input.earlierIndicatorYears ?? []).filter((y) => y.year < input.year),
    ...(thisYear.partnersReporting > 0 ? [thisYear] : []),
  ]);
  return {
    year: input.year,
    asOf: input.asOf,
    ...texts,
    overview: {
      caption: 'Übersicht der Partner in der Reihenfolge ihres Beitritts',
      rows: partners.map((p) => ({
        number: p.number,
        organisation: p.organisation,
        memberCities: p.memberCities,
        accessionDate: p.accessionDate,
        reportIncluded: included.has(p.number),
      })),
    },
    missing,
    chapters: input.sink.source,
    statistics,
    statisticsTables: [...(input.cycleStatistics?.tables ?? []), ...indicatorYears.tables],
    statisticsFigures: [...(input.cycleStatistics?.figures ?? []), ...indicatorYears.figures],
    partnerFigures,
    indicatorFigures,
    charts: [...(await statisticsCharts(statistics)), ...(input.cycleStatistics?.charts ?? []), ...indicatorYears.charts],
  };
}

function toPartnerFigures(partner: PartnerOfCycle): PartnerFigures {
  const submitted = partner.firstSubmittedAt;
  const onTime =
    submitted === undefined || partner.dueAt === undefined ? undefined : Date.parse(submitted) <= Date.parse(partner.dueAt);
  return {
    number: partner.number,
    organisation: partner.organisation,
    standing: partner.standing,
    firstSubmittedAt: stated(submitted),
    dueAt: stated(partner.dueAt),
    onTime: stated(onTime),
    remindersSent: partner.remindersSent,
    escalationLevel: partner.escalationLevel,
  };
}

export function computeStatistics(partners: PartnerFigures[], indicators: IndicatorFigure[]): Statistics {
  const count = (predicate: (p: PartnerFigures) => boolean) => partners.filter(predicate).length;
  const submitted = count((p) => p.firstSubmittedAt.stated);
  const levels = new Map<number, number>();
  for (const p of partners) levels.set(p.escalationLevel, (levels.get(p.escalationLevel) ?? 0) + 1);
  const categories = new Map<string, { stated: number; notStated: number }>();
  for (const figure of indicators) {
    const entry = categories.get(figure.category) ?? { stated: 0, notStated: 0 };
    if (figure.valueText.stated || figure.value.stated) entry.stated += 1;
    else entry.notStated += 1;
    categories.set(figure.category, entry);
  }
  return {
    partners: partners.length,
    submitted: { count: submitted, of: partners.length },
    accepted: { count: count((p) => p.standing === 'accepted'), of: partners.length },
    onTime: { count: count((p) => p.onTime.stated && p.onTime.value), of: count((p) => p.onTime.stated) },
    remindersSent: partners.reduce((sum, p) => sum + p.remindersSent, 0),
    partnersReminded: { count: count((p) => p.remindersSent > 0), of: partners.length },
    partnersEscalated: { count: count((p) => p.escalationLevel > 0), of: partners.length },
    escalationLevels: [...levels].sort(([a], [b]) => a - b).map(([level, n]) => ({ level, partners: n })),
    standings: reportStandings
      .map((standing) => ({ standing, partners: count((p) => p.standing === standing) }))
      .filter((s) => s.partners > 0),
    indicators: [...categories].sort(([a], [b]) => a.localeCompare(b, 'de')).map(([category, n]) => ({ category, ...n })),
  };
}

async function* toAsync<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}
