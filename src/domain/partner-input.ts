import { z } from 'zod';
import { formatIssues } from './issues';

/**
 * Building blocks for what partners submit (reports, declarations): bounded text and a parser
 * that turns any problem into "field: reason" lines. Pure and synchronous: it runs inside
 * Temporal Update validators.
 */

export const textLimits = {
  name: 200,
  label: 300,
  title: 600,
  unit: 100,
  ref: 1000,
  cell: 500,
  richText: 20_000,
} as const;

// PostgreSQL's jsonb refuses \u0000, and other control characters are paste accidents.
const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const lineBreak = /[\r\n\u2028\u2029]/;

type TextRules = { max: number; multiline: boolean; allowBlank: boolean };

function partnerText({ max, multiline, allowBlank }: TextRules) {
  // Verbatim: the partner's wording is stored as given, never trimmed or rewritten.
  return z.string().superRefine((value, ctx) => {
    const problem =
      !allowBlank && !/\S/.test(value)
        ? 'must not be blank'
        : controlCharacter.test(value)
          ? 'must not contain control characters'
          : !multiline && lineBreak.test(value)
            ? 'must be a single line'
            : value.length > max
              ? `must be at most ${max} characters`
              : undefined;
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** A title, label, name or caption: one non-blank line. */
export const singleLine = (max: number) => partnerText({ max, multiline: false, allowBlank: false });

/**
 * Free text in the partner's own words: paragraphs separated by an empty line,
 * list items starting with "- ".
 */
export const richText = (max: number = textLimits.richText) => partnerText({ max, multiline: true, allowBlank: false });

/** A table cell: one line, may be empty. */
export const tableCell = () => partnerText({ max: textLimits.cell, multiline: false, allowBlank: true });

export const httpUrl = z
  .url({ protocol: /^https?$/, error: (issue) => (issue.input === undefined ? 'is required' : 'must be an http(s) URL') })
  .max(textLimits.ref, `must be at most ${textLimits.ref} characters`);

export type PartnerInputResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const maxErrorLines = 50;

/**
 * Parses `input` with `schema` after checking its JSON size, so a hostile body is refused before
 * zod walks it. Errors are "field: reason" lines, at most 50 of them.
 */
export function parsePartnerInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  limits: { maxBytes: number },
): PartnerInputResult<z.output<S>> {
  const sizeProblem = checkSize(input, limits.maxBytes);
  if (sizeProblem !== undefined) return { ok: false, errors: [`(input): ${sizeProblem}`] };
  const parsed = schema.safeParse(input, { error: partnerInputMessages });
  if (parsed.success) return { ok: true, value: parsed.data };
  const lines = formatIssues(new z.ZodError(readableIssues(parsed.error.issues)));
  return {
    ok: false,
    errors:
      lines.length > maxErrorLines
        ? [...lines.slice(0, maxErrorLines), `(input): and ${lines.length - maxErrorLines} more problems`]
        : lines,
  };
}

/** UTF-8 size of the JSON form of `value`, the way Temporal will carry it. */
export function jsonByteLength(value: unknown): number {
  const json = JSON.stringify(value) as string | undefined;
  return json === undefined ? 0 : new TextEncoder().encode(json).length;
}

function checkSize(input: unknown, maxBytes: number): string | undefined {
  let bytes: number;
  try {
    bytes = jsonByteLength(input);
  } catch {
    // Cycles, BigInt or absurd nesting: nothing a JSON body can contain.
    return 'must be plain JSON data';
  }
  if (bytes <= maxBytes) return undefined;
  return `is ${Math.ceil(bytes / 1024)} KiB; must be at most ${Math.floor(maxBytes / 1024)} KiB`;
}

/** Messages for zod's built-in checks; schema-level messages (refinements) take precedence. */
const partnerInputMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${describeType(issue.expected)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${String(issue.values[0])}`
        : `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `must have at least ${String(issue.minimum)} ${Number(issue.minimum) === 1 ? 'entry' : 'entries'}`
        : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `must have at most ${String(issue.maximum)} ${Number(issue.maximum) === 1 ? 'entry' : 'entries'}`
        : issue.origin === 'string'
          ? `must be at most ${String(issue.maximum)} characters`
          : `must be at most ${String(issue.maximum)}`;
    case 'invalid_union':
      return 'options' in issue && Array.isArray(issue.options)
        ? `must be one of ${issue.options.map(String).join(', ')}`
        : undefined;
    default:
      return undefined;
  }
};

function describeType(expected: string): string {
  switch (expected) {
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'string':
      return 'text';
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    case 'boolean':
      return 'true or false';
    default:
      return expected;
  }
}

/**
 * Makes zod's issues name the field that is wrong: an unknown key becomes its own path, and a
 * union (a date as text or as an object) reports the branch the input was evidently meant for.
 */
function readableIssues(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): z.core.$ZodIssue[] {
  return issues.flatMap((issue): z.core.$ZodIssue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ code: 'custom', path: [...path, key], message: 'unknown field', input: undefined }));
    }
    if (issue.code === 'invalid_union') {
      const intended = intendedBranch(issue.errors);
      if (intended !== undefined) return readableIssues(intended, path);
    }
    return [{ ...issue, path }];
  });
}

function intendedBranch(branches: z.core.$ZodIssue[][]): z.core.$ZodIssue[] | undefined {
  // 2: the input is not of this branch's type at all; 1: right type, but not an allowed value;
  // 0: the branch fits except deeper down. The best-fitting branch, if only one, names the problem.
  const rank = (branch: z.core.$ZodIssue[]): number => {
    const atRoot = branch.filter((issue) => issue.path.length === 0);
    if (atRoot.some((issue) => issue.code === 'invalid_type' || issue.code === 'unrecognized_keys')) return 2;
    return atRoot.some((issue) => issue.code === 'invalid_value' || issue.code === 'invalid_union') ? 1 : 0;
  };
  const ranks = branches.map(rank);
  const best = Math.min(...ranks);
  if (best === 2) return undefined;
  const fitting = branches.filter((_, index) => ranks[index] === best);
  return fitting.length === 1 ? fitting[0] : undefined;
}
