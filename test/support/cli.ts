/** The built `partnerflow` command line, run as a person would: one runner for every test of it. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type CliResult = { code: number; stdout: string; stderr: string };

/**
 * Runs `partnerflow ...args` with PATH, HOME and `env` as its whole environment, so the config it
 * loads is what the test gave it; resolves with exit code and output, never throws.
 */
export async function runPartnerflow(args: string[], env: NodeJS.ProcessEnv, { maxBuffer }: { maxBuffer?: number } = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run('node', ['bin/partnerflow.js', ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      timeout: 60_000,
      ...(maxBuffer !== undefined && { maxBuffer }),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}
