import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChapterFragment, ReportToRead } from '../read-chapter';
import type { RenderTask, RenderTaskDone } from './volume-worker';

/**
 * Worker threads that typeset PDF and DOCX volumes (and write the figure exports) in parallel:
 * Typst and docx each use one core per document, so two volumes at once use two cores. Each thread holds one volume at a time and
 * `room()` lets the caller read the next volume only when a thread is about to be free: memory is
 * bounded by the number of threads times one volume, however many partners the cycle has.
 */
export type VolumePool = {
  /** Resolves with the seconds the thread took. */
  render(task: Exclude<RenderTask, { kind: 'chapters' }>): Promise<number>;
  /** Renders a batch of accepted reports into chapter fragments on a thread (read-chapter.ts), in the batch's order. */
  renderFragments(reports: ReportToRead[]): Promise<(ChapterFragment | undefined)[]>;
  /** Resolves when no task waits for a thread, so the caller may hand over the next one. */
  room(): Promise<void>;
  /** More threads (never fewer): e.g. once the main thread has finished its own formats. */
  grow(size: number): void;
  /** How many threads the pool may run at once now. */
  threads(): number;
  /** Starts the threads now (loading the renderers takes a moment), so the first task does not wait for it. */
  warm(): void;
  close(): Promise<void>;
};

/** One thread per core, at least one. */
export const defaultVolumeThreads = Math.max(1, availableParallelism());

// From the sources (tsx, vitest) the worker is TypeScript and needs tsx's loader in its thread;
// from the compiled CLI (dist/cli) it is the built volume-worker.js beside this chunk.
const fromSources = import.meta.url.endsWith('.ts');
const workerEntry = new URL(fromSources ? './volume-worker.ts' : './volume-worker.js', import.meta.url).href;
const tsxLoader = fromSources ? tsxEsmApi() : null;
const bootstrap = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsxLoader) (await import(workerData.tsxLoader)).register();
  await import(workerData.workerEntry);
})();`;

/** tsx's ES module API by its package's exports (its CommonJS twin cannot register the loader in a thread). */
function tsxEsmApi(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
  const entry = manifest.exports['./esm/api']?.import?.default;
  if (entry === undefined) throw new Error('tsx: its package exports no ES module API (./esm/api)');
  return pathToFileURL(join(dirname(manifestPath), entry)).href;
}

function taskName(task: RenderTask): string {
  if (task.kind === 'chapters') return `chapters of partners ${task.reports[0]?.number ?? ''} to ${task.reports.at(-1)?.number ?? ''}`;
  return task.kind === 'figures' ? 'figure exports' : `${task.format} volume ${task.content.volume.number}`;
}

type Pending = { id: number; task: RenderTask; resolve: (done: RenderTaskDone) => void; reject: (error: Error) => void };

export function createVolumePool(size: number): VolumePool {
  let limit = Math.max(1, size);
  let nextId = 1;
  const queue: Pending[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Pending>();
  const waitingForRoom: (() => void)[] = [];
  let closed = false;

  const start = () => {
    const worker = new Worker(bootstrap, { eval: true, workerData: { tsxLoader, workerEntry } });
    worker.on('message', (done: RenderTaskDone) => {
      const pending = busy.get(worker);
      busy.delete(worker);
      idle.push(worker);
      if (pending) {
        if (done.error === undefined) pending.resolve(done);
        else pending.reject(new Error(`${taskName(pending.task)}: ${done.error}`));
      }
      dispatch();
    });
    // A thread that dies (out of memory, a crash in native code, an error while it waits) or ends
    // fails its task, if it has one, and leaves the idle list: a task handed to a dead thread would
    // never be answered. The next task gets a new thread.
    const retire = (error: Error) => {
      const at = idle.indexOf(worker);
      if (at >= 0) idle.splice(at, 1);
      const pending = busy.get(worker);
      busy.delete(worker);
      pending?.reject(error);
      dispatch();
    };
    worker.on('error', retire);
    worker.on('exit', (code) => retire(new Error(`the render thread ended (exit code ${code})`)));
    return worker;
  };

  const dispatch = () => {
    while (queue.length > 0 && !closed) {
      const worker = idle.pop() ?? (busy.size < limit ? start() : undefined);
      if (!worker) break;
      const pending = queue.shift();
      if (!pending) break;
      busy.set(worker, pending);
      worker.postMessage({ id: pending.id, task: pending.task });
    }
    if (queue.length === 0) for (const wake of waitingForRoom.splice(0)) wake();
  };

  const run = (task: RenderTask) =>
    new Promise<RenderTaskDone>((resolve, reject) => {
      queue.push({ id: nextId++, task, resolve, reject });
      dispatch();
    });
  return {
    render: (task) => run(task).then((done) => done.seconds),
    renderFragments: (reports) =>
      run({ kind: 'chapters', reports }).then((done) => {
        if (done.chapters?.length !== reports.length) throw new Error(`chapters: a thread read ${done.chapters?.length ?? 0} of ${reports.length} reports`);
        return done.chapters;
      }),
    room: () => (queue.length === 0 ? Promise.resolve() : new Promise<void>((resolve) => waitingForRoom.push(resolve))),
    grow: (next) => {
      limit = Math.max(limit, next);
      dispatch();
    },
    threads: () => limit,
    warm: () => {
      while (!closed && idle.length + busy.size < limit) idle.push(start());
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const pending of queue.splice(0)) pending.reject(new Error('volume pool closed'));
      await Promise.all([...idle, ...busy.keys()].map((worker) => worker.terminate()));
      for (const wake of waitingForRoom.splice(0)) wake();
    },
  };
}
