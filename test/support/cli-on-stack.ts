/** The `partnerflow` command line run as a person would, against a running dev stack. */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { startStack, type RunningStack } from '../../src/dev/stack';
import { runPartnerflow, type CliResult } from './cli';
import { freePorts } from './ports';

export type CliStack = { stack: RunningStack; dataDir: string; stop(): Promise<void> };

/**
 * A dev stack's data folder (fresh, enterable by PostgreSQL's user) and configuration on free
 * ports; `name` names the folder and the task queue (`e2e-<name>`), so two test files share neither.
 */
export async function devStackSetup(name: string) {
  const dataDir = mkdtempSync(join(tmpdir(), `partnerflow-${name}-`));
  chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user and must enter the folder
  const [postgres, temporalPort, ui, smtp, mailWeb, web, codec] = await freePorts(7);
  const config = loadConfig({
    PARTNERFLOW_CACHE: process.env.PARTNERFLOW_CACHE,
    PARTNERFLOW_DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(postgres),
    TEMPORAL_UI_PORT: String(ui),
    MAIL_CATCHER_PORT: String(smtp),
    MAIL_CATCHER_WEB_PORT: String(mailWeb),
    CODEC_SERVER_PORT: String(codec),
    PUBLIC_BASE_URL: `http://localhost:${web}`,
    TEMPORAL_TASK_QUEUE: `e2e-${name}`,
  });
  return { dataDir, config, temporalPort };
}

/**
 * The dev stack as `npm run dev` starts it (embedded PostgreSQL, the Temporal dev server, the
 * mail catcher, the worker, the codec server), on free ports, its data in a fresh folder.
 */
export async function startCliStack(name: string): Promise<CliStack> {
  const { dataDir, config, temporalPort } = await devStackSetup(name);
  const stack = await startStack(config, { temporalPort, logFor: () => () => undefined });
  return {
    stack,
    dataDir,
    async stop() {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

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
