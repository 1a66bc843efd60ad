/** Printing helpers shared by the CLI commands: aligned tables for people, JSON for scripts. */
import { DateTime } from 'luxon';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * A moment as people at the ministry read it: 'YYYY-MM-DD HH:mm (EEE)' in `timezone` (the
 * configured DEFAULT_TIMEZONE), the shape `report preview` prints. Tables use this; `--json` keeps
 * ISO-8601 in UTC. The locale is fixed so output never depends on the machine.
 */
export function formatMoment(moment: Date | string | null | undefined, timezone: string): string {
  if (moment === null || moment === undefined || moment === '') return '';
  const instant = typeof moment === 'string' ? DateTime.fromISO(moment, { setZone: true }) : DateTime.fromJSDate(moment);
  if (!instant.isValid) return String(moment);
  return instant.setZone(timezone).setLocale('en').toFormat('yyyy-MM-dd HH:mm (EEE)');
}

export function formatTable(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (value: unknown) => (value === undefined || value === null ? '' : String(value));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (values: string[]) => values.map((value, i) => value.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((row) => line(columns.map((c) => cell(row[c]))))].join(
    '\n',
  );
}

export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  process.stdout.write(`${rows.length === 0 ? '(none)' : formatTable(rows, columns)}\n`);
}

/** An error the CLI reports as plain lines (no stack), e.g. field errors of a bad file. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly lines: string[],
    readonly exitCode = 1,
  ) {
    super(lines.join('\n'));
  }
}
