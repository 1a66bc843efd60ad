import { parse as parseCsv } from 'csv-parse/sync';
import type { z } from 'zod';
import { partnerRowFields, partnerRowSchema, type PartnerRow } from './partner';

export type PartnerFile = { rows: PartnerRow[] } | { errors: string[] };

/**
 * Reads a partner import file: CSV with a header row (member cities `;`-separated in one cell) or
 * JSON (an array of partners or `{ partners: [...] }`). Pure: the caller reads the file.
 * Every bad row is reported, as "line N, field F: reason" (CSV) or "partners[i].F: reason" (JSON).
 */
export function parsePartnerFile(fileName: string, content: string): PartnerFile {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return parseCsvFile(content);
  if (lower.endsWith('.json')) return parseJsonFile(content);
  return { errors: [`${fileName}: must end in .csv or .json`] };
}

/** A row before validation, with where to point at it in messages; `problem` if it cannot even be read. */
type SourceRow = { label: (field?: string) => string; input?: unknown; problem?: string };

function parseJsonFile(content: string): PartnerFile {
  let data: unknown;
  try {
    data = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { errors: [`not valid JSON: ${(error as Error).message}`] };
  }
  const list = Array.isArray(data) ? data : isRecord(data) && Array.isArray(data.partners) ? data.partners : undefined;
  if (list === undefined) return { errors: ['must be a list of partners or an object with a "partners" list'] };
  return validate(
    list.map((input, index) => ({
      label: (field) => `partners[${index}]${field === undefined ? '' : `.${field}`}`,
      input,
    })),
  );
}

function parseCsvFile(content: string): PartnerFile {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // Line endings are unified first: the parser counts lines, and we report them.
    // The package's typings do not model `info: true`, which wraps each record with its position.
    records = parseCsv(content.replace(/\r\n?/g, '\n'), {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return { errors: [`${line === undefined ? '' : `line ${line}: `}not valid CSV: ${(error as Error).message}`] };
  }
  const rows = records
    // info.lines is the record's last line; a quoted value spanning lines moves its start up.
    .map(({ record, info }) => ({ cells: record, line: info.lines - newlines(record) }))
    .filter(({ cells }) => cells.some((cell) => cell.trim() !== ''));
  const [header, ...body] = rows;
  if (header === undefined) return { errors: ['line 1: the header row is missing'] };

  const columns = header.cells.map((cell) => cell.trim());
  const headerErrors = [
    ...columns
      .filter((column) => !(partnerRowFields as string[]).includes(column))
      .map((column) => `line ${header.line}, field ${column || '(empty)'}: unknown column`),
    ...columns
      .filter((column, index) => columns.indexOf(column) !== index)
      .map((column) => `line ${header.line}, field ${column}: column appears twice`),
    ...(['number', 'name', 'kind'] as const)
      .filter((required) => !columns.includes(required))
      .map((required) => `line ${header.line}, field ${required}: column is missing`),
  ];
  if (headerErrors.length > 0) return { errors: headerErrors };

  return validate(
    body.map(({ cells, line }) => {
      const label = (field?: string) => (field === undefined ? `line ${line}` : `line ${line}, field ${field}`);
      if (cells.length !== columns.length) {
        return { label, problem: `line ${line}: has ${cells.length} cells, the header has ${columns.length}` };
      }
      return { label, input: Object.fromEntries(columns.flatMap((column, i) => csvValue(column, cells[i] ?? ''))) };
    }),
  );
}

/** Turns a CSV cell into the JSON value the row schema expects; an empty cell means "not given". */
function csvValue(column: string, cell: string): [string, unknown][] {
  const value = cell.trim();
  if (value === '') return [];
  if (column === 'number') return [[column, /^\d+$/.test(value) ? Number(value) : value]];
  if (column === 'memberCities') {
    return [
      [
        column,
        value
          .split(';')
          .map((city) => city.trim())
          .filter((city) => city !== ''),
      ],
    ];
  }
  return [[column, value]];
}

function validate(sources: SourceRow[]): PartnerFile {
  if (sources.length === 0) return { errors: ['the file names no partners'] };
  const errors: string[] = [];
  const rows: PartnerRow[] = [];
  const firstSeen = new Map<number, string>();
  for (const source of sources) {
    if (source.problem !== undefined) {
      errors.push(source.problem);
      continue;
    }
    // Duplicates are checked on the raw number, so a bad first occurrence still reveals a second one.
    const number = isRecord(source.input) ? source.input.number : undefined;
    if (typeof number === 'number') {
      const earlier = firstSeen.get(number);
      if (earlier === undefined) firstSeen.set(number, source.label());
      else errors.push(`${source.label('number')}: partner ${number} appears twice (also ${earlier})`);
    }

    const parsed = partnerRowSchema.safeParse(source.input);
    if (parsed.success) rows.push(parsed.data);
    else errors.push(...parsed.error.issues.flatMap((issue) => describeIssue(source, issue)));
  }
  return errors.length > 0 ? { errors } : { rows };
}

function describeIssue(source: SourceRow, issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${source.label(key)}: unknown field`);
  // Only the field name matters to a person; an index into memberCities adds nothing.
  const field = issue.path.length === 0 ? undefined : String(issue.path[0]);
  return [`${source.label(field)}: ${issue.message}`];
}

function newlines(cells: string[]): number {
  return cells.reduce((count, cell) => count + (cell.match(/\n/g)?.length ?? 0), 0);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
