import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { writeFigureText, type FigureFiles } from './figure-text';
import { figureTables, type FigureTable, type ReportFigures } from './figures';

export type { FigureFiles } from './figure-text';

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

/** Which of the figure exports a thread writes: all, the workbook, or the JSON and the CSV files (two threads write a part each). */
export type FigureExportPart = 'all' | 'workbook' | 'text';

/** JSON, XLSX and every CSV of the figures (or the `part` of them), one after the other. */
export async function writeFigureExports(figures: ReportFigures, files: FigureFiles, part: FigureExportPart = 'all'): Promise<void> {
  if (part !== 'workbook') await writeFigureText(figures, files);
  if (part !== 'text') await renderXlsx(figureTables(figures), join(files.dir, files.xlsx));
}
