/**
 * The chapter renderer's fingerprint: what a stored chapter fragment (src/db/schema/chapter-fragments.ts)
 * must have been rendered with to be used. It is a SHA-256 of the renderer's code as esbuild bundles
 * it from read-chapter.ts (every module it imports, however deep: the report schema, the chapter's
 * blocks, the HTML and Markdown renderers, the labels) and of the versions of the packages it
 * imports. So any change that could change a chapter changes the fingerprint, and a changed renderer
 * never serves a fragment of the old one; a change of a comment or of code outside it does not.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { projectFile } from '../project-files';

let fingerprint: Promise<string> | undefined;

/** Computed once per process (a bundle takes about a tenth of a second). */
export function chapterRendererFingerprint(): Promise<string> {
  fingerprint ??= computeFingerprint();
  // A failed attempt is not kept: the next compilation tries again.
  fingerprint.catch(() => {
    fingerprint = undefined;
  });
  return fingerprint;
}

async function computeFingerprint(): Promise<string> {
  const root = dirname(projectFile('package.json'));
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/documents/read-chapter.ts'],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.12',
    packages: 'external',
    logLevel: 'silent',
    // Names of files in the output stay relative to the project, wherever it is installed.
    outdir: 'out',
  });
  const hash = createHash('sha256');
  for (const file of result.outputFiles) hash.update(file.text);
  const packages = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) if (imported.external && !imported.path.startsWith('node:')) packages.add(packageName(imported.path));
  }
  const require = createRequire(join(root, 'package.json'));
  for (const name of [...packages].sort()) hash.update(`\n${name}@${packageVersion(require, name)}`);
  return hash.digest('hex');
}

/** "zod/v4" → "zod", "@scope/name/sub" → "@scope/name". */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function packageVersion(require: NodeJS.Require, name: string): string {
  const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version?: string };
  if (manifest.version === undefined) throw new Error(`${name}: its package.json has no version`);
  return manifest.version;
}
