import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Type-aware linting starts a TypeScript program: slow, so one ESLint instance for the file.
const eslint = new ESLint();

/**
 * Lints `lines` as if they were the file at `filePath` (an existing file, so the type-aware parser
 * knows it) and returns its problems as "line rule-id".
 */
async function problemsOf(filePath: string, lines: string[]): Promise<string[] | undefined> {
  const [result] = await eslint.lintText(lines.join('\n'), { filePath });
  return result?.messages.map((m) => `${m.line} ${m.ruleId ?? m.message}`);
}

const restricted = '@typescript-eslint/no-restricted-imports';

describe('the determinism lint (eslint.config.js)', () => {
  it('passes on the workflows and the domain code they import', async () => {
    const results = await eslint.lintFiles(['workflows', 'src/domain']);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}: ${m.message}`));
    expect(problems).toEqual([]);
  }, 120_000);

  it('rejects Node APIs, activity implementations, Math.random and floating promises in workflow code', async () => {
    const probe = [
      "import { readFileSync } from 'node:fs';",
      "import path from 'path';",
      "import { createActivities } from '../activities';",
      "import type { ActivityDeps } from '../activities/deps';",
      "import { sleep } from '@temporalio/workflow';",
      'export async function probe(deps: ActivityDeps): Promise<unknown> {',
      "  sleep('1 day');",
      '  await sleep(1);',
      '  return [readFileSync, path, createActivities, deps, Math.random(), Date.now(), process.env];',
      '}',
    ].join('\n');
    // Linted as if it were a file of workflows/ (an existing one, so the type-aware parser knows it).
    const [result] = await eslint.lintText(probe, { filePath: 'workflows/index.ts' });
    expect(result?.messages.map((m) => `${m.line} ${m.ruleId}`)).toEqual([
      '1 @typescript-eslint/no-restricted-imports',
      '2 @typescript-eslint/no-restricted-imports',
      '3 @typescript-eslint/no-restricted-imports',
      '7 @typescript-eslint/no-floating-promises',
      '9 no-restricted-properties',
      '9 no-restricted-globals',
    ]);
  }, 120_000);

  it('keeps workflow code out of src/db, temporal, email, config, cli and dev, relative paths and types included', async () => {
    const problems = await problemsOf('workflows/index.ts', [
      "import { createDb } from '../src/db/client';",
      "import { connectClient } from '../src/temporal/client';",
      "import { renderNotice } from '../src/email/render';",
      "import { loadConfig } from '../src/config';",
      "import { registerReportCommands } from '../src/cli/report';",
      "import { prefixedLog } from '../src/dev/log';",
      "import type { Database } from '../src/db/client';",
      "import { nextAllowedMoment } from '../src/domain/calendar';",
      "import type { createActivities } from '../activities';",
      'export const probe = [createDb, connectClient, renderNotice, loadConfig, registerReportCommands, prefixedLog, nextAllowedMoment];',
      'export type Probe = [Database, typeof createActivities];',
    ]);
    expect(problems).toEqual([1, 2, 3, 4, 5, 6, 7].map((line) => `${line} ${restricted}`));
  }, 120_000);

  it('holds workflows/contracts and test/fixtures/workflows to the same layering', async () => {
    expect(
      await problemsOf('workflows/contracts/deadline.ts', [
        "import type { DeadlinePolicy } from '../../src/domain/policy';",
        "import type { Config } from '../../src/config.ts';",
        'export type Probe = [DeadlinePolicy, Config];',
      ]),
    ).toEqual([`2 ${restricted}`]);
    expect(
      await problemsOf('test/fixtures/workflows/thirty-day-timer.ts', [
        "import type { createActivities } from '../../../activities';",
        "import { createDb } from '../../../src/db/client';",
        'export const probe = [createDb] as const;',
        'export type Probe = typeof createActivities;',
      ]),
    ).toEqual([`2 ${restricted}`]);
  }, 120_000);

  it('keeps src/domain free of I/O: db, email, temporal, config, activities, Node APIs, I/O packages', async () => {
    const problems = await problemsOf('src/domain/policy.ts', [
      "import { createDb } from '../db/client';",
      "import { renderNotice } from '../email/render';",
      "import { connectClient } from '../temporal/client';",
      "import { readFileSync } from 'node:fs';",
      "import { createServer } from 'net';",
      "import type { Config } from '../config';",
      "import type { createActivities } from '../../activities';",
      "import { pgTable } from 'drizzle-orm/pg-core';",
      "import { Client } from '@temporalio/client';",
      "import { addWorkingDays } from './calendar';",
      'export const probe = [createDb, renderNotice, connectClient, readFileSync, createServer, pgTable, Client, addWorkingDays];',
      'export type Probe = [Config, typeof createActivities];',
    ]);
    expect(problems).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((line) => `${line} ${restricted}`));
  }, 120_000);

  it('lets the legitimate imports through, including look-alike names of the restricted folders', async () => {
    expect(
      await problemsOf('src/domain/policy.ts', [
        "import { addWorkingDays } from './calendar';",
        "import { formatIssues } from './issues';",
        // Domain modules whose names merely start like a restricted folder.
        "import { parseEmailAddress } from './email-address';",
        "import type { DbRow } from './db-types';",
        "import { z } from 'zod';",
        "import { DateTime } from 'luxon';",
        'export const probe = [addWorkingDays, formatIssues, parseEmailAddress, z, DateTime];',
        'export type Probe = DbRow;',
      ]),
    ).toEqual([]);
    expect(
      await problemsOf('workflows/index.ts', [
        "import { proxyActivities } from '@temporalio/workflow';",
        "import type { createActivities } from '../activities';",
        "import type { ReportingContext } from '../activities/reporting';",
        "import { sendingCalendarOf } from '../src/domain/policy';",
        "import { parseEmailAddress } from '../src/domain/email-address';",
        "import { EscalationLevel } from './contracts/search-attributes';",
        'export const probe = [proxyActivities, sendingCalendarOf, parseEmailAddress, EscalationLevel];',
        'export type Probe = [typeof createActivities, ReportingContext];',
      ]),
    ).toEqual([]);
  }, 120_000);
});
