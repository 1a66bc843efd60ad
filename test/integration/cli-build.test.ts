/**
 * The compiled CLI: `npm ci` builds it (the `prepare` script), bin/partnerflow.js runs it while it
 * is fresh, and `--help` loads none of the heavy clients, which is what makes it start fast.
 */
import { execFile } from 'node:child_process';
import { readFileSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compiledCli } from '../../bin/cli-entry.js';
import { buildCli } from '../../scripts/build-cli';

const run = promisify(execFile);

/** The command groups of `partnerflow`, as a person looks for them in `--help`. */
const commandGroups = ['migrate', 'worker', 'partners', 'workflows', 'history', 'check', 'policy', 'report', 'serve', 'accounts', 'retention', 'cycle'];

/** Packages loaded only by the commands that need them. */
const heavyPackages = ['@temporalio/client', '@temporalio/worker', 'drizzle-orm', 'postgres', 'nodemailer', 'date-holidays', 'pino', 'prom-client'];

/** Every package a compiled module imports statically, following its chunks (dynamic imports are not followed). */
function staticPackages(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const [, specifier] of source.matchAll(/^\s*(?:import|export)\b[^'"()]*?(?:from\s*)?["']([^"']+)["'];?$/gm)) {
    if (!specifier) continue;
    if (specifier.startsWith('.')) for (const name of staticPackages(join(dirname(file), specifier), seen)) packages.add(name);
    else packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier));
  }
  return packages;
}

let entry: string;

beforeAll(async () => {
  // `npm ci` built it; a checkout with newer sources builds again here.
  if (compiledCli() === undefined) await buildCli();
  entry = z.string().parse(compiledCli());
}, 60_000);

describe('the compiled CLI', () => {
  it('is what npm builds on install', () => {
    const scripts = z.object({ scripts: z.record(z.string(), z.string()) }).parse(JSON.parse(readFileSync('package.json', 'utf8'))).scripts;
    expect(scripts.prepare).toBe('tsx scripts/build-cli.ts');
    expect(entry).toMatch(/dist\/cli\/main\.js$/);
  });

  it('answers --help from the build, listing every command group', async () => {
    const fromBin = await run('node', ['bin/partnerflow.js', '--help']);
    const fromBuild = await run('node', [entry, '--help']);
    expect(fromBin.stdout).toBe(fromBuild.stdout);
    const listed = [...fromBin.stdout.matchAll(/^ {2}([a-z]+)\b/gm)].map(([, name]) => name);
    expect(listed).toEqual([...commandGroups, 'help']);
  });

  it('loads no database driver, Temporal client or mailer for --help', () => {
    const loaded = staticPackages(entry);
    expect(loaded.has('commander')).toBe(true);
    expect(heavyPackages.filter((name) => loaded.has(name))).toEqual([]);
  });

  it('falls back to the sources once one of them is newer than the build', () => {
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(entry, past, past);
    try {
      expect(compiledCli()).toBeUndefined();
    } finally {
      const now = new Date();
      utimesSync(entry, now, now);
    }
    expect(compiledCli()).toBe(entry);
  });
});
