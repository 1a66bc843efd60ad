/**
 * `npm run bench`: a compressed reporting cycle for N partners on the real parts, measured.
 * A throwaway embedded PostgreSQL (or DATABASE_URL, which must hold no partners), the Temporal dev
 * server as `npm run dev` starts it, an SMTP sink in this process, Partnerflow's worker as a
 * process of its own (so its memory can be read), and in the same run the floor: the same number
 * of no-op and one-activity workflows on a floor worker with the same settings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { createCompilationActivities } from '../../../activities/compilation';
import { eachWithConcurrency, startCycleReports, storeCycle } from '../../cli/cycle-opening';
import type { Config } from '../../config';
import { createDb, type Database } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { findCycleStatus } from '../../db/queries/cycle-status';
import { emailLedger } from '../../db/schema';
import { partnerDataKeyStore } from '../../db/queries/partner-data-keys';
import { localDateIn } from '../../domain/calendar';
import { findTemporalCli } from '../../temporal/binaries';
import { connectClient } from '../../temporal/client';
import type { Log } from '../log';
import { freePort } from '../ports';
import { ensureDatabase, startEmbeddedPostgres } from '../postgres';
import { startTemporalDevServer } from '../temporal-server';
import { startWorkerProcess, workerEnvironment, type WorkerProcess } from '../worker-processes';
import { compressedDrill, stepOfLedgerKey, type DrillWave } from './drill';
import { seedBenchPartners } from './partners';
import { cpuMeter } from './process-cpu';
import { findProcessByCommandLine, processMemory, watchPeakMemory } from './process-memory';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { acceptedStepsByWorkflow, describeNotSent, stepQuestions, timelineQuery, type NotSentByRule, type StepQuestionsSummary } from './step-decisions';
import { annualReportWorkflowId } from '../../temporal/workflow-ids';

export type BenchOptions = {
  partners: number;
  /** Seconds between waves; default scales with N so each wave ends before the next begins. */
  gapSeconds?: number;
  /** Skip compiling the annual report at the end. */
  compile?: boolean;
  /** Skip the floor (its figures and ratios are then missing), e.g. to measure 10,000 partners in less time. */
  floor?: boolean;
  /** Seconds to wait after the last wave's moment for what has not arrived; default 200 ms a partner, at least 120 s. */
  patienceSeconds?: number;
  /** Shows progress (done, total) of a phase; the caller draws it. */
  progress?: (phase: string, done: number, total: number) => void;
  log: Log;
};

export type WaveFigures = { label: string; plannedAt: string; emails: number; intended: number; lastAcceptedAfterS: number | null; emailsPerS: number | null };
export type FloorFigures = { workflows: number; completed: number; settledS: number; workflowsPerS: number };

/** CPU seconds per process over a stretch of the run (process-cpu.ts); NaN where a process was not found. */
export type CpuSeconds = { worker: number; temporal: number; postgres: number };

export type BenchFigures = {
  partners: number;
  gapSeconds: number;
  timezone: string;
  settings: Config['worker'] & { cycleStartConcurrency: number };
  wallS: number;
  startsIssuedS: number;
  startsSettledS: number;
  /** Reports with their first state when settling stopped: N, unless it gave up. */
  startsSettled: number;
  waves: WaveFigures[];
  emails: { intended: number; delivered: number; duplicates: number; withoutMessageId: number; perS: number };
  /** Planned steps the workflows did not send by their own rule (so not intended), as 'N × step: why' lines. */
  notSentByRule: string[];
  /** Who was asked for those steps, and who was not asked or did not answer in time (their steps count as intended). */
  stepQuestions: StepQuestionsSummary;
  floor: { noop: FloorFigures; oneActivity: FloorFigures } | null;
  invitationVsOneActivity: number;
  /** From the first start until every first state: what the starts (and the invitations sent meanwhile) cost; the floor's one-activity run likewise. */
  cpu: { startsSettled: CpuSeconds; floorOneActivity: CpuSeconds | null };
  /** From the start of the compile: the version stored with its text formats; its PDF and DOCX typeset. Null when skipped. */
  compile: { textFormatsS: number; archiveFormatsS: number } | null;
  cycleStatusS: number;
  memory: {
    workerPeakBytes: number;
    /** The worker's peak until every report's first state was recorded, and from then until the waves were counted. */
    workerStartsPeakBytes: number;
    workerWavesPeakBytes: number;
    temporalPeakBytes: number;
    floorWorkerPeakBytes: number;
    workerIdleBytes: number;
    workerSettledBytes: number;
    cachedWorkflows: number | null;
    perCachedWorkflowBytes: number | null;
  };
  machine: { cores: number; loadAverage: number };
};

