import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Type-aware linting starts a TypeScript program: slow, so one ESLint instance for the file.
const eslint = new ESLint();

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
});
