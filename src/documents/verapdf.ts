import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { commandOnPath, fetchMavenArtifact, type BuildLog } from '../temporal/binaries';
import { shortLivedJvmOptions } from '../jvm';

/**
 * veraPDF, the PDF/A validator of the PDF Association, checks that the compiled report is valid
 * PDF/A-2b: a validator this project did not write. Its jars come from Maven Central into the
 * binaries cache (like the Temporal test server), and it runs as a Java command line.
 */
export const veraPdfArtifact = { groupId: 'org.verapdf.apps', artifactId: 'greenfield-apps', version: '1.28.2' };
const mainClass = 'org.verapdf.apps.GreenfieldCliWrapper';

function veraPdfLib(cacheDir: string): string {
  return join(cacheDir, 'verapdf', 'lib');
}

function hasVeraPdfJars(lib: string): boolean {
  const { artifactId, version } = veraPdfArtifact;
  return existsSync(lib) && readdirSync(lib).includes(`${artifactId}-${version}.jar`);
}

/** The jar folder, if it is complete and `java` is on PATH. */
export function findVeraPdf(cacheDir: string): string | undefined {
  const lib = veraPdfLib(cacheDir);
  return hasVeraPdfJars(lib) && commandOnPath('java') ? lib : undefined;
}

/** Fetches veraPDF's jars with Maven into the cache; undefined when java or mvn is missing or Maven fails. */
export async function provisionVeraPdf(cacheDir: string, log: BuildLog): Promise<string | undefined> {
  const found = findVeraPdf(cacheDir);
  if (found) return found;
  const missing = ['java', 'mvn'].filter((command) => !commandOnPath(command));
  if (missing.length > 0) {
    log(`veraPDF: no ${missing.join(' or ')} on PATH; the PDF/A check cannot run`);
    return undefined;
  }
  const { groupId, artifactId, version } = veraPdfArtifact;
  log(`veraPDF: fetching ${groupId}:${artifactId}:${version} with Maven`);
  const staging = join(cacheDir, `.verapdf-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const lib = join(staging, 'lib');
    const result = await fetchMavenArtifact(veraPdfArtifact, staging, log);
    if (!result.ok || !hasVeraPdfJars(lib)) {
      log(`veraPDF: Maven failed (${result.ok ? 'no veraPDF jar' : result.reason})`);
      for (const line of result.tail) log(`  ${line}`);
      return undefined;
    }
    // Only a complete folder replaces the old one.
    const home = join(cacheDir, 'verapdf');
    rmSync(home, { recursive: true, force: true });
    renameSync(staging, home);
    return veraPdfLib(cacheDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export type PdfAVerdict = { compliant: boolean; profile: string; failedRules: string[]; report: string };

/** Validates one PDF against PDF/A-2b with veraPDF's command line and reads its XML report. */
export async function validatePdfA2b(lib: string, pdfFile: string): Promise<PdfAVerdict> {
  const report = await new Promise<string>((resolve, reject) => {
    const child = spawn('java', [...shortLivedJvmOptions, '-cp', `${lib}/*`, mainClass, '--flavour', '2b', '--format', 'xml', pdfFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    // veraPDF exits non-zero for a non-compliant file; the report says why, so it is read either way.
    child.on('close', () => (out.includes('<validationReport') ? resolve(out) : reject(new Error(`veraPDF gave no report: ${err.slice(-2000)}`))));
  });
  const verdict = /<validationReport[^>]*profileName="([^"]*)"[^>]*isCompliant="(true|false)"/.exec(report);
  if (!verdict) throw new Error('veraPDF: no verdict in its report');
  const failedRules = [...report.matchAll(/<rule [^>]*status="failed"[^>]*clause="([^"]*)"[^>]*testNumber="([^"]*)"/g)].map(
    (m) => `${m[1]}-${m[2]}`,
  );
  return { compliant: verdict[2] === 'true', profile: verdict[1] ?? '', failedRules, report };
}
