import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { heartbeat } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../../config';
import { findTemporalCli } from '../../temporal/binaries';
import { eachWithConcurrency } from '../../temporal/cycle-starts';
import { firstTaskCommands } from '../../temporal/history-timeline';
import type { CommandActivities } from '../../../test/fixtures/workflows/commands';
import { freePort } from '../ports';
import { startTemporalDevServer } from '../temporal-server';
import { processTreeCpuSeconds } from './process-cpu';
import { findProcessByCommandLine } from './process-memory';

/**
 * What each command of a report's first task costs the Temporal dev server: N workflows of each
 * kind (test/fixtures/workflows/commands.ts), started and awaited C at a time, the kinds in turn
 * for R rounds (the server slows as its SQLite file grows, so no kind always goes last), the
 * server's CPU read from /proc around each batch. The worker runs in this process.
 */
export const commandKinds = [
  { workflowType: 'oneActivity', label: 'one activity' },
  { workflowType: 'heartbeatingActivity', label: 'one activity that heartbeats once' },
  { workflowType: 'localThenActivity', label: 'a local activity, then an activity' },
  { workflowType: 'twoLocalActivities', label: 'two local activities' },
  { workflowType: 'patchesThenActivity', label: 'two patches, then an activity' },
  { workflowType: 'upsertThenActivity', label: 'one search-attribute upsert, then an activity' },
  { workflowType: 'patchesUpsertThenActivity', label: 'two patches and an upsert, then an activity' },
] as const;

export type CommandKindFigures = {
  workflowType: string;
  label: string;
  /** The server's CPU per workflow in each round, in ms. */
  serverMsPerRound: number[];
  /** This process's CPU (worker and client) per workflow in each round, in ms. */
  workerMsPerRound: number[];
  /** The first task's recorded events of one workflow of this kind, so a reader sees what was measured. */
  firstTask: string[];
};

export type CommandBenchOptions = { workflows: number; rounds: number; concurrency: number; config: Config; log?: (line: string) => void };

export async function measureCommandCosts(options: CommandBenchOptions): Promise<CommandKindFigures[]> {
  const { workflows, rounds, concurrency, config, log = () => {} } = options;
  const cliPath = findTemporalCli({ cacheDir: config.binaries.cacheDir, explicitPath: config.binaries.temporalCliPath });
  if (!cliPath) throw new Error('no Temporal CLI: run `npm run provision` first');
  const scratch = await mkdtemp(join(tmpdir(), 'partnerflow-bench-commands-'));
  const dbFile = join(scratch, 'temporal.db');
  const server = await startTemporalDevServer({ cliPath, dbFile, port: await freePort(), uiPort: await freePort(), namespace: 'default', onLog: log });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  try {
    const serverPid = findProcessByCommandLine(dbFile);
    if (serverPid === undefined) throw new Error('the dev server process was not found');
    const activities: CommandActivities = { touch: async () => undefined, touchWithHeartbeat: async () => heartbeat() };
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue: 'bench-commands',
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: fileURLToPath(new URL('../../../test/fixtures/workflows/commands.ts', import.meta.url)),
        logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      }),
      activities,
    });
    const client = new Client({ connection });
    const figures: CommandKindFigures[] = commandKinds.map((kind) => ({ ...kind, serverMsPerRound: [], workerMsPerRound: [], firstTask: [] }));
    await worker.runUntil(async () => {
      for (let round = 0; round < rounds; round++) {
        for (let turn = 0; turn < figures.length; turn++) {
          const kind = figures[(round + turn) % figures.length] as CommandKindFigures;
          const ids = Array.from({ length: workflows }, (_, i) => `${kind.workflowType}/${round}/${i}`);
          const serverBefore = processTreeCpuSeconds(serverPid) ?? Number.NaN;
          const ownBefore = process.cpuUsage();
          await eachWithConcurrency(ids, concurrency, async (workflowId) => {
            await (await client.workflow.start(kind.workflowType, { workflowId, taskQueue: 'bench-commands' })).result();
          });
          const own = process.cpuUsage(ownBefore);
          kind.serverMsPerRound.push((((processTreeCpuSeconds(serverPid) ?? Number.NaN) - serverBefore) * 1000) / workflows);
          kind.workerMsPerRound.push((own.user + own.system) / 1000 / workflows);
          if (round === 0) kind.firstTask = firstTaskCommands(await client.workflow.getHandle(ids[0] as string).fetchHistory());
          log(`round ${round + 1}: ${kind.label}: ${(kind.serverMsPerRound.at(-1) ?? 0).toFixed(1)} ms of the server's CPU a workflow`);
        }
      }
    });
    return figures;
  } finally {
    await connection.close();
    await nativeConnection.close();
    await server.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}
