/**
 * Compiles the CLI to JavaScript in dist/, so `partnerflow` starts without transpiling TypeScript.
 * npm runs this as `prepare` on `npm ci` / `npm install`; `npm run build` runs it by hand.
 * bin/partnerflow.js runs the sources instead while the build is older than any of them.
 *
 * One ES module per dynamic import (code splitting): a command loads only the code it uses.
 * Packages stay external and load from node_modules. The output sits two folders deep
 * (dist/cli/), like the sources in src/<folder>/, because src/temporal/worker.ts and
 * src/db/migrate.ts find workflows/ and drizzle/ relative to their own module.
 */
import { copyFile, rename, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
export const cliBuildDir = fileURLToPath(new URL('../dist/cli', import.meta.url));

/**
 * Builds next to dist/cli, then swaps the folders: a CLI started meanwhile finds the old build,
 * none (and runs the sources), or the new one, never half of one.
 */
export async function buildCli(): Promise<void> {
  const next = `${cliBuildDir}.next-${process.pid}`;
  const previous = `${cliBuildDir}.previous-${process.pid}`;
  await rm(next, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    // The volume worker is loaded by its file as a worker thread (src/documents/render/volume-pool.ts),
    // so it is an entry of its own. (The failure converter is bundled with the workflows from source.)
    entryPoints: {
      main: 'src/cli/main.ts',
      'volume-worker': 'src/documents/render/volume-worker.ts',
    },
    outdir: next,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.12',
    packages: 'external',
    chunkNames: '[name]-[hash]',
    logLevel: 'warning',
  });
  // Loaded by its path into the SDK's workflow threads (src/temporal/workflow-threads.ts), not imported.
  for (const preload of ['workflow-thread-preload.cjs', 'workflow-thread-no-stack-traces.cjs']) {
    await copyFile(`${root}/src/temporal/${preload}`, `${next}/${preload}`);
  }
  await rename(cliBuildDir, previous).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(next, cliBuildDir);
  await rm(previous, { recursive: true, force: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli();
