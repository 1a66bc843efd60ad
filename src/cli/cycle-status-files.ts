/**
 * `cycle status` as files for staff who filter and sort in a spreadsheet: one flat row per
 * partner, the same columns in CSV and XLSX; moments stay ISO-8601 in UTC, as in --json.
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { CycleStatus } from '../db/queries/cycle-status';

export const cycleStatusColumns = [
  'partner',
  'name',
  'phase',
  'dueDate',
  'dueAt',
  'escalationLevel',
  'versions',
  'lastEmailTemplate',
  'lastEmailStatus',
  'lastEmailPossibleDuplicate',
  'lastEmailSentAt',
] as const;

export type CycleStatusFileRow = Record<(typeof cycleStatusColumns)[number], string | number | boolean>;

/** Empty cells where nothing is known (no report yet, no email yet): never a made-up value. */
export function cycleStatusFileRows(status: CycleStatus): CycleStatusFileRow[] {
  return status.rows.map((row) => ({
    partner: row.partner,
    name: row.name,
    phase: row.phase,
    dueDate: row.dueDate,
    dueAt: row.dueAt ?? '',
    escalationLevel: row.escalationLevel,
    versions: row.versions,
    lastEmailTemplate: row.lastEmail?.template ?? '',
    lastEmailStatus: row.lastEmail?.status ?? '',
    lastEmailPossibleDuplicate: row.lastEmail ? row.lastEmail.possibleDuplicate : '',
    lastEmailSentAt: row.lastEmail?.sentAt ?? '',
  }));
}

export function cycleStatusCsv(status: CycleStatus): string {
  return stringify(cycleStatusFileRows(status), { header: true, columns: [...cycleStatusColumns], cast: { boolean: String } });
}

/** Two sheets: the partners, and the counts per phase and escalation level. */
export async function writeCycleStatusXlsx(status: CycleStatus, file: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const partners = workbook.addWorksheet(`Partners ${status.year}`);
  partners.columns = cycleStatusColumns.map((key) => ({ header: key, key, width: key === 'name' ? 40 : 18 }));
  partners.addRows(cycleStatusFileRows(status));
  partners.views = [{ state: 'frozen', ySplit: 1 }];
  const counts = workbook.addWorksheet('Counts');
  counts.columns = [
    { header: 'count', key: 'count', width: 22 },
    { header: 'value', key: 'value', width: 22 },
    { header: 'partners', key: 'partners', width: 10 },
  ];
  counts.addRows(Object.entries(status.phases).map(([value, partners]) => ({ count: 'phase', value, partners })));
  counts.addRows(status.escalationLevels.map(({ level, partners }) => ({ count: 'escalation level', value: level, partners })));
  await workbook.xlsx.writeFile(file);
}
