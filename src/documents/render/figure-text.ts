/**
 * The figure exports that are text: the JSON and one CSV per table. Apart from the workbook
 * (exports.ts), so the compiling thread can write them without loading exceljs.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { figureTables, type FigureTable, type ReportFigures } from './figures';
import { openTextFile, type TextFile } from './text-file';

/** One CSV file per table (RFC 4180, UTF-8 with BOM so spreadsheet programs read the umlauts), streamed row by row. */
export async function renderCsv(table: FigureTable, path: string): Promise<void> {
  await pipeline(Readable.from(table.rows()), stringify({ header: true, columns: table.columns, bom: true }), createWriteStream(path));
}

/** The model's figures as JSON; "not stated" stays `{ "stated": false }`, never null or 0. Written element by element. */
export async function renderJson(report: ReportFigures, out: TextFile): Promise<void> {
  const head = { year: report.year, asOf: report.asOf, statistics: report.statistics, statisticsFigures: report.statisticsFigures, missing: report.missing };
  await out.write(`${JSON.stringify(head).slice(0, -1)},"partners":[`);
  let first = true;
  for (const p of report.partnerFigures) {
    await out.write(`${first ? '' : ','}\n${JSON.stringify(p)}`);
    first = false;
  }
  await out.write(`\n],"indicators":[`);
  first = true;
  for (const f of report.indicatorFigures) {
    await out.write(`${first ? '' : ','}\n${JSON.stringify(f)}`);
    first = false;
  }
  await out.write(`\n]}\n`);
}

/** Where the figure exports go: the workbook, the JSON, and one CSV per table, named `<csvPrefix><table id>.csv`. */
export type FigureFiles = { dir: string; xlsx: string; json: string; csvPrefix: string };

/** The JSON and every CSV of the figures, one after the other. */
export async function writeFigureText(figures: ReportFigures, files: FigureFiles): Promise<void> {
  const json = openTextFile(join(files.dir, files.json));
  try {
    await renderJson(figures, json);
  } finally {
    await json.close();
  }
  for (const table of figureTables(figures)) await renderCsv(table, join(files.dir, `${files.csvPrefix}${table.id}.csv`));
}
