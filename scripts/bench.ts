/**
 * `npm run bench -- [--partners N] [--gap SECONDS] [--patience SECONDS] [--no-floor] [--no-compile] [--json]`: a compressed reporting
 * cycle for N partners (default 1,000) on the real parts, with the floor in the same run.
 * What each figure means: README, "Benchmark". Progress goes to stderr on a terminal; the figures
 * to stdout.
 */
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { ConfigError, loadConfig } from '../src/config';
import { formatTable } from '../src/cli/output';
import { runBenchmark, type BenchFigures, type CpuSeconds, type FloorFigures } from '../src/dev/bench/run';
import type { StepQuestionsSummary } from '../src/dev/bench/step-decisions';
import { createLogger, useLogger } from '../src/observability/logger';

const { values } = parseArgs({
  options: {
    partners: { type: 'string', default: '1000' },
    gap: { type: 'string' },
    'no-compile': { type: 'boolean', default: false },
    'no-floor': { type: 'boolean', default: false },
    patience: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  strict: true,
});

function wholeNumber(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    console.error(`${flag}: must be a whole number of at least ${min}, not "${text}"`);
    process.exit(2);
  }
  return n;
}

const partners = wholeNumber('--partners', values.partners, 1) ?? 1000;
const gap = wholeNumber('--gap', values.gap, 2);
const patience = wholeNumber('--patience', values.patience, 0);
if (gap !== undefined && gap % 2 !== 0) {
  console.error(`--gap: must be an even number of seconds, not ${gap}`);
  process.exit(2);
}

