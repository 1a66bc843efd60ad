/**
 * The year's reporting cycle (`cycle/<year>`): opens it by starting every active partner's report
 * in batches (one activity per batch, not per partner, so the history stays small), admits
 * partners who join during the cycle by its join rule, and compiles the report on the configured
 * date (emailing staff) or when staff ask (the `compile` Update, answered at once). Continues as
 * new when its history grows long, carrying what it must remember.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { compiledReportMailKeyPrefix, compiledReportTemplate } from '../src/domain/compiled-report-mail';
import { compileCycleArgsSchema, openCycleArgsSchema, partnerJoinedArgsSchema, typesetArchiveArgsSchema } from '../src/domain/cycle-requests';
import { formatIssues } from '../src/domain/issues';
import {
  compileCycleUpdate,
  cycleProgressQuery,
  openCycleSignal,
  partnerJoinedSignal,
  typesetArchiveUpdate,
  type CompileCycleArgs,
  type CycleCarried,
  type CycleCompilationView,
  type CycleJoinView,
  type CycleProgressView,
  type CycleStarts,
  type CycleSweepView,
  type CycleWorkflow,
  type OpenCycleArgs,
  type PartnerJoinedArgs,
  type TypesetArchiveArgs,
} from './contracts/cycle';
import { ReportYear, WorkflowKind } from './contracts/search-attributes';
import { documentsTaskQueue } from './contracts/task-queues';
import { parseArgs } from './refusals';
import { databaseActivity } from './activity-options';
import { gaveUpReason, recordNoticeGivenUp } from './notice-delivery';

type Activities = ReturnType<typeof createActivities>;

const { loadCycleSchedule, countCyclePartners, admitJoinedPartner } = proxyActivities<Activities>(databaseActivity);

// A batch heartbeats after every slice of partners, and every 2 s while a slice is under way; a
// worker that dies mid-batch is noticed within the heartbeat timeout and the retry resumes after
// the last slice it heartbeated.
const { openCycleBatch } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const compilationRetry = { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 5 } as const;

/**
 * Compiling and typesetting are kept alive: each finished step is a heartbeat, and the worker beats
 * every 2 s between steps (activities/compilation.ts), so a worker that dies while compiling is
 * noticed after 30 s, and the next attempt follows 10 s later. 30 s, not a database activity's 5 s:
 * a compilation takes from seconds to minutes, so half a minute more after a crash matters little,
 * while a timeout that a busy compiling thread overran would start a second compilation beside it.
 */
const compilationHeartbeat = '30 seconds';

const { compileAnnualReport } = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: compilationHeartbeat,
  retry: compilationRetry,
});

// A send, kept alive every 2 s (a staff email may carry megabytes): a worker that dies while
// sending is noticed after 5 s and the next attempt follows 10 s later.
const { emailCompiledReport } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '5 seconds',
  retry: compilationRetry,
});

// The PDF and DOCX volumes after the version is stored (minutes for a large cycle).
const typesetting = {
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: compilationHeartbeat,
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 5 },
} as const;

/**
 * Typesets on the documents queue (task-queues.ts). Cycles that typeset on their own queue before
 * the documents queue existed keep doing so on replay; their workers still host the activity.
 */
function typesetArchiveFormats(args: { year: number; version: number }) {
  const onDocumentsQueue = patched('typeset-on-documents-queue');
  const { typesetArchiveFormats: typeset } = proxyActivities<Activities>(
    onDocumentsQueue ? { ...typesetting, taskQueue: documentsTaskQueue(workflowInfo().taskQueue) } : typesetting,
  );
  return typeset(args);
}

/** Partners per opening activity, unless the input says otherwise. */
const DEFAULT_BATCH_SIZE = 250;
/** What the progress view keeps of the past (older entries are in the audit log and the database). */
const KEPT = { requests: 50, compilations: 20, joins: 100 };

const noStarts = (): CycleStarts => ({ announced: 0, startedDirectly: 0, alreadyStarted: 0, deferred: 0 });

