import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { figureTables, type FigureTable, type ReportFigures } from './figures';
import { openTextFile, type TextFile } from './text-file';

/** One CSV file per table (RFC 4180, UTF-8 with BOM so spreadsheet programs read the umlauts), streamed row by row. */
export async function renderCsv(table: FigureTable, path: string): Promise<void> {
  await pipeline(Readable.from(table.rows()), stringify({ header: true, columns: table.columns, bom: true }), createWriteStream(path));
}

/**
 * One workbook, a sheet per table, written by exceljs' streaming writer: each row is committed and
 * leaves memory. Without cell styles: exceljs then registers no style per cell, which halved the
 * workbook's time; the header row is frozen instead of bold, so it stays in view while scrolling.
 */
export async function renderXlsx(tables: FigureTable[], path: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: false });
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.title, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.columns.map((header) => ({ header, width: Math.max(12, header.length + 2) }));
    sheet.getRow(1).commit();
    for (const row of table.rows()) sheet.addRow(row).commit();
    sheet.commit();
  }
  await workbook.commit();
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

/** Which of the figure exports a thread writes: all, the workbook, or the JSON and the CSV files (two threads write a part each). */
export type FigureExportPart = 'all' | 'workbook' | 'text';

/** JSON, XLSX and every CSV of the figures (or the `part` of them), one after the other. */
export async function writeFigureExports(figures: ReportFigures, files: FigureFiles, part: FigureExportPart = 'all'): Promise<void> {
  if (part !== 'workbook') {
    const json = openTextFile(join(files.dir, files.json));
    try {
      await renderJson(figures, json);
    } finally {
      await json.close();
    }
  }
  const tables = figureTables(figures);
  if (part !== 'text') await renderXlsx(tables, join(files.dir, files.xlsx));
  if (part !== 'workbook') for (const table of tables) await renderCsv(table, join(files.dir, `${files.csvPrefix}${table.id}.csv`));
}