const s = (seconds: number | null | undefined) => (seconds === null || seconds === undefined || !Number.isFinite(seconds) ? '—' : `${seconds.toFixed(1)} s`);
const mb = (bytes: number | null | undefined) => (bytes === null || bytes === undefined || !Number.isFinite(bytes) ? '—' : `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 0)} MB`);
const rate = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? '—' : `${n.toFixed(1)}/s`);
/** Said only when a phase gave up before all N arrived. */
const partial = (done: number, of: number) => (done < of ? ` (gave up: ${done} of ${of})` : '');
const ratio = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)} ×` : '—');

function floorFigure(floor: FloorFigures | undefined, partners: number): string {
  return floor ? `${s(floor.settledS)} (${rate(floor.workflowsPerS)})${partial(floor.completed, partners)}` : 'skipped';
}

/** "worker / Temporal / PostgreSQL s (N ms per workflow)"; PostgreSQL left out where it was not measured. */
function cpuFigure(cpu: CpuSeconds | null, workflows: number): string {
  if (!cpu) return 'skipped';
  const parts = [cpu.worker, cpu.temporal, ...(Number.isFinite(cpu.postgres) ? [cpu.postgres] : [])];
  const total = parts.reduce((sum, part) => sum + (Number.isFinite(part) ? part : 0), 0);
  return `${parts.map((part) => (Number.isFinite(part) ? part.toFixed(1) : '—')).join(' / ')} s (${((total * 1000) / workflows).toFixed(0)} ms a workflow)`;
}

function asked(q: StepQuestionsSummary): string {
  const settled = `${q.settledByEmails} reports had every email in the end, ${q.settledByAnswer} were settled by their answer`;
  return q.queries === 0 ? `none; ${settled}` : `${q.queries} questions in ${q.rounds} round${q.rounds === 1 ? '' : 's'}; ${settled}`;
}

function print(f: BenchFigures): void {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  out(`Partnerflow benchmark: ${f.partners} partners, waves ${f.gapSeconds} s apart (sending calendar in ${f.timezone})`);
  out(
    `worker: cache ${f.settings.maxCachedWorkflows} workflows, ${f.settings.maxConcurrentWorkflowTaskExecutions} workflow tasks at once, ` +
      `${f.settings.workflowTaskPollers} pollers, ${f.settings.maxConcurrentActivityTaskExecutions} activities; ${f.settings.cycleStartConcurrency} starts at once`,
  );
  out(`machine: ${f.machine.cores} cores, load average ${f.machine.loadAverage.toFixed(1)} at the end (shared machines make these figures pessimistic)`);
  out('');
  out(
    formatTable(
      [
        { figure: 'wall time', value: s(f.wallS) },
        { figure: 'starts issued', value: s(f.startsIssuedS) },
        { figure: 'starts settled (every first state recorded)', value: s(f.startsSettledS) + partial(f.startsSettled, f.partners) },
        { figure: 'emails intended', value: String(f.emails.intended) },
        { figure: 'emails delivered (distinct Message-IDs)', value: String(f.emails.delivered) },
        { figure: 'emails duplicated', value: String(f.emails.duplicates) },
        { figure: 'emails per second (first to last accepted)', value: rate(f.emails.perS) },
        { figure: 'floor: no-op workflows settled', value: floorFigure(f.floor?.noop, f.partners) },
        { figure: 'floor: one-activity workflows settled', value: floorFigure(f.floor?.oneActivity, f.partners) },
        { figure: 'reports asked which steps they skipped', value: asked(f.stepQuestions) },
        { figure: 'reports not asked / not answered in time', value: `${f.stepQuestions.notAsked} / ${f.stepQuestions.notAnswered}` },
        { figure: 'invitation wave / one-activity floor', value: ratio(f.invitationVsOneActivity) },
        { figure: 'CPU until starts settled: worker / Temporal / PostgreSQL', value: cpuFigure(f.cpu.startsSettled, f.partners) },
        { figure: 'CPU of the one-activity floor: worker / Temporal', value: cpuFigure(f.cpu.floorOneActivity, f.partners) },
        { figure: 'compile: text formats ready (cycle compile)', value: f.compile === null ? 'skipped' : s(f.compile.textFormatsS) },
        { figure: 'compile: PDF/DOCX ready', value: f.compile === null ? 'skipped' : s(f.compile.archiveFormatsS) },
        { figure: 'cycle status query', value: s(f.cycleStatusS) },
        { figure: 'peak RSS: worker', value: mb(f.memory.workerPeakBytes) },
        { figure: 'peak RSS: worker until starts settled / after', value: `${mb(f.memory.workerStartsPeakBytes)} / ${mb(f.memory.workerWavesPeakBytes)}` },
        { figure: 'peak RSS: Temporal dev server', value: mb(f.memory.temporalPeakBytes) },
        { figure: 'peak RSS: floor worker', value: mb(f.memory.floorWorkerPeakBytes) },
        { figure: 'worker RSS idle / after starts settled', value: `${mb(f.memory.workerIdleBytes)} / ${mb(f.memory.workerSettledBytes)}` },
        { figure: 'workflows in the worker cache', value: f.memory.cachedWorkflows === null ? '—' : String(f.memory.cachedWorkflows) },
        { figure: 'worker memory per cached workflow', value: mb(f.memory.perCachedWorkflowBytes) },
      ],
      ['figure', 'value'],
    ),
  );
  out('');
  out(
    formatTable(
      f.waves.map((w) => ({
        wave: w.label,
        planned: w.plannedAt.slice(11, 19),
        'emails delivered/intended': `${w.emails}/${w.intended}`,
        'last accepted after planned': s(w.lastAcceptedAfterS),
        'emails/s': rate(w.emailsPerS),
        'vs one-activity floor': w.lastAcceptedAfterS === null || !f.floor ? '—' : ratio(w.lastAcceptedAfterS / f.floor.oneActivity.settledS),
      })),
      ['wave', 'planned', 'emails delivered/intended', 'last accepted after planned', 'emails/s', 'vs one-activity floor'],
    ),
  );
  const unknown = f.stepQuestions.notAsked + f.stepQuestions.notAnswered;
  if (unknown > 0) out(`\n${unknown} reports with emails missing were not asked or did not answer in time: steps they did not send by their rule count as intended above.`);
  if (f.notSentByRule.length > 0) out(`\nnot intended (not sent by the workflows' own rule): ${f.notSentByRule.join('; ')}`);
}

let bar: { phase: string; bar: SingleBar } | undefined;
/** One bar per phase on a terminal (stderr); nothing on a pipe. */
function progress(phase: string, done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  if (bar?.phase !== phase) {
    bar?.bar.stop();
    const next = new SingleBar({ format: `${phase.padEnd(26)} [{bar}] {value}/{total}`, stream: process.stderr }, Presets.shades_classic);
    next.start(total, done);
    bar = { phase, bar: next };
  }
  bar.bar.update(done);
}

try {
  const config = loadConfig();
  // The client's line per started workflow would drown the figures: warnings and errors only, on stderr.
  useLogger(createLogger({ level: 'warn', format: config.logFormat, name: 'bench', destination: 2 }));
  const figures = await runBenchmark(config, {
    partners,
    gapSeconds: gap,
    compile: !values['no-compile'],
    floor: !values['no-floor'],
    patienceSeconds: patience,
    progress,
    log: (line) => {
      bar?.bar.stop();
      bar = undefined;
      process.stderr.write(`${line}\n`);
    },
  });
  bar?.bar.stop();
  if (values.json) process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  else print(figures);
  process.exit(0);
} catch (error) {
  bar?.bar.stop();
  const plain = error instanceof ConfigError;
  console.error(plain && error instanceof Error ? error.message : error);
  process.exit(1);
}
