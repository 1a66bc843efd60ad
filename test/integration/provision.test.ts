import { spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { findTemporalCli, findTestServer, temporalServerVersion, testServerLauncherPath } from '../../src/temporal/binaries';

// The real cache `npm test` provisioned: the CLI is copied from there, never built in a test.
const realCache = loadConfig().binaries;

function provision(env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/provision.ts', ...args], {
    env: { ...process.env, PARTNERFLOW_CACHE: '', TEMPORAL_CLI_PATH: '', ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A PATH holding nothing but node and a shell: no temporal, go, java or mvn. */
function pathWithoutTemporal(): string {
  const bin = mkdtempSync(join(tmpdir(), 'partnerflow-path-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync('/bin/sh', join(bin, 'sh'));
  return bin;
}

describe('npm run provision', () => {
  let cacheDir: string;
  let cliPath: string;

  beforeAll(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'partnerflow-cache-'));
    const cli = findTemporalCli({ cacheDir: realCache.cacheDir, explicitPath: realCache.temporalCliPath });
    if (!cli) throw new Error('no Temporal CLI: run `npm run provision` first');
    cliPath = cli;
  });
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('fetches the test server into an empty cache, then reuses everything on the next run', () => {
    const env = { PARTNERFLOW_CACHE: cacheDir, TEMPORAL_CLI_PATH: cliPath };

    const first = provision(env);
    expect(first.output).toContain(`Temporal CLI: found ${cliPath}`);
    expect(first.output).toContain(`Temporal test server: built ${testServerLauncherPath(cacheDir)}`);
    expect(first.output).toContain(`Workflow bundle: built in ${cacheDir}`);
    expect(first.status).toBe(0);

    const second = provision(env);
    expect(second.output).toBe(
      `Temporal CLI: found ${cliPath}\nTemporal test server: reused ${testServerLauncherPath(cacheDir)}\n` +
        `Workflow bundle: up to date in ${cacheDir}\nveraPDF: reused ${join(cacheDir, 'verapdf', 'lib')}\n`,
    );
    expect(second.status).toBe(0);
    expect(findTestServer(cacheDir)).toBe(testServerLauncherPath(cacheDir));
  }, 240_000);

  it('with --quiet prints nothing when everything is already there', () => {
    const env = { PARTNERFLOW_CACHE: realCache.cacheDir, TEMPORAL_CLI_PATH: cliPath };
    // Other test files may have left the cached workflow bundle stale; one run brings it up to date.
    provision(env, '--quiet');
    const quiet = provision(env, '--quiet');
    expect(quiet).toEqual({ status: 0, output: '' });
  }, 60_000);

  it('reports a cached CLI as reused', () => {
    const cache = mkdtempSync(join(tmpdir(), 'partnerflow-cache-'));
    const bin = pathWithoutTemporal();
    try {
      cpSync(cliPath, join(cache, 'bin', 'temporal'));
      const run = provision({ PARTNERFLOW_CACHE: cache, PATH: bin });
      expect(run.output).toContain(`Temporal CLI: reused ${join(cache, 'bin', 'temporal')}\n`);
    } finally {
      rmSync(cache, { recursive: true, force: true });
      rmSync(bin, { recursive: true, force: true });
    }
  }, 60_000);

  /** Runs `use` on a throwaway cache that holds the real cache's test server jars and nothing else. */
  function withTestServerJars(use: (cache: string) => void): void {
    const cache = mkdtempSync(join(tmpdir(), 'partnerflow-cache-'));
    try {
      cpSync(join(realCache.cacheDir, 'test-server', 'lib'), join(cache, 'test-server', 'lib'), { recursive: true });
      use(cache);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }

  it('writes a missing launcher next to jars already in the cache, as an executable that runs java', () => {
    withTestServerJars((cache) => {
      const run = provision({ PARTNERFLOW_CACHE: cache, TEMPORAL_CLI_PATH: cliPath });
      const launcher = testServerLauncherPath(cache);
      expect(run.output).toContain(`Temporal test server: built ${launcher}`);
      expect(() => accessSync(launcher, constants.X_OK)).not.toThrow();
      // The JIT and collector for a server that lives one test file (shortLivedJvmOptions says why).
      expect(readFileSync(launcher, 'utf8')).toContain('exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$lib/*" io.temporal.testserver.TestServer "$@"');
    });
  }, 60_000);

  it('writes the launcher again when an older version wrote it with other JVM options', () => {
    withTestServerJars((cache) => {
      const launcher = testServerLauncherPath(cache);
      writeFileSync(launcher, '#!/usr/bin/env bash\nexec java -cp "$lib/*" io.temporal.testserver.TestServer "$@"\n', { mode: 0o755 });
      expect(findTestServer(cache)).toBeUndefined();
      const run = provision({ PARTNERFLOW_CACHE: cache, TEMPORAL_CLI_PATH: cliPath });
      expect(run.output).toContain(`Temporal test server: built ${launcher}`);
      expect(readFileSync(launcher, 'utf8')).toContain('exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp');
      expect(findTestServer(cache)).toBe(launcher);
    });
  }, 60_000);

  it('stops naming TEMPORAL_CLI_PATH when it does not point at an executable', () => {
    const run = provision({ PARTNERFLOW_CACHE: cacheDir, TEMPORAL_CLI_PATH: join(cacheDir, 'no-such-temporal') });
    expect(run.output).toContain('TEMPORAL_CLI_PATH: must be the path of an executable file');
    expect(run.status).toBe(1);
  }, 60_000);

  it('without go, java and mvn says what is missing and that only the SDK download is left', () => {
    const bin = pathWithoutTemporal();
    const cache = mkdtempSync(join(tmpdir(), 'partnerflow-cache-'));
    try {
      const run = provision({ PARTNERFLOW_CACHE: cache, PATH: bin });
      expect(run.output).toContain('Temporal CLI: no `go` on PATH');
      expect(run.output).toContain('Temporal test server: no java or mvn on PATH');
      // Whether the SDK's download host answers depends on the network this runs in.
      expect(run.output).toMatch(
        run.status === 0 ? /the Temporal SDK will download it/ : /missing, cannot be built here, and .* is unreachable/,
      );
      expect([0, 1]).toContain(run.status);
    } finally {
      rmSync(bin, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
    }
  }, 60_000);

  it('with --server and without go fails, saying the Temporal server cannot be built', () => {
    const bin = pathWithoutTemporal();
    const cache = mkdtempSync(join(tmpdir(), 'partnerflow-cache-'));
    try {
      // The CLI is at hand, so only the server is missing: no SDK download can stand in for it.
      const run = provision({ PARTNERFLOW_CACHE: cache, PATH: bin, TEMPORAL_CLI_PATH: cliPath }, '--server');
      expect(run.output).toContain(`Temporal server ${temporalServerVersion}: no \`go\` on PATH, cannot build it.`);
      expect(run.status).toBe(1);
    } finally {
      rmSync(bin, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
    }
  }, 60_000);
});
