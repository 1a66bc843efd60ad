import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureDatabase, startEmbeddedPostgres } from '../../src/dev/postgres';

describe('embedded PostgreSQL for development', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'partnerflow-embedded-test-'));
    // The server runs as the postgres user, which must be able to enter this folder.
    await chmod(root, 0o755);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('keeps a persistent instance’s data across a restart and reuses its data directory', async () => {
    const dataDir = join(root, 'persistent');
    const first = await startEmbeddedPostgres({ dataDir, persistent: true });
    const url = await ensureDatabase(first.adminUrl, 'partnerflow');
    const write = postgres(url, { max: 1, onnotice: () => undefined });
    await write`create table kept (partner text)`;
    await write`insert into kept values ('Kreis Lippe')`;
    await write.end();
    await first.stop();
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);

    const lines: string[] = [];
    const second = await startEmbeddedPostgres({ dataDir, persistent: true, onLog: (line) => lines.push(line) });
    try {
      const read = postgres(await ensureDatabase(second.adminUrl, 'partnerflow'), { max: 1 });
      expect(await read`select partner from kept`).toEqual([{ partner: 'Kreis Lippe' }]);
      await read.end();
      // No initdb this time: its banner would be in the log.
      expect(lines.some((line) => line.includes('ready to accept connections'))).toBe(true);
      expect(lines.some((line) => line.includes('The files belonging to this database system'))).toBe(false);
    } finally {
      await second.stop();
    }
  });

  it('removes a throwaway instance’s data directory on stop, tolerates a second stop and prints nothing', async () => {
    const dataDir = join(root, 'throwaway');
    const consoleLog = vi.spyOn(console, 'log');
    const consoleError = vi.spyOn(console, 'error');
    try {
      const server = await startEmbeddedPostgres({ dataDir, persistent: false });
      expect(server.adminUrl).toBe(`postgres://postgres:password@127.0.0.1:${server.port}/postgres`);
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
      await server.stop();
      await server.stop();
      expect(existsSync(dataDir)).toBe(false);
      expect(consoleLog).not.toHaveBeenCalled();
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleLog.mockRestore();
      consoleError.mockRestore();
    }
  });

  it('explains a start on a port that is already taken, with the server’s own words', async () => {
    const running = await startEmbeddedPostgres({ dataDir: join(root, 'first'), persistent: false });
    try {
      await expect(
        startEmbeddedPostgres({ dataDir: join(root, 'second'), port: running.port, persistent: false }),
      ).rejects.toThrow(new RegExp(`did not start on port ${running.port}[\\s\\S]*could not bind`));
      expect(existsSync(join(root, 'second'))).toBe(false);
    } finally {
      await running.stop();
    }
  });

  it('creates a database once and returns its URL when it already exists', async () => {
    const server = await startEmbeddedPostgres({ dataDir: join(root, 'databases'), persistent: false });
    try {
      const urls = await Promise.all([
        ensureDatabase(server.adminUrl, 'pf_once'),
        ensureDatabase(server.adminUrl, 'pf_once'),
      ]);
      expect(urls).toEqual([
        `postgres://postgres:password@127.0.0.1:${server.port}/pf_once`,
        `postgres://postgres:password@127.0.0.1:${server.port}/pf_once`,
      ]);
      await expect(ensureDatabase(server.adminUrl, 'Robert"); drop')).rejects.toThrow(/must be lower-case/);
    } finally {
      await server.stop();
    }
  });
});
