import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflowBundle, workflowBundleCachePath } from '../../src/temporal/workflow-bundle';

// The workflows live inside the repo so webpack finds @temporalio/workflow in its node_modules.
describe('the cached workflow bundle', () => {
  let workflowsDir: string;
  let cacheDir: string;
  let workflowsPath: string;
  const writeGreeting = (text: string) =>
    writeFileSync(join(workflowsDir, 'greeting.ts'), `export const greeting = ${JSON.stringify(text)};\n`);

  beforeAll(() => {
    mkdirSync('.cache', { recursive: true });
    workflowsDir = mkdtempSync(resolve('.cache', 'bundle-test-'));
    cacheDir = mkdtempSync(join(tmpdir(), 'partnerflow-bundle-cache-'));
    workflowsPath = join(workflowsDir, 'index.ts');
    writeFileSync(
      workflowsPath,
      "import { sleep } from '@temporalio/workflow';\nimport { greeting } from './greeting';\n" +
        'export async function greet(): Promise<string> {\n  await sleep(1);\n  return greeting;\n}\n',
    );
    writeGreeting('Guten Tag');
  });

  afterAll(() => {
    rmSync(workflowsDir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('bundles once, then loads the same code from the cache', async () => {
    const first = await loadWorkflowBundle(cacheDir, { workflowsPath });
    expect(first.source).toBe('built');
    expect(first.bundle.code).toContain('Guten Tag');
    const second = await loadWorkflowBundle(cacheDir, { workflowsPath });
    expect(second).toEqual({ source: 'cache', bundle: { code: first.bundle.code } });
  }, 60_000);

  it('bundles again when a file the workflow imports changes', async () => {
    writeGreeting('Moin');
    const changed = await loadWorkflowBundle(cacheDir, { workflowsPath });
    expect(changed.source).toBe('built');
    expect(changed.bundle.code).toContain('Moin');
    expect(changed.bundle.code).not.toContain('Guten Tag');
    expect((await loadWorkflowBundle(cacheDir, { workflowsPath })).source).toBe('cache');
  }, 60_000);

  it('still bundles, uncached, when the cache folder cannot be written', async () => {
    const notAFolder = join(cacheDir, 'a-file');
    writeFileSync(notAFolder, '');
    const warnings: string[] = [];
    const logger = { log() {}, trace() {}, debug() {}, info() {}, warn: (message: string) => void warnings.push(message), error() {} };
    const first = await loadWorkflowBundle(notAFolder, { workflowsPath, logger });
    expect(first.source).toBe('built');
    expect(first.bundle.code).toContain('Moin');
    expect(warnings).toEqual([expect.stringMatching(/^workflow bundle not cached in /)]);
    expect((await loadWorkflowBundle(notAFolder, { workflowsPath, logger })).source).toBe('built');
  }, 60_000);

  it('bundles again over a torn cache file', async () => {
    writeFileSync(workflowBundleCachePath(cacheDir, workflowsPath), '{"workflowsPath":');
    const rebuilt = await loadWorkflowBundle(cacheDir, { workflowsPath });
    expect(rebuilt.source).toBe('built');
    expect(rebuilt.bundle.code).toContain('Moin');
  }, 60_000);
});
