import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { CompiledReport } from '../model';
import type { FigureTable } from './figures';
import type { TextFile } from './text-file';

/** One CSV file per table (RFC 4180, UTF-8 with BOM so spreadsheet programs read the umlauts), streamed row by row. */
export async function renderCsv(table: FigureTable, path: string): Promise<void> {
  await pipeline(Readable.from(table.rows()), stringify({ header: true, columns: table.columns, bom: true }), createWriteStream(path));
}

/** One workbook, a sheet per table, written by exceljs' streaming writer: each row is committed and leaves memory. */
export async function renderXlsx(tables: FigureTable[], path: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true });
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.title);
    sheet.columns = table.columns.map((header) => ({ header, width: Math.max(12, header.length + 2) }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for (const row of table.rows()) sheet.addRow(row).commit();
    sheet.commit();
  }
  await workbook.commit();
}

/** The model's figures as JSON; "not stated" stays `{ "stated": false }`, never null or 0. Written element by element. */
export async function renderJson(report: CompiledReport, out: TextFile): Promise<void> {
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
