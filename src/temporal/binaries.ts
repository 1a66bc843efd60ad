import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import { shortLivedJvmOptions } from '../jvm';

/**
 * Finds or builds the Temporal binaries the project runs locally: the Temporal CLI (dev server
 * with Web UI) and the Java time-skipping test server. Everything lands in a cache folder outside
 * the repo; every write goes to a temporary name first so an interrupted build leaves no half file.
 */

export type BuildLog = (line: string) => void;

/** v1.6 and later cannot be `go install`ed (their go.mod has replace directives). */
export const temporalCliModule = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
export const testServerArtifact = { groupId: 'io.temporal', artifactId: 'temporal-test-server', version: '1.31.0' };

const cliFallback =
  'Tests can use the dev server the Temporal SDK downloads (needs internet); `npm run dev` needs TEMPORAL_CLI_PATH or TEMPORAL_ADDRESS.';
const testServerFallback = 'Tests will use the test server the Temporal SDK downloads (needs internet).';

export function cachedTemporalCliPath(cacheDir: string): string {
  return join(cacheDir, 'bin', 'temporal');
}

export function testServerLauncherPath(cacheDir: string): string {
  return join(cacheDir, 'test-server', 'temporal-test-server');
}

/** Order: an explicit path (TEMPORAL_CLI_PATH), `temporal` on PATH, the cache. */
export function findTemporalCli(opts: { cacheDir: string; explicitPath?: string | undefined }): string | undefined {
  if (opts.explicitPath !== undefined) {
    // A path someone set on purpose must not be silently replaced by another binary.
    if (!isExecutable(opts.explicitPath)) {
      throw new Error(`TEMPORAL_CLI_PATH: ${opts.explicitPath} is not an executable file`);
    }
    return opts.explicitPath;
  }
  const cached = cachedTemporalCliPath(opts.cacheDir);
  return commandOnPath('temporal') ?? (isExecutable(cached) ? cached : undefined);
}

