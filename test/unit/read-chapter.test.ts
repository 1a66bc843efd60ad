import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileReport, fileChapterSink, memoryChapterSink, type PartnerOfCycle } from '../../src/documents/compile';
import type { PartnerChapter } from '../../src/documents/model';
import { htmlChapter } from '../../src/documents/render/html';
import { markdownChapter } from '../../src/documents/render/markdown';
import { localChapterReader, renderChapters, type ChapterReader } from '../../src/documents/read-chapter';
import { loadReportTexts } from '../../src/documents/texts';

const fixture = async (name: string) => readFile(new URL(`../fixtures/reports/${name}`, import.meta.url), 'utf8');

const partner = (number: number, organisation: string, accessionDate: string, standing: PartnerOfCycle['standing'] = 'accepted'): PartnerOfCycle => ({
  number,
  organisation,
  memberCities: [],
  accessionDate,
  reportHeading: `Bericht: ${organisation}`,
  standing,
  firstSubmittedAt: '2018-03-01T08:00:00.000Z',
  dueAt: '2018-03-31T22:00:00.000Z',
  remindersSent: 0,
  escalationLevel: 0,
});

/** Reads batches as a render thread does, answering the batches out of order (a later batch may finish first). */
function threadLikeReader(batchSize: number): ChapterReader & { batches: number[][] } {
  const batches: number[][] = [];
  let delay = 3;
  return {
    batches,
    batchSize,
    batchesAtOnce: 3,
    read: async (batch) => {
      batches.push(batch.map((r) => r.number));
      delay = delay === 0 ? 3 : delay - 1;
      await new Promise((resolve) => setTimeout(resolve, delay));
      // Across a thread boundary: only what structured cloning keeps.
      return structuredClone(renderChapters(batch));
    },
  };
}

describe('reading accepted reports into chapters on a render thread', () => {
  let lippe: string;
  beforeAll(async () => {
    lippe = await fixture('02-kreis-lippe.json');
  });

  it('gives the spool line, HTML and Markdown the model chapter would give, and the same figures', async () => {
    const who = { number: 2, organisation: 'Kreis Lippe', heading: 'Bericht des Kreises Lippe' };
    const [rendered] = renderChapters([{ ...who, contentJson: lippe }]);
    const [local] = await localChapterReader.read([{ ...who, content: JSON.parse(lippe) as unknown }]);
    if (!rendered || !local || !('rendered' in rendered.out) || !('chapter' in local.out)) throw new Error('both reports should read');
    const chapter: PartnerChapter = local.out.chapter;
    expect(chapter.blocks.length).toBeGreaterThan(5);
    expect(rendered.out.rendered.json).toBe(JSON.stringify(chapter));
    expect(rendered.out.rendered.html).toBe(htmlChapter(chapter));
    expect(rendered.out.rendered.markdown).toBe(markdownChapter(chapter));
    expect(rendered.figures).toEqual(local.figures);
    expect(rendered.figureRows).toEqual(local.figureRows);
  });

  it('reads content that is no JSON, or no report, as unreadable', () => {
    const who = { organisation: 'Verdorben e.V.', heading: 'Bericht: Verdorben e.V.' };
    expect(renderChapters([{ number: 1, ...who, contentJson: '{"narrative": ' }, { number: 2, ...who, contentJson: '{"narrative": "kein Bericht"}' }])).toEqual([
      undefined,
      undefined,
    ]);
  });
});

describe('compiling with the reports read in batches', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'read-chapter-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the same chapters, figures and missing list as reading one report at a time, whatever order the batches finish in', async () => {
    const lippe = await fixture('02-kreis-lippe.json');
    const duisburg = await fixture('04-stadt-duisburg.json');
    const partners = Array.from({ length: 23 }, (_, i) => partner(i + 1, `Partner ${i + 1}`, `2015-01-${String(23 - i).padStart(2, '0')}`, i % 7 === 3 ? 'overdue' : 'accepted'));
    // Accession order is the reverse of the numbers; the reports arrive in number order, one of them unreadable, one without a report.
    const reports = partners
      .filter((p) => p.number !== 12)
      .map((p) => ({ number: p.number, contentJson: p.number === 5 ? '{"narrative": "kein Bericht"}' : p.number % 2 === 0 ? lippe : duisburg }));
    const compile = async (reader: ChapterReader | undefined, name: string) => {
      const bodies = { html: join(dir, `${name}.html`), markdown: join(dir, `${name}.md`) };
      const spool = join(dir, `${name}.jsonl`);
      const report = await compileReport({ year: 2018, asOf: '2018-09-30', texts: loadReportTexts(), partners, reports, sink: fileChapterSink(spool, bodies), reader });
      const read = async (path: string) => readFile(path, 'utf8');
      return { report, spool: await read(spool), html: await read(bodies.html), markdown: await read(bodies.markdown) };
    };
    const threads = threadLikeReader(4);
    const batched = await compile(threads, 'batched');
    const oneByOne = await compile(undefined, 'one-by-one');

    expect(threads.batches.length).toBeGreaterThan(3);
    expect(batched.spool).toBe(oneByOne.spool);
    expect(batched.html).toBe(oneByOne.html);
    expect(batched.markdown).toBe(oneByOne.markdown);
    expect(batched.report.missing).toEqual(oneByOne.report.missing);
    expect(batched.report.missing.filter((m) => m.unreadable).map((m) => m.number)).toEqual([12, 5]);
    expect(batched.report.indicatorFigures).toEqual(oneByOne.report.indicatorFigures);
    expect(batched.report.statisticsTables).toEqual(oneByOne.report.statisticsTables);
    // Chapters in accession order: partner 23 joined first.
    const numbers = batched.spool.trim().split('\n').map((line) => (JSON.parse(line) as PartnerChapter).number);
    expect(numbers[0]).toBe(23);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(batched.html).toBe(numbers.map((n) => htmlChapter(JSON.parse(batched.spool.split('\n')[numbers.indexOf(n)] as string) as PartnerChapter)).join(''));

    const memory = memoryChapterSink();
    await compileReport({ year: 2018, asOf: '2018-09-30', texts: loadReportTexts(), partners, reports, sink: memory, reader: threadLikeReader(5) });
    const chapters: PartnerChapter[] = [];
    for await (const chapter of memory.source()) chapters.push(chapter);
    expect(chapters.map((c) => JSON.stringify(c)).join('\n')).toBe(batched.spool.trim());
  });
});
