/** Files the CLI reads: each problem is one line naming the file and the reason. */
import { readFile } from 'node:fs/promises';
import { formatIssues } from '../domain/issues';
import { reportingPolicySchema, type ReportingPolicy } from '../domain/policy';
import { CliError } from './output';

export async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError([`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError([`${file}: is not valid JSON (${(error as Error).message})`]);
  }
}

/** A reporting policy file, refused with "path (step): reason" lines if it cannot work. */
export async function readPolicy(file: string): Promise<ReportingPolicy> {
  const parsed = reportingPolicySchema.safeParse(await readJson(file));
  if (!parsed.success) throw new CliError([`${file} is not a valid policy:`, ...formatIssues(parsed.error).map((l) => `  ${l}`)]);
  return parsed.data;
}
