/**
 * How fast `partnerflow` starts: the median wall time of N runs of `partnerflow --help`, of a light
 * command (`partners list --json`, one query on a migrated database) and of `npx partnerflow --help`.
 *
 *   npm run bench:cli -- [--runs N]
 *
 * The light command runs against DATABASE_URL when set, else a throwaway embedded PostgreSQL.
 * Run `npm run build` first: the numbers are those of the compiled CLI.
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { migrateDatabase } from '../src/db/migrate';
import { ensureDatabase, startEmbeddedPostgres } from '../src/dev/postgres';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: must be a whole number above 0, got "${values.runs}"`);

/** Median wall time in seconds of `runs` runs; fails loudly if the command fails. */
function medianSeconds(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { env, encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  times.sort((a, b) => a - b);
  const middle = Math.floor(times.length / 2);
  return times.length % 2 ? (times[middle] ?? 0) : ((times[middle - 1] ?? 0) + (times[middle] ?? 0)) / 2;
}

async function withDatabaseUrl<T>(use: (url: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  if (!config.database.embedded) return use(config.database.url);
  const root = await mkdtemp(join(tmpdir(), 'partnerflow-bench-'));
  await chmod(root, 0o755); // the server runs as the postgres user and must enter the folder
  const server = await startEmbeddedPostgres({ dataDir: join(root, 'data'), persistent: false });
  try {
    return await use(await ensureDatabase(server.adminUrl, 'partnerflow_bench'));
  } finally {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

const bin = 'bin/partnerflow.js';
const figures: [string, number][] = [];
figures.push(['partnerflow --help', medianSeconds(process.execPath, [bin, '--help'], process.env)]);
await withDatabaseUrl(async (url) => {
  await migrateDatabase(url);
  const env = { ...process.env, DATABASE_URL: url };
  figures.push(['partnerflow partners list --json', medianSeconds(process.execPath, [bin, 'partners', 'list', '--json'], env)]);
});
figures.push(['npx partnerflow --help', medianSeconds('npx', ['partnerflow', '--help'], process.env)]);

process.stdout.write(`median of ${runs} runs (node ${process.version})\n`);
for (const [label, seconds] of figures) process.stdout.write(`${label.padEnd(36)} ${seconds.toFixed(2)} s\n`);
