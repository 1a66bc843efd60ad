/**
 * How fast a worker polls after its process starts, and how big the workflow bundle is.
 *   npx tsx scripts/bench-worker-start.ts [--runs 3]
 * Starts a throwaway Temporal dev server (from the cache, see `npm run provision`), then starts
 * `partnerflow worker` as a separate process, first with no cached bundle, then `--runs` times with
 * the cached one, and measures from spawn to the first poller the server reports on the task queue.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../src/config';
import { freePort } from '../src/dev/ports';
import { startTemporalDevServer } from '../src/dev/temporal-server';
import { findTemporalCli } from '../src/temporal/binaries';
import { loadWorkflowBundle, workflowBundleCachePath } from '../src/temporal/workflow-bundle';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const config = loadConfig();
const cliPath = findTemporalCli({ cacheDir: config.binaries.cacheDir, explicitPath: config.binaries.temporalCliPath });
if (!cliPath) throw new Error('no Temporal CLI: run `npm run provision` first');

const scratch = mkdtempSync(join(tmpdir(), 'partnerflow-bench-'));
// A cache folder of its own, so the cold run does not throw away the developer's cached bundle.
const cacheDir = join(scratch, 'cache');
const server = await startTemporalDevServer({
  cliPath,
  dbFile: join(scratch, 'temporal.db'),
  port: await freePort(),
  uiPort: await freePort(),
  namespace: 'default',
});
const connection = await Connection.connect({ address: server.address });
const client = new Client({ connection });

/**
 * CPU seconds a process has used so far (user + system, from /proc; Linux clock ticks are 1/100 s).
 * On a shared machine wall time mostly measures the neighbours; CPU time is the worker's own cost.
 */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

type StartFigures = { wallMs: number; cpuS: number };

async function timeToFirstPoll(label: string): Promise<StartFigures> {
  const taskQueue = `bench-${label}-${Date.now()}`;
  const started = performance.now();
  const worker = spawn(process.execPath, ['bin/partnerflow.js', 'worker'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      PARTNERFLOW_CACHE: cacheDir,
      // The worker opens the database and SMTP lazily; polling needs neither.
      DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:9/none',
      SMTP_URL: 'smtp://127.0.0.1:9',
      LOG_LEVEL: 'warn',
    },
  });
  try {
    for (;;) {
      if (worker.exitCode !== null) throw new Error(`worker exited with code ${worker.exitCode} before it polled`);
      const { pollers } = await client.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: taskQueue },
        taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
      });
      if (pollers.length > 0) return { wallMs: performance.now() - started, cpuS: cpuSeconds(worker.pid ?? -1) };
      await sleep(20);
    }
  } finally {
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
  }
}

try {
  const cold = await timeToFirstPoll('cold');
  const warm: StartFigures[] = [];
  for (let i = 0; i < runs; i += 1) warm.push(await timeToFirstPoll(`warm${i}`));
  const { bundle, source } = await loadWorkflowBundle(cacheDir);
  if (source !== 'cache') throw new Error(`expected the worker to have cached the bundle in ${workflowBundleCachePath(cacheDir)}`);
  const mapAt = bundle.code.lastIndexOf('//# sourceMappingURL=');
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
  console.log(`workflow bundle: ${mb(Buffer.byteLength(bundle.code))} (code ${mb(mapAt)}, inline source map ${mb(bundle.code.length - mapAt)})`);
  const show = ({ wallMs, cpuS }: StartFigures) => `${(wallMs / 1000).toFixed(2)} s (${cpuS.toFixed(2)} CPU s)`;
  const [load] = loadavg();
  console.log(`worker start to first poll, bundling on start:  ${show(cold)}`);
  console.log(`worker start to first poll, cached bundle:      ${warm.map(show).join(', ')}`);
  console.log(`load average during the run: ${load?.toFixed(1)} on ${cpus().length} cores`);
} finally {
  await connection.close();
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
}