const year = 2040;
/** How long no email may arrive before the bench asks the workflows which steps they did not send. */
const quietBeforeAskingMs = 5_000;
/** The questions after the wait, when the wait used all its patience: at most this long (and no longer than the patience). */
const finalQuestionsMs = 120_000;
const floorWorkerScript = fileURLToPath(new URL('../../../scripts/bench-floor-worker.ts', import.meta.url));

/** Enough time between waves for a wave of N to finish before the next: 40 ms a partner, at least 30 s. */
export function defaultGapSeconds(partners: number): number {
  return 2 * Math.ceil(Math.max(30, partners * 0.04) / 2);
}

export async function runBenchmark(baseConfig: Config, options: BenchOptions): Promise<BenchFigures> {
  const { partners, log } = options;
  const gapSeconds = options.gapSeconds ?? defaultGapSeconds(partners);
  const progress = options.progress ?? (() => undefined);
  const began = Date.now();
  const scratch = await mkdtemp(join(tmpdir(), 'partnerflow-bench-'));
  const stops: (() => Promise<void> | void)[] = [];
  try {
    // PostgreSQL: a throwaway embedded server unless DATABASE_URL names one.
    let databaseUrl = baseConfig.database.url;
    let postgresPid: number | undefined;
    if (baseConfig.database.embedded) {
      const { chmod } = await import('node:fs/promises');
      await chmod(scratch, 0o755); // run as root, the server is the postgres user and must enter it
      const postgres = await startEmbeddedPostgres({ dataDir: join(scratch, 'postgres'), persistent: false });
      stops.push(() => postgres.stop());
      postgresPid = postgres.pid > 0 ? postgres.pid : undefined;
      databaseUrl = await ensureDatabase(postgres.adminUrl, 'partnerflow_bench');
    }
    await migrateDatabase(databaseUrl);
    const { db, close } = createDb(databaseUrl);
    stops.push(close);
    log(`seeding ${partners} partners`);
    const numbers = await seedBenchPartners(db, partners);

    const sink = await startSmtpSink();
    stops.push(() => sink.stop());

    const cliPath = findTemporalCli({ cacheDir: baseConfig.binaries.cacheDir, explicitPath: baseConfig.binaries.temporalCliPath });
    if (!cliPath) throw new Error('no Temporal CLI: run `npm run provision` first');
    const temporalDb = join(scratch, 'temporal.db');
    const server = await startTemporalDevServer({
      cliPath,
      dbFile: temporalDb,
      port: await freePort(),
      uiPort: await freePort(),
      namespace: baseConfig.temporal.namespace,
      onLog: log,
    });
    stops.push(() => server.stop());
    const temporalPid = findProcessByCommandLine(temporalDb);
    const temporalPeak = watchPeakMemory(() => temporalPid);
    stops.push(() => temporalPeak.stop());

    const config: Config = {
      ...baseConfig,
      database: { ...baseConfig.database, url: databaseUrl },
      dataDir: scratch,
      temporal: { ...baseConfig.temporal, address: server.address, taskQueue: 'partnerflow-bench' },
      smtp: { ...baseConfig.smtp, url: `smtp://127.0.0.1:${sink.port}` },
      logLevel: 'warn',
    };

    // The floor first, on its own worker, which is stopped before the cycle begins.
    const floor = (options.floor ?? true) ? await measureFloor(config, partners, log, progress, () => temporalPid) : null;

    const metricsPort = await freePort();
    const worker = startWorkerProcess(1, config, (line) => log(`worker: ${line}`), metricsPort);
    stops.push(() => worker.stop());
    await waitUntilReady(worker, `http://127.0.0.1:${metricsPort}/readyz`);
    const workerPeak = watchPeakMemory(() => worker.pid);
    stops.push(() => workerPeak.stop());
    const workerIdleBytes = processMemory(worker.pid)?.rssBytes ?? Number.NaN;

    const client = await connectClient(config, partnerDataKeyStore(db, config.payloadKeys));
    stops.push(() => client.connection.close());

    const openedAt = new Date(Date.now() + 1_000);
    const drill = compressedDrill(openedAt, gapSeconds, config.timezone);
    log(`drill: waves ${gapSeconds} s apart, sent on every day around the clock (${drill.timezone})`);
    const intended = partners * drill.waves.reduce((sum, wave) => sum + wave.emailsPerPartner, 0);
    await storeCycle(config, { year, dueDate: localDateIn(drill.dueAt, drill.timezone), policy: drill.policy }, true);

    // Starts through the product's path; "settled" once every report has recorded its first state.
    await sleep(Math.max(0, openedAt.getTime() - Date.now()));
    const startedAt = Date.now();
    const startsCpu = cpuMeter({ worker: () => worker.pid, temporal: () => temporalPid, postgres: () => postgresPid });
    const lastPlanned = drill.waves.at(-1)?.plannedAt.getTime() ?? Date.now();
    const patience = options.patienceSeconds === undefined ? patienceMs(partners) : options.patienceSeconds * 1000;
    const settled = waitForCount(() => recordedReports(db), partners, (done) => progress('first states', done, partners), lastPlanned + patience);
    await startCycleReports(client, config, year, numbers, (done) => progress('starts', done, partners), { dueAt: drill.dueAt.toISOString() });
    const startsIssuedS = (Date.now() - startedAt) / 1000;
    const { at: settledAt, count: startsSettled } = await settled;
    const startsSettledS = (settledAt - startedAt) / 1000;
    const startsSettledCpu = startsCpu.read();
    const workerSettledBytes = processMemory(worker.pid)?.rssBytes ?? Number.NaN;
    const workerStartsPeakBytes = workerPeak.phase();
    const cachedWorkflows = await stickyCacheSize(metricsPort);

    // Until every intended email has been accepted, or well past the last wave's moment. A step a
    // workflow did not send by its own rule is not intended: its timeline says so, and is asked
    // (from the last wave's moment on, at most every 30 s) so the wait ends when the rest has
    // arrived. Asked only once no email has arrived for a while: queries compete with the workflow
    // tasks of a wave still being sent, and would slow what is measured. Only the reports that are
    // not settled are asked, and each round ends by the deadline (see stepQuestions).
    const workflowIds = numbers.map((number) => annualReportWorkflowId(number, year));
    const stepIds = drill.waves.flatMap((wave) => wave.stepIds);
    const questions = stepQuestions(timelineQuery(client), workflowIds, stepIds);
    const acceptedNow = () => acceptedSteps(db, sink, stepIds);
    const asking = (done: number, total: number) => progress('timeline questions', done, total);
    const deadline = lastPlanned + patience;
    let notSentCount = 0;
    let askedAt = 0;
    let arrived = sink.acceptedAt.size;
    let arrivedAt = Date.now();
    await waitForCount(
      async () => {
        if (sink.acceptedAt.size !== arrived) [arrived, arrivedAt] = [sink.acceptedAt.size, Date.now()];
        // Quiet since the last wave's moment too: the lull before it is no reason to ask while it is being sent.
        const quiet = Date.now() - Math.max(arrivedAt, lastPlanned) >= quietBeforeAskingMs;
        if (quiet && Date.now() - askedAt >= 30_000) {
          await questions.round(await acceptedNow(), deadline, asking);
          notSentCount = questions.notSent().length;
          askedAt = Date.now();
        }
        return sink.acceptedAt.size + notSentCount;
      },
      intended,
      (done) => progress('emails', done, intended),
      deadline,
    );
    // One more round for what arrived or was decided since: until the deadline, or, when the wait
    // used it all, briefly; whoever it does not reach is counted as not asked, never waited for.
    await questions.round(await acceptedNow(), Math.max(deadline, Date.now() + Math.min(patience, finalQuestionsMs)), asking);
    const notSent = questions.notSent();
    const acceptedByWorkflow = await acceptedNow();
    const waves = await waveFigures(db, sink, drill.waves, partners, notSent);

    const workerWavesPeakBytes = workerPeak.phase();

    const statusStarted = performance.now();
    await findCycleStatus(db, year);
    const cycleStatusS = (performance.now() - statusStarted) / 1000;

    // As the cycle workflow compiles: the version is stored with its text formats, then PDF and DOCX follow.
    let compile: BenchFigures['compile'] = null;
    if (options.compile ?? true) {
      const compileStarted = performance.now();
      const { compileAnnualReport, typesetArchiveFormats } = createCompilationActivities({ db, config });
      const stored = await compileAnnualReport({ year, archiveFormats: 'follow' });
      const textFormatsS = (performance.now() - compileStarted) / 1000;
      await typesetArchiveFormats({ year, version: stored.version });
      compile = { textFormatsS, archiveFormatsS: (performance.now() - compileStarted) / 1000 };
    }

    const accepted = [...sink.acceptedAt.values()];
    const firstAccepted = accepted.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
    const lastAccepted = accepted.reduce((a, b) => Math.max(a, b), 0);
    const invitation = waves[0];
    const invitationS = invitation?.lastAcceptedAfterS ?? Number.NaN;
    const { cpus, loadavg } = await import('node:os');
    return {
      partners,
      gapSeconds,
      timezone: drill.timezone,
      settings: { ...config.worker, cycleStartConcurrency: config.cycleStartConcurrency },
      wallS: (Date.now() - began) / 1000,
      startsIssuedS,
      startsSettledS,
      startsSettled,
      waves,
      emails: {
        intended: intended - notSent.length,
        delivered: sink.acceptedAt.size,
        duplicates: sink.duplicates(),
        withoutMessageId: sink.withoutMessageId(),
        perS: accepted.length > 1 ? accepted.length / ((lastAccepted - firstAccepted) / 1000) : 0,
      },
      notSentByRule: describeNotSent(notSent),
      stepQuestions: questions.summary(acceptedByWorkflow),
      floor: floor && { noop: floor.noop, oneActivity: floor.oneActivity },
      invitationVsOneActivity: floor ? invitationS / floor.oneActivity.settledS : Number.NaN,
      cpu: { startsSettled: startsSettledCpu, floorOneActivity: floor?.oneActivityCpu ?? null },
      compile,
      cycleStatusS,
      memory: {
        workerPeakBytes: workerPeak.peakBytes(),
        workerStartsPeakBytes,
        workerWavesPeakBytes,
        temporalPeakBytes: temporalPeak.peakBytes(),
        floorWorkerPeakBytes: floor?.workerPeakBytes ?? Number.NaN,
        workerIdleBytes,
        workerSettledBytes,
        cachedWorkflows,
        // Growth from idle to every report started and cached; none (noise, a collection) says nothing.
        perCachedWorkflowBytes: cachedWorkflows && workerSettledBytes > workerIdleBytes ? (workerSettledBytes - workerIdleBytes) / cachedWorkflows : null,
      },
      machine: { cores: cpus().length, loadAverage: loadavg()[0] ?? 0 },
    };
  } finally {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        log(`stopping: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Per wave: its emails and how long after its planned moment the last one was accepted. */
async function waveFigures(db: Database, sink: SmtpSink, waves: DrillWave[], partners: number, notSent: readonly NotSentByRule[]): Promise<WaveFigures[]> {
  const rows = await db.execute<{ message_id: string; idempotency_key: string }>(sql`select message_id, idempotency_key from email_ledger`);
  const acceptedByStep = new Map<string, number[]>();
  for (const row of rows) {
    const step = stepOfLedgerKey(row.idempotency_key);
    const at = sink.acceptedAt.get(row.message_id);
    if (step === undefined || at === undefined) continue;
    const times = acceptedByStep.get(step);
    if (times) times.push(at);
    else acceptedByStep.set(step, [at]);
  }
  return waves.map((wave) => {
    const times = wave.stepIds.flatMap((id) => acceptedByStep.get(id) ?? []);
    const last = times.length > 0 ? times.reduce((a, b) => Math.max(a, b)) : undefined;
    const seconds = last === undefined ? null : (last - wave.plannedAt.getTime()) / 1000;
    return {
      label: wave.label,
      plannedAt: wave.plannedAt.toISOString(),
      emails: times.length,
      intended: partners * wave.emailsPerPartner - notSent.filter((step) => wave.stepIds.includes(step.stepId)).length,
      lastAcceptedAfterS: seconds,
      emailsPerS: seconds && seconds > 0 ? times.length / seconds : null,
    };
  });
}

/** Per report workflow, the drill steps whose email the sink accepted. */
async function acceptedSteps(db: Database, sink: SmtpSink, stepIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const rows = await db
    .select({ workflowId: emailLedger.workflowId, messageId: emailLedger.messageId, idempotencyKey: emailLedger.idempotencyKey })
    .from(emailLedger);
  return acceptedStepsByWorkflow(rows, sink.acceptedAt, stepIds);
}

async function recordedReports(db: Database): Promise<number> {
  const [row] = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from annual_reports r join reporting_cycles c on c.id = r.cycle_id where c.year = ${year} and r.workflow_id is not null`,
  );
  return row?.n ?? 0;
}

/**
 * Polls until `probe` reaches `target` or the deadline passes; resolves with the moment it stopped
 * (epoch ms) and the count then, so a run that cannot finish still reports how far it got.
 */
async function waitForCount(
  probe: () => Promise<number>,
  target: number,
  onProgress: (n: number) => void,
  deadline: number,
): Promise<{ at: number; count: number }> {
  for (;;) {
    const count = await probe();
    onProgress(count);
    if (count >= target || Date.now() > deadline) return { at: Date.now(), count };
    await sleep(100);
  }
}

/** How long to wait for N of something before giving up and reporting what arrived. */
function patienceMs(partners: number): number {
  return Math.max(120_000, partners * 200);
}

async function waitUntilReady(worker: WorkerProcess, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void worker.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error('the worker exited before it was ready (see its lines above)');
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1_000) })).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`the worker was not ready within ${timeoutMs / 1000} s`);
}

