import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type Logger } from '@temporalio/worker';
import { z } from 'zod';
import { failureConverterPath } from './data-converter';

/**
 * The workflow bundle, built once and kept in the cache folder. Bundling takes seconds of webpack;
 * a worker that loads the cached bundle polls within a second or two of its start. The cache entry
 * lists every file webpack read (from the bundle's source map) with its content hash, so any change
 * to a workflow, to what it imports, or to an installed package makes the next start bundle anew.
 */

/** The workflows the worker runs (webpack bundles them, through the SDK). */
export const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

/**
 * Modules loaded once per worker thread and shared by every workflow. Otherwise the SDK's reused
 * V8 context instantiates every module anew for each workflow it caches. The SDK freezes what a
 * preloaded module exports, so only modules that never store into what they export qualify:
 * luxon (through workflows/preload.ts, which imports it the way the workflows do), the generated
 * holiday table and the plain data of notice families and report phases. zod does not: it builds
 * members and rewrites its parsers on a schema's first use, which a frozen schema refuses, so the
 * schemas stay per workflow, except the report's: workflows/report-submission.ts keeps the one the
 * thread's first submission built, out of the freeze's reach.
 */
// From the repository root (two folders up), as the compiled CLI in dist/cli/ finds them too.
export const workflowPreloadModules = [
  '../../workflows/preload.ts',
  '../../src/domain/nrw-holidays.ts',
  '../../src/domain/notice-families.ts',
  '../../src/domain/report-phase.ts',
  '../../workflows/report-submission.ts',
].map((path) => fileURLToPath(new URL(path, import.meta.url)));

/** The bundler's own version: a new SDK may bundle the same sources differently. */
const bundlerVersion = z
  .object({ version: z.string() })
  .parse(createRequire(import.meta.url)('@temporalio/worker/package.json')).version;

export type WorkflowBundle = { code: string };
export type BundleSource = 'cache' | 'built';

const cacheEntrySchema = z.object({
  workflowsPath: z.string(),
  failureConverterPath: z.string(),
  preloadModules: z.array(z.string()).default([]),
  bundlerVersion: z.string(),
  /** Absolute path of every file in the bundle → sha256 of its content when bundled. */
  inputs: z.record(z.string(), z.string()),
  code: z.string(),
});

/** Webpack's own chatter (it warns about every ignored module) is not news to an operator. */
const silent: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export function workflowBundleCachePath(cacheDir: string, path: string = workflowsPath): string {
  // One entry per workflows entry point, so test fixtures' bundles do not evict the product's.
  return join(cacheDir, 'workflow-bundles', `${sha256(path).slice(0, 16)}.json`);
}

/** The cached bundle if every input is unchanged, else a fresh one (which then replaces the cache entry). */
export async function loadWorkflowBundle(
  cacheDir: string,
  opts: { workflowsPath?: string; logger?: Logger } = {},
): Promise<{ bundle: WorkflowBundle; source: BundleSource }> {
  const path = opts.workflowsPath ?? workflowsPath;
  // Only the product's workflows import what is preloaded; another entry point (test fixtures) gets none.
  const preloadModules = path === workflowsPath ? workflowPreloadModules : [];
  const cacheFile = workflowBundleCachePath(cacheDir, path);
  const cached = readCacheEntry(cacheFile);
  const sameBuild =
    cached?.workflowsPath === path &&
    cached.failureConverterPath === failureConverterPath &&
    cached.bundlerVersion === bundlerVersion &&
    cached.preloadModules.join('\n') === preloadModules.join('\n');
  if (cached && sameBuild && inputsUnchanged(cached.inputs)) {
    return { bundle: { code: cached.code }, source: 'cache' };
  }
  // Failures raised in workflow code are encoded (encrypted) by a converter that runs inside the bundle.
  const { code } = await bundleWorkflowCode({ workflowsPath: path, failureConverterPath, preloadModules, logger: opts.logger ?? silent });
  const entry = { workflowsPath: path, failureConverterPath, preloadModules, bundlerVersion, inputs: hashInputs(bundleInputs(code)), code };
  // Several workers may bundle at once; each writes its own file and the last rename wins, whole.
  const staging = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(join(cacheDir, 'workflow-bundles'), { recursive: true });
    writeFileSync(staging, JSON.stringify(entry));
    renameSync(staging, cacheFile);
  } catch (error) {
    // A read-only cache (e.g. a locked-down container) only costs the next start its bundling time.
    try {
      rmSync(staging, { force: true });
    } catch {
      // The folder itself is missing: nothing was written.
    }
    // Said even without a logger: an operator should learn why every start bundles.
    (opts.logger ?? console).warn(`workflow bundle not cached in ${cacheFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { bundle: { code }, source: 'built' };
}

function readCacheEntry(file: string): z.infer<typeof cacheEntrySchema> | undefined {
  try {
    const parsed = cacheEntrySchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Missing or torn: bundle again.
    return undefined;
  }
}

function inputsUnchanged(inputs: Record<string, string>): boolean {
  const paths = Object.keys(inputs);
  return paths.length > 0 && paths.every((path) => fileHash(path) === inputs[path]);
}

/** The files webpack read, from the inline source map the SDK appends to the bundle. */
function bundleInputs(code: string): string[] {
  const inline = /sourceMappingURL=data:application\/json;[^,]*base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (!inline?.[1]) return [];
  const map = z.object({ sources: z.array(z.string()) }).parse(JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8')));
  // webpack's runtime modules ("webpack/bootstrap") are not files.
  return map.sources.filter((source) => source.startsWith('/'));
}

function hashInputs(paths: string[]): Record<string, string> {
  return Object.fromEntries(paths.flatMap((path) => {
    const hash = fileHash(path);
    return hash === undefined ? [] : [[path, hash]];
  }));
}

function fileHash(path: string): string | undefined {
  try {
    return sha256(readFileSync(path));
  } catch {
    return undefined;
  }
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
