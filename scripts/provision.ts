/**
 * `npm run provision` (also run by `npm run dev` and `npm test`): makes sure the Temporal CLI,
 * the Java test server and the workflow bundle are at hand, building them into the cache when
 * missing. Idempotent.
 * `--quiet` prints only what it builds and problems. `--server` also builds the Temporal server
 * on PostgreSQL and its sql tool (`npm run stack` and `npm test` need them; `npm run dev` does not).
 */
import { ConfigError, loadConfig } from '../src/config';
import {
  buildTemporalCli,
  buildTemporalServer,
  findTemporalServer,
  cachedTemporalCliPath,
  findTemporalCli,
  findTestServer,
  provisionTestServer,
} from '../src/temporal/binaries';
import { findVeraPdf, provisionVeraPdf } from '../src/documents/verapdf';
import { loadWorkflowBundle } from '../src/temporal/workflow-bundle';

// Where the SDK downloads its own servers from when we have none.
const sdkDownloadHost = 'https://temporal.download/';

async function provision(quiet: boolean, withServer: boolean): Promise<number> {
  const { cacheDir, temporalCliPath } = loadConfig().binaries;
  const report = (line: string) => console.log(line);
  const info = quiet ? () => {} : report;

  let cli = findTemporalCli({ cacheDir, explicitPath: temporalCliPath });
  if (cli) {
    info(`Temporal CLI: ${cli === cachedTemporalCliPath(cacheDir) ? 'reused' : 'found'} ${cli}`);
  } else {
    cli = await buildTemporalCli(cacheDir, report);
    if (cli) report(`Temporal CLI: built ${cli}`);
  }

  let testServer = findTestServer(cacheDir);
  if (testServer) {
    info(`Temporal test server: reused ${testServer}`);
  } else {
    testServer = await provisionTestServer(cacheDir, report);
    if (testServer) report(`Temporal test server: built ${testServer}`);
  }

  if (withServer) {
    let server = findTemporalServer(cacheDir);
    if (server) {
      info(`Temporal server: reused ${server.server}`);
    } else {
      server = await buildTemporalServer(cacheDir, report);
      if (!server) return 1;
      report(`Temporal server: built ${server.server}`);
    }
  }

  // Workers then start polling within a second or two instead of bundling first.
  const { source } = await loadWorkflowBundle(cacheDir);
  (source === 'built' ? report : info)(`Workflow bundle: ${source === 'built' ? 'built' : 'up to date'} in ${cacheDir}`);

  // The PDF/A validator the compiled-report tests use; without it those tests fail and say why.
  const veraPdf = findVeraPdf(cacheDir);
  if (veraPdf) info(`veraPDF: reused ${veraPdf}`);
  else if (await provisionVeraPdf(cacheDir, report)) report(`veraPDF: fetched into ${cacheDir}`);

  const missing = [cli ? [] : ['Temporal CLI'], testServer ? [] : ['Temporal test server']].flat();
  if (missing.length === 0) return 0;
  if (await reachable(sdkDownloadHost)) {
    report(`${missing.join(' and ')}: missing here; the Temporal SDK will download it from ${sdkDownloadHost} when needed`);
    return 0;
  }
  console.error(
    `${missing.join(' and ')}: missing, cannot be built here, and ${sdkDownloadHost} is unreachable. ` +
      'Install Go 1.25+ (for the CLI) and Java 17 + Maven (for the test server), or set TEMPORAL_CLI_PATH, ' +
      'then run `npm run provision` again.',
  );
  return 1;
}

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
}

try {
  process.exitCode = await provision(process.argv.includes('--quiet'), process.argv.includes('--server'));
} catch (error) {
  // Bad configuration is the expected failure: say it plainly, without a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
}
