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

/**
 * Renders every format of the compiled report into `dir`, one after the other, so only one
 * renderer's working set is in memory at a time; PDF and DOCX one volume at a time. Returns the files with size and checksum.
 */
export async function renderAllFormats(
  report: CompiledReport,
  dir: string,
  opts: { createdAt: Date; chaptersPerVolume?: number },
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

  for await (const volume of volumesOf(report, opts.chaptersPerVolume ?? defaultChaptersPerVolume)) {
    await binary('pdf', volumeFileName(base, 'pdf', volume), () => renderPdf(report, volume, opts));
  }
  for await (const volume of volumesOf(report, opts.chaptersPerVolume ?? defaultChaptersPerVolume)) {
    await binary('docx', volumeFileName(base, 'docx', volume), () => renderDocx(report, volume));
  }
  await text('html', `${base}.html`, (out) => renderHtml(report, out));
  const chartFile = (id: string) => `${base}-abbildung-${id}.svg`;
  for (const chart of report.charts) await binary('svg', chartFile(chart.id), async () => Buffer.from(chart.svg));
  await text('md', `${base}.md`, (out) => renderMarkdown(report, out, chartFile));
  await text('json', `${base}-zahlen.json`, (out) => renderJson(report, out));
  const tables = figureTables(report);
  await renderXlsx(tables, join(dir, `${base}-zahlen.xlsx`));
  written.push({ format: 'xlsx', fileName: `${base}-zahlen.xlsx` });
  for (const table of tables) {
    const fileName = `${base}-zahlen-${table.id}.csv`;
    await renderCsv(table, join(dir, fileName));
    written.push({ format: 'csv', fileName });
  }
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
