/** The `partnerflow` command line run as a person would, against a running dev stack. */
import type { RunningStack } from '../../src/dev/stack';
import { runPartnerflow, type CliResult } from './cli';

/** Runs `partnerflow ...` against the stack; resolves with exit code and output, never throws. */
export function partnerflowOn(stack: RunningStack, ...args: string[]): Promise<CliResult> {
  const { config } = stack;
  return runPartnerflow(args, {
    DATABASE_URL: config.database.url,
    TEMPORAL_ADDRESS: config.temporal.address,
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    SMTP_URL: config.smtp.url,
    // The CLI logs what it asks of Temporal on stderr at info; these tests expect warnings and errors there only.
    LOG_LEVEL: 'warn',
  });
}

/** The mail the stack's mail catcher holds, newest last. */
export async function caughtMailOf(stack: RunningStack): Promise<{ envelope: { to: string[] }; subject: string }[]> {
  const response = await fetch(`${stack.urls.mailViewer}/messages.json`);
  return (await response.json()) as { envelope: { to: string[] }; subject: string }[];
}

/** Probes until `accept` holds or the time is up; returns the last value either way. */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
