/**
 * The compiled CLI: `npm ci` builds it (the `prepare` script), bin/partnerflow.js runs it while it
 * is fresh, and `--help` loads none of the heavy clients, which is what makes it start fast.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compiledCli } from '../../bin/cli-entry.js';
import { buildCli } from '../../scripts/build-cli';

const run = promisify(execFile);

/** The command groups of `partnerflow`, as a person looks for them in `--help`. */
const commandGroups = ['migrate', 'worker', 'partners', 'workflows', 'history', 'check', 'policy', 'report', 'serve', 'accounts', 'retention', 'cycle', 'accession'];

/** Packages loaded only by the commands that need them. */
const heavyPackages = ['@temporalio/client', '@temporalio/worker', 'drizzle-orm', 'postgres', 'nodemailer', 'date-holidays', 'pino', 'prom-client'];

/**
 * Libraries only a compilation or an accession uses; the worker loads them on first use, not
 * before its first poll (issue 14: they cost it about 0.25 CPU seconds at start).
 */
const documentPackages = ['vega', 'vega-lite', '@myriaddreamin/typst-ts-node-compiler', 'docx', 'exceljs', '@resvg/resvg-js', 'csv-stringify', 'pino-pretty'];

/** The compiled module of one source file that a command imports dynamically (`worker-<hash>.js` for src/temporal/worker.ts). */
function chunkOf(name: string): string {
  const files = readdirSync(dirname(entry)).filter((file) => new RegExp(`^${name}-[A-Z0-9]+\\.js$`).test(file));
  expect(files).toHaveLength(1);
  return join(dirname(entry), z.string().parse(files[0]));
}

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

  it('starts the worker without the document libraries: they load with the first compilation or agreement', () => {
    // What `partnerflow worker` imports before it polls: the worker with every activity, and the logger.
    const worker = staticPackages(chunkOf('worker'));
    expect(worker.has('@temporalio/worker')).toBe(true);
    const logger = staticPackages(chunkOf('logger'));
    expect(logger.has('pino')).toBe(true);
    expect(documentPackages.filter((name) => worker.has(name) || logger.has(name))).toEqual([]);
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
