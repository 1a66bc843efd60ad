import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompiledReport } from '../model';
import { renderDocx } from './docx';
import { renderCsv, renderJson, renderXlsx } from './exports';
import { figureTables } from './figures';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { renderPdf } from './pdf';
import { openTextFile, type TextFile } from './text-file';
import { defaultChaptersPerVolume, volumeFileName, volumesOf } from './volumes';

export const artefactFormats = ['pdf', 'docx', 'html', 'md', 'svg', 'json', 'xlsx', 'csv'] as const;
export type ArtefactFormat = (typeof artefactFormats)[number];
export type Artefact = { format: ArtefactFormat; fileName: string; bytes: number; sha256: string };
/** One format done, with how long it took: what benchmarks and progress reports read. */
export type RenderStep = { format: ArtefactFormat; seconds: number; files: number };

/**
 * Renders every format of the compiled report into `dir`, one after the other, so only one
 * renderer's working set is in memory at a time; PDF and DOCX one volume at a time. Returns the files with size and checksum.
 */
export async function renderAllFormats(
  report: CompiledReport,
  dir: string,
  opts: { createdAt: Date; chaptersPerVolume?: number; onStep?: (step: RenderStep) => void },
): Promise<Artefact[]> {
  const base = `jahresbericht-${report.year}`;
  const written: { format: ArtefactFormat; fileName: string }[] = [];
  const text = async (format: ArtefactFormat, fileName: string, render: (out: TextFile) => Promise<void>) => {
    const out = openTextFile(join(dir, fileName));
    try {
      await render(out);
    } finally {
      await out.close();
    }
    written.push({ format, fileName });
  };
  const binary = async (format: ArtefactFormat, fileName: string, render: () => Promise<Buffer>) => {
    await writeFile(join(dir, fileName), await render());
    written.push({ format, fileName });
  };

  const timed = async (format: ArtefactFormat, render: () => Promise<void>) => {
    const started = performance.now();
    const before = written.length;
    await render();
    opts.onStep?.({ format, seconds: (performance.now() - started) / 1000, files: written.length - before });
  };
  const chaptersPerVolume = opts.chaptersPerVolume ?? defaultChaptersPerVolume;
  await timed('pdf', async () => {
    for await (const volume of volumesOf(report, chaptersPerVolume)) {
      await binary('pdf', volumeFileName(base, 'pdf', volume), () => renderPdf(report, volume, opts));
    }
  });
  await timed('docx', async () => {
    for await (const volume of volumesOf(report, chaptersPerVolume)) {
      await binary('docx', volumeFileName(base, 'docx', volume), () => renderDocx(report, volume));
    }
  });
  await timed('html', () => text('html', `${base}.html`, (out) => renderHtml(report, out)));
  const chartFile = (id: string) => `${base}-abbildung-${id}.svg`;
  await timed('svg', async () => {
    for (const chart of report.charts) await binary('svg', chartFile(chart.id), async () => Buffer.from(chart.svg));
  });
  await timed('md', () => text('md', `${base}.md`, (out) => renderMarkdown(report, out, chartFile)));
  await timed('json', () => text('json', `${base}-zahlen.json`, (out) => renderJson(report, out)));
  const tables = figureTables(report);
  await timed('xlsx', async () => {
    await renderXlsx(tables, join(dir, `${base}-zahlen.xlsx`));
    written.push({ format: 'xlsx', fileName: `${base}-zahlen.xlsx` });
  });
  await timed('csv', async () => {
    for (const table of tables) {
      const fileName = `${base}-zahlen-${table.id}.csv`;
      await renderCsv(table, join(dir, fileName));
      written.push({ format: 'csv', fileName });
    }
  });
  return Promise.all(
    written.map(async ({ format, fileName }) => {
      const path = join(dir, fileName);
      return { format, fileName, bytes: (await stat(path)).size, sha256: await sha256File(path) };
    }),
  );
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