/** The SDK's own count of workflows in the worker's cache, from its /metrics. */
async function stickyCacheSize(metricsPort: number): Promise<number | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const match = /^temporal_sticky_cache_size(?:\{[^}]*\})?\s+(\d+(?:\.\d+)?)/m.exec(text);
    return match?.[1] === undefined ? null : Number(match[1]);
  } catch {
    return null;
  }
}

type FloorRun = { noop: FloorFigures; oneActivity: FloorFigures; oneActivityCpu: CpuSeconds; workerPeakBytes: number };

/** N no-op and N one-activity workflows, started as the cycle's reports are, on the floor worker. */
async function measureFloor(
  config: Config,
  partners: number,
  log: Log,
  progress: NonNullable<BenchOptions['progress']>,
  temporalPid: () => number | undefined,
): Promise<FloorRun> {
  const taskQueue = 'partnerflow-bench-floor';
  const child = spawn(process.execPath, ['--import', 'tsx', floorWorkerScript], {
    env: { ...workerEnvironment(config), TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const peak = watchPeakMemory(() => child.pid);
  createInterface({ input: child.stderr }).on('line', (line) => log(`floor worker: ${line}`));
  const connection = await Connection.connect({ address: config.temporal.address });
  try {
    await floorWorkerReady(child);
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const run = async (workflowType: 'noopWorkflow' | 'oneActivityWorkflow'): Promise<FloorFigures> => {
      const started = Date.now();
      const ids = Array.from({ length: partners }, (_, i) => `floor/${workflowType}/${i + 1}`);
      const done = waitForCount(
        async () => (await client.workflow.count(`WorkflowType = "${workflowType}" AND ExecutionStatus = "Completed"`)).count,
        partners,
        (n) => progress(`floor ${workflowType}`, n, partners),
        started + 2 * patienceMs(partners),
      );
      await eachWithConcurrency(ids, config.cycleStartConcurrency, async (workflowId) => {
        await client.workflow.start(workflowType, { workflowId, taskQueue, args: [] });
      });
      const { at, count: completed } = await done;
      const settledS = (at - started) / 1000;
      return { workflows: partners, completed, settledS, workflowsPerS: completed / settledS };
    };
    const noop = await run('noopWorkflow');
    // The floor's workflows touch no PostgreSQL of ours (the dev server keeps its own SQLite file).
    const cpu = cpuMeter({ worker: () => child.pid, temporal: temporalPid, postgres: () => undefined });
    const oneActivity = await run('oneActivityWorkflow');
    const oneActivityCpu = cpu.read();
    log(`floor: ${partners} no-op workflows in ${noop.settledS.toFixed(1)} s, one-activity in ${oneActivity.settledS.toFixed(1)} s`);
    return { noop, oneActivity, oneActivityCpu, workerPeakBytes: peak.peakBytes() };
  } finally {
    peak.stop();
    await connection.close();
    await stopChild(child);
  }
}

async function floorWorkerReady(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (line.trim() === 'ready') resolve();
    });
    child.once('exit', (code) => reject(new Error(`the floor worker exited (code ${code}) before it was ready`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  if ((await Promise.race([exited.then(() => true), sleep(10_000, false)])) === false) {
    child.kill('SIGKILL');
    await exited;
  }
}