export const cycleWorkflow: CycleWorkflow = async (input) => {
  const { year } = input;
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  const carried = input.carried;
  const generation = carried?.generation ?? 1;
  let sweep: CycleSweepView | undefined = carried?.sweep;
  const doneRequests = [...(carried?.doneRequests ?? [])];
  const compilations = [...(carried?.compilations ?? [])];
  const joins = [...(carried?.joins ?? [])];
  const compiledOn = [...(carried?.compiledOn ?? [])];
  const pendingOpen: OpenCycleArgs[] = [...(carried?.pendingOpen ?? [])];
  const pendingJoins: PartnerJoinedArgs[] = [...(carried?.pendingJoins ?? [])];
  const pendingCompiles: CompileCycleArgs[] = [...(carried?.pendingCompiles ?? [])];
  const pendingTypesets: TypesetArchiveArgs[] = [...(carried?.pendingTypesets ?? [])];
  let compileOn: string | undefined;
  let compileAt: number | undefined;
  let opening = false;

  const keep = <T>(list: T[], max: number) => list.splice(0, Math.max(0, list.length - max));
  const view = (): CycleProgressView => ({
    year,
    phase: opening ? 'opening' : 'open',
    ...(sweep && { sweep: { ...sweep, requestIds: [...sweep.requestIds], starts: { ...sweep.starts } } }),
    doneRequests: [...doneRequests],
    ...(compileOn !== undefined && { compileOn }),
    compilations: compilations.map((c) => ({ ...c })),
    joins: joins.map((j) => ({ ...j })),
    generation,
  });

  setHandler(cycleProgressQuery, view);
  // Signals, not Updates: the opener and a joining partner's lifecycle need not wait for the work.
  // Bad arguments are dropped (there is no caller to refuse); the schemas are the same as the clients'.
  setHandler(openCycleSignal, (args) => {
    const parsed = openCycleArgsSchema.safeParse(args);
    if (parsed.success) pendingOpen.push(parsed.data);
  });
  setHandler(partnerJoinedSignal, (args) => {
    const parsed = partnerJoinedArgsSchema.safeParse(args);
    if (parsed.success) pendingJoins.push(parsed.data);
    else joins.push({ partnerNumber: Number(args?.partnerNumber) || 0, accessionDate: String(args?.accessionDate ?? ''), decision: 'failed', error: formatIssues(parsed.error).join('; ') });
  });
  setHandler(
    compileCycleUpdate,
    (args) => {
      const request = parseArgs(compileCycleArgsSchema, args);
      // The same request again (a retried HTTP call): its entry as it stands, nothing queued twice.
      const known = compilations.find((c) => c.requestId === request.requestId);
      if (known) return { ...known };
      pendingCompiles.push(request);
      const entry: CycleCompilationView = { requestId: request.requestId, trigger: 'request', status: 'queued' };
      compilations.push(entry);
      keep(compilations, KEPT.compilations);
      return { ...entry };
    },
    { validator: (args) => void parseArgs(compileCycleArgsSchema, args) },
  );

  setHandler(
    typesetArchiveUpdate,
    (args) => {
      const request = parseArgs(typesetArchiveArgsSchema, args);
      // Asked twice before it ran (a double click): typeset once.
      if (!pendingTypesets.some((t) => t.version === request.version)) pendingTypesets.push(request);
      return { version: request.version, status: 'queued' as const };
    },
    { validator: (args) => void parseArgs(typesetArchiveArgsSchema, args) },
  );

  upsertSearchAttributes([
    { key: WorkflowKind, value: 'cycle' },
    { key: ReportYear, value: year },
  ]);

  const loadSchedule = async () => {
    const schedule = await loadCycleSchedule({ year });
    compileOn = schedule.compileOn;
    compileAt = schedule.compileAt !== undefined && !compiledOn.includes(schedule.compileOn ?? '') ? new Date(schedule.compileAt).getTime() : undefined;
  };
  await loadSchedule();

  /** One pass over the active partners for every open request waiting; repeated passes start nothing twice. */
  const openSweep = async () => {
    const requests = pendingOpen.splice(0, pendingOpen.length);
    opening = true;
    try {
      await loadSchedule();
      sweep = { requestIds: requests.map((r) => r.requestId), opened: 0, total: await countCyclePartners({ year }), starts: noStarts(), done: false };
      let after: number | null = null;
      for (;;) {
        const batch = await openCycleBatch.executeWithOptions({ summary: `opening after partner ${after ?? 0}` }, [{ year, after, limit: batchSize }]);
        sweep.opened += batch.count;
        // Partners who became active during the sweep are counted in when it reaches them.
        sweep.total = Math.max(sweep.total, sweep.opened);
        for (const key of Object.keys(batch.starts) as (keyof CycleStarts)[]) sweep.starts[key] += batch.starts[key];
        after = batch.last;
        if (!batch.more) break;
      }
      sweep.done = true;
      doneRequests.push(...sweep.requestIds);
      keep(doneRequests, KEPT.requests);
    } finally {
      opening = false;
    }
  };

  const admit = async (joined: PartnerJoinedArgs) => {
    try {
      const { decision } = await admitJoinedPartner({ year, partnerNumber: joined.partnerNumber });
      joins.push(
        decision.reports
          ? { ...joined, decision: 'reports', cutoff: decision.cutoff, dueDate: decision.dueDate }
          : { ...joined, decision: 'next-year', cutoff: decision.cutoff, fromYear: decision.fromYear },
      );
    } catch (error) {
      if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
      joins.push({ ...joined, decision: 'failed', error: error.cause?.message ?? error.message });
    }
    keep(joins, KEPT.joins);
  };

  /**
   * Emails staff the version. A mail that gives up (its attempts used up) is failed in the ledger
   * and the audit log, as every notice's is, before the caller records the error; cycles begun
   * before ask `patched`, as their histories have no such command.
   */
  const emailStaff = async (version: number) => {
    try {
      return await emailCompiledReport({ year, version });
    } catch (error) {
      const reason = gaveUpReason(error);
      if (reason !== undefined && patched('record-mail-gave-up')) {
        const keyPrefix = compiledReportMailKeyPrefix(year, version);
        await recordNoticeGivenUp({ keyPrefix, workflowId: workflowInfo().workflowId, template: compiledReportTemplate, reason });
      }
      throw error;
    }
  };

  const compile = async (entry: CycleCompilationView, request: { asOf?: string; email: boolean }) => {
    entry.status = 'compiling';
    // Histories recorded before: one activity wrote every format, the email followed it.
    const archiveFollows = patched('archive-formats-follow');
    try {
      const compiled = await compileAnnualReport({
        year,
        requestId: entry.requestId,
        ...(request.asOf !== undefined && { asOf: request.asOf }),
        ...(archiveFollows && { archiveFormats: 'follow' as const }),
      });
      entry.version = compiled.version;
      entry.status = 'compiled';
      if (archiveFollows) {
        // The version is usable now (text formats and figures); the PDF and DOCX follow, then the email with them.
        entry.archive = 'typesetting';
        await typesetArchiveFormats({ year, version: compiled.version });
        entry.archive = 'ready';
      }
      if (request.email) {
        const mailing = await emailStaff(compiled.version);
        entry.emailed = mailing.deliveries.filter((d) => d.status !== 'failed').length;
      }
    } catch (error) {
      if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
      if (entry.status === 'compiling') entry.status = 'failed';
      if (entry.archive === 'typesetting') entry.archive = 'failed';
      const cause = error.cause instanceof ApplicationFailure ? error.cause.message : (error.cause?.message ?? error.message);
      entry.errors = cause.split('\n');
    }
  };

  /** Staff's retry of a version's PDF and DOCX; how it went is in the version's formats (the database). */
  const typesetAgain = async (request: TypesetArchiveArgs) => {
    try {
      await typesetArchiveFormats({ year, version: request.version });
      if (request.email ?? true) await emailStaff(request.version);
    } catch (error) {
      if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
    }
  };

  const scheduledDue = () => compileAt !== undefined && Date.now() >= compileAt;
  const work = () => pendingOpen.length > 0 || pendingJoins.length > 0 || pendingCompiles.length > 0 || pendingTypesets.length > 0 || scheduledDue();
  for (;;) {
    const until = compileAt === undefined ? undefined : Math.max(1, compileAt - Date.now());
    if (until === undefined) await condition(() => work() || workflowInfo().continueAsNewSuggested);
    else await condition(() => work() || workflowInfo().continueAsNewSuggested, until, { summary: `compile-on-${compileOn}` });
    if (pendingOpen.length > 0) await openSweep();
    else if (pendingJoins.length > 0) await admit(pendingJoins.shift() as PartnerJoinedArgs);
    else if (pendingCompiles.length > 0) {
      const request = pendingCompiles.shift() as CompileCycleArgs;
      const entry = compilations.find((c) => c.requestId === request.requestId) ?? { requestId: request.requestId, trigger: 'request' as const, status: 'queued' as const };
      await compile(entry, { ...(request.asOf !== undefined && { asOf: request.asOf }), email: request.email ?? false });
    } else if (pendingTypesets.length > 0) {
      await typesetAgain(pendingTypesets.shift() as TypesetArchiveArgs);
    } else if (scheduledDue()) {
      const day = compileOn as string;
      const entry: CycleCompilationView = { requestId: `${workflowInfo().workflowId}/compile-on/${day}`, trigger: 'scheduled', status: 'queued' };
      compilations.push(entry);
      keep(compilations, KEPT.compilations);
      compiledOn.push(day);
      compileAt = undefined;
      // As `cycle compile` does: staff get the result by email.
      await compile(entry, { email: true });
    } else if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      if (work()) continue;
      const next: CycleCarried = {
        ...(sweep && { sweep }),
        doneRequests,
        compilations,
        joins,
        compiledOn,
        pendingOpen,
        pendingJoins,
        pendingCompiles,
        ...(pendingTypesets.length > 0 && { pendingTypesets }),
        generation: generation + 1,
      };
      return continueAsNew<CycleWorkflow>({ year, batchSize, carried: next });
    }
  }
};
