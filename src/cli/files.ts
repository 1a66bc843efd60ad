/** Files the CLI reads: each problem is one line naming the file and the reason. */
import { readFile } from 'node:fs/promises';
import { formatIssues } from '../domain/issues';
import { reportingPolicySchema, type ReportingPolicy } from '../domain/policy';
import { CliError } from './output';

/**
 * How deeply a JSON file may nest. Our files (reports, partners, policies) need fewer than ten
 * levels; the limit refuses a pathological file with a reason before any schema walks it.
 */
export const maxJsonDepth = 64;

/**
 * The file's text, refused when it is not valid UTF-8: a lenient decoder would store U+FFFD in
 * place of what the author wrote, and nobody would notice until the text is read back.
 */
export async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new CliError([`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError([`${file}: is not valid UTF-8 (byte ${firstInvalidByte(bytes)})`]);
  }
}

/**
 * The offset (from 0) of the byte at which decoding fails. A streaming decoder keeps an unfinished
 * sequence at the end of a prefix for later, so "this prefix decodes" only turns false once the
 * prefix reaches the offending byte: a binary search finds it.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  const decodes = (length: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let good = 0; // a prefix of this length decodes
  let bad = bytes.length; // the whole file does not
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (decodes(middle)) good = middle;
    else bad = middle;
  }
  return bad - 1;
}

/** JSON text parsed, refused with one line when it is not JSON or nests deeper than `maxJsonDepth`. */
export function parseJsonText(file: string, text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The engine's parser may run out of stack on extreme nesting before our own check could run.
    if (error instanceof RangeError) throw new JsonTooDeepError(file);
    throw new CliError([`${file}: is not valid JSON (${(error as Error).message})`]);
  }
  if (nestsDeeperThan(value, maxJsonDepth)) throw new JsonTooDeepError(file);
  return value;
}

export async function readJson(file: string): Promise<unknown> {
  return parseJsonText(file, await readText(file));
}

/** Its own class, so that a caller that leaves other JSON problems to a later step can still refuse this one. */
export class JsonTooDeepError extends CliError {
  constructor(file: string) {
    super([`${file}: nested deeper than ${maxJsonDepth} levels`]);
  }
}

/** Without recursion, so that the check itself cannot overflow the stack it protects. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > limit) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth });
  }
  return false;
}

/** A reporting policy file, refused with "path (step): reason" lines if it cannot work. */
export async function readPolicy(file: string): Promise<ReportingPolicy> {
  const parsed = reportingPolicySchema.safeParse(await readJson(file));
  if (!parsed.success) throw new CliError([`${file} is not a valid policy:`, ...formatIssues(parsed.error).map((l) => `  ${l}`)]);
  return parsed.data;
}
