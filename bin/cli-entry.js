// Which build of the CLI to run; kept apart from bin/partnerflow.js so a test can ask it.
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The folders whose TypeScript the compiled CLI contains (the worker bundles workflows/ itself). */
const sourceFolders = ['src', 'activities', 'workflows'];

/**
 * The compiled entry point (dist/cli/main.js), or undefined when there is no build or a source file
 * changed after it (a developer's checkout): then the sources must run through tsx instead.
 * Checking every .ts (and .cjs, copied into the build) file's time costs a few milliseconds.
 */
export function compiledCli() {
  const entry = `${root}dist/cli/main.js`;
  let builtAt;
  try {
    builtAt = statSync(entry).mtimeMs;
  } catch {
    return undefined;
  }
  const changed = sourceFolders.some((folder) =>
    readdirSync(`${root}${folder}`, { recursive: true, withFileTypes: true }).some(
      (file) => file.isFile() && /\.(ts|cjs)$/.test(file.name) && statSync(`${file.parentPath}/${file.name}`).mtimeMs > builtAt,
    ),
  );
  return changed ? undefined : entry;
}