/** `go install` into the cache; several minutes on a cold Go module cache. Undefined if Go is missing or fails. */
export async function buildTemporalCli(cacheDir: string, log: BuildLog): Promise<string | undefined> {
  if (!commandOnPath('go')) {
    log(`Temporal CLI: no \`go\` on PATH, cannot build it. ${cliFallback}`);
    return undefined;
  }
  const target = cachedTemporalCliPath(cacheDir);
  const staging = join(cacheDir, `.bin-${process.pid}`);
  log(
    `Temporal CLI: not on PATH and not in ${target}; building ${temporalCliModule} with go install ` +
      '(several minutes on a cold Go cache, once per cache folder)',
  );
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    // The child needs the full environment (PATH, GOPATH, proxy settings) plus GOBIN.
    const result = await run('go', ['install', temporalCliModule], { env: { ...process.env, GOBIN: staging } }, log);
    if (!result.ok) {
      log(`Temporal CLI: go install failed (${result.reason}). ${cliFallback}`);
      for (const line of result.tail) log(`  ${line}`);
      return undefined;
    }
    mkdirSync(join(cacheDir, 'bin'), { recursive: true });
    renameSync(join(staging, 'temporal'), target);
    return target;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The production server (Temporal on PostgreSQL) and its schema tool, built from the module that
 * docker-compose.yml's images are made of; test/integration/docker-compose.test.ts checks the tags.
 */
export const temporalServerVersion = '1.29.1';
const temporalServerModules = {
  'temporal-server': `go.temporal.io/server/cmd/server@v${temporalServerVersion}`,
  'temporal-sql-tool': `go.temporal.io/server/cmd/tools/sql@v${temporalServerVersion}`,
} as const;
/** Inside the server module: the versioned PostgreSQL schema the sql tool applies. */
const postgresSchemaInModule = join('schema', 'postgresql', 'v12');

export type TemporalServerBinaries = {
  server: string;
  sqlTool: string;
  /** Holds temporal/versioned and visibility/versioned, matching the server's version. */
  postgresSchemaDir: string;
};

function temporalServerHome(cacheDir: string): string {
  return join(cacheDir, `temporal-server-${temporalServerVersion}`);
}

function temporalServerLayout(home: string): TemporalServerBinaries {
  return {
    server: join(home, 'bin', 'temporal-server'),
    sqlTool: join(home, 'bin', 'temporal-sql-tool'),
    postgresSchemaDir: join(home, 'schema', 'postgresql', 'v12'),
  };
}

/** The server, its sql tool and its schema, if provisioning left all three in the cache. */
export function findTemporalServer(cacheDir: string): TemporalServerBinaries | undefined {
  const found = temporalServerLayout(temporalServerHome(cacheDir));
  const complete =
    isExecutable(found.server) &&
    isExecutable(found.sqlTool) &&
    existsSync(join(found.postgresSchemaDir, 'temporal', 'versioned')) &&
    existsSync(join(found.postgresSchemaDir, 'visibility', 'versioned'));
  return complete ? found : undefined;
}

/**
 * `go install`s the server and the sql tool (minutes of CPU, once per cache folder) and copies the
 * module's PostgreSQL schema next to them: the three belong to one version, and the stack then
 * needs neither Go nor its module cache to run. Undefined (with the reason logged) if Go is missing or fails.
 */
export async function buildTemporalServer(cacheDir: string, log: BuildLog): Promise<TemporalServerBinaries | undefined> {
  if (!commandOnPath('go')) {
    log(`Temporal server ${temporalServerVersion}: no \`go\` on PATH, cannot build it. Install Go 1.25+ and run \`npm run provision -- --server\`.`);
    return undefined;
  }
  const home = temporalServerHome(cacheDir);
  const staging = join(cacheDir, `.temporal-server-${process.pid}`);
  log(`Temporal server ${temporalServerVersion}: not in ${home}; building it with go install (a few minutes, once per cache folder)`);
  rmSync(staging, { recursive: true, force: true });
  const layout = temporalServerLayout(staging);
  mkdirSync(join(staging, 'bin'), { recursive: true });
  try {
    const gobin = join(staging, 'gobin');
    const result = await run('go', ['install', ...Object.values(temporalServerModules)], { env: { ...process.env, GOBIN: gobin } }, log);
    if (!result.ok) {
      log(`Temporal server ${temporalServerVersion}: go install failed (${result.reason}).`);
      for (const line of result.tail) log(`  ${line}`);
      return undefined;
    }
    // go install names binaries after their package folders (server, sql).
    renameSync(join(gobin, 'server'), layout.server);
    renameSync(join(gobin, 'sql'), layout.sqlTool);
    const moduleCache = spawnSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).stdout.trim();
    const schema = join(moduleCache, 'go.temporal.io', `server@v${temporalServerVersion}`, postgresSchemaInModule);
    if (!existsSync(schema)) {
      log(`Temporal server ${temporalServerVersion}: built, but its schema is not at ${schema}.`);
      return undefined;
    }
    // The module cache is read-only; the copy must not be, or the next rebuild could not remove it.
    cpSync(schema, layout.postgresSchemaDir, { recursive: true });
    spawnSync('chmod', ['-R', 'u+w', layout.postgresSchemaDir]);
    rmSync(gobin, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
    renameSync(staging, home);
    return temporalServerLayout(home);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The launcher script, if the jars, the launcher and `java` are all there. */
export function findTestServer(cacheDir: string): string | undefined {
  const launcher = testServerLauncherPath(cacheDir);
  // A launcher an older version wrote (other JVM options) counts as missing, so provisioning writes it again.
  const complete = hasTestServerJars(join(cacheDir, 'test-server', 'lib')) && isExecutable(launcher) && readFileSync(launcher, 'utf8') === launcherScript();
  return complete && commandOnPath('java') ? launcher : undefined;
}

/**
 * Fetches the test server's jars with Maven and writes a launcher the SDK can run as
 * `<launcher> <port> --enable-time-skipping`. Undefined if java or mvn is missing or fails.
 */
export async function provisionTestServer(cacheDir: string, log: BuildLog): Promise<string | undefined> {
  const home = join(cacheDir, 'test-server');
  const needed = hasTestServerJars(join(home, 'lib')) ? ['java'] : ['java', 'mvn'];
  const missing = needed.filter((command) => !commandOnPath(command));
  if (missing.length > 0) {
    log(`Temporal test server: no ${missing.join(' or ')} on PATH. ${testServerFallback}`);
    return undefined;
  }
  if (hasTestServerJars(join(home, 'lib'))) {
    writeLauncher(testServerLauncherPath(cacheDir));
    return testServerLauncherPath(cacheDir);
  }
  const { groupId, artifactId, version } = testServerArtifact;
  log(`Temporal test server: not in ${home}; fetching ${groupId}:${artifactId}:${version} with Maven (about 30 s)`);
  const staging = join(cacheDir, `.test-server-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const lib = join(staging, 'lib');
    const result = await fetchMavenArtifact(testServerArtifact, staging, log);
    if (!result.ok || !hasTestServerJars(lib)) {
      log(`Temporal test server: Maven failed (${result.ok ? 'no test server jar' : result.reason}). ${testServerFallback}`);
      for (const line of result.tail) log(`  ${line}`);
      return undefined;
    }
    writeLauncher(join(staging, 'temporal-test-server'));
    // Only a complete folder replaces the old one; a crash before this leaves just a stray staging folder.
    rmSync(home, { recursive: true, force: true });
    renameSync(staging, home);
    return testServerLauncherPath(cacheDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** What `TestWorkflowEnvironment.createTimeSkipping({ server: { executable } })` runs; the SDK downloads one if we have none. */
export function testServerExecutable(cacheDir: string): EphemeralServerExecutable {
  const launcher = findTestServer(cacheDir);
  return launcher ? { type: 'existing-path', path: launcher } : { type: 'cached-download' };
}

export type MavenArtifact = { groupId: string; artifactId: string; version: string };

/**
 * Copies `artifact` and everything it depends on into `<staging>/lib` with Maven (from its
 * configured repositories): a throwaway POM that names the one dependency.
 */
export function fetchMavenArtifact(artifact: MavenArtifact, staging: string, log: BuildLog): Promise<RunResult> {
  const pomFile = join(staging, 'pom.xml');
  writeFileSync(pomFile, fetchPom(artifact));
  return run('mvn', ['-q', '-B', '-f', pomFile, 'dependency:copy-dependencies', `-DoutputDirectory=${join(staging, 'lib')}`], {}, log);
}

function fetchPom({ groupId, artifactId, version }: MavenArtifact): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>partnerflow</groupId>
  <artifactId>${artifactId}-fetch</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>${groupId}</groupId>
      <artifactId>${artifactId}</artifactId>
      <version>${version}</version>
    </dependency>
  </dependencies>
</project>
`;
}

/** The launcher's text; it resolves lib/ next to itself, so the cache folder can move without rewriting it. */
function launcherScript(): string {
  return `#!/usr/bin/env bash
# Temporal time-skipping test server; the SDK calls: <port> --enable-time-skipping
lib="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)/lib"
exec java ${shortLivedJvmOptions.join(' ')} -cp "$lib/*" io.temporal.testserver.TestServer "$@"
`;
}

function writeLauncher(path: string): void {
  const script = launcherScript();
  const staging = `${path}.${process.pid}.tmp`;
  writeFileSync(staging, script, { mode: 0o755 });
  renameSync(staging, path);
}

function hasTestServerJars(libDir: string): boolean {
  const { artifactId, version } = testServerArtifact;
  return existsSync(libDir) && readdirSync(libDir).includes(`${artifactId}-${version}.jar`);
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function commandOnPath(command: string): string | undefined {
  // `command -v` is POSIX, so this works on slim images without `which`.
  const result = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' });
  const path = result.stdout.trim();
  return result.status === 0 && path.startsWith('/') ? path : undefined;
}

export type RunResult = { ok: true; tail: string[] } | { ok: false; reason: string; tail: string[] };

/** Runs a long build quietly, saying every minute that it is still going; keeps the output's tail for errors. */
export function run(command: string, args: string[], opts: { env?: NodeJS.ProcessEnv }, log: BuildLog): Promise<RunResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const keep = (chunk: Buffer) => {
      tail.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
      tail.splice(0, Math.max(0, tail.length - 20));
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const heartbeat = setInterval(() => log(`  still running ${command} (${Math.round((Date.now() - started) / 1000)} s)`), 60_000);
    child.on('error', (error) => {
      clearInterval(heartbeat);
      resolve({ ok: false, reason: error.message, tail });
    });
    child.on('close', (code, signal) => {
      clearInterval(heartbeat);
      resolve(code === 0 ? { ok: true, tail } : { ok: false, reason: signal ? `killed by ${signal}` : `exit code ${code}`, tail });
    });
  });
}
