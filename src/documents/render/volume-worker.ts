import { writeFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import type { FigureExportPart, FigureFiles } from './exports';
import type { ReportFigures } from './figures';
import { renderFragments, type ChapterFragment, type ReportToRead } from '../read-chapter';
import type { VolumeContent, VolumeFormat } from './volume-content';

/**
 * A worker thread of the render pool (see volume-pool.ts): typesets a PDF or DOCX volume, or
 * writes the figure exports (XLSX, CSV, JSON), one task at a time. Files are written here, so
 * their bytes never pass through the main thread.
 */
export type RenderTask =
  | { kind: 'volume'; format: VolumeFormat; content: VolumeContent; path: string; createdAt: number }
  | { kind: 'figures'; figures: ReportFigures; files: FigureFiles; part?: FigureExportPart }
  /** A batch of accepted reports rendered into chapter fragments while the compiling thread fetches the next (read-chapter.ts). */
  | { kind: 'chapters'; reports: ReportToRead[] };
/** `seconds`: how long the thread took; `chapters`: the fragments a 'chapters' task rendered (undefined: not a report). */
export type RenderTaskDone = { id: number; seconds: number; error?: string; chapters?: (ChapterFragment | undefined)[] };

const port = parentPort;
if (!port) throw new Error('volume-worker: must run as a worker thread');
// The chapters' reading is imported above, before the first task arrives: a warmed thread (pool.warm)
// has it loaded. The figure exports (exceljs) load right after, between the first batches of reports
// rather than before them; Typst and docx load with the first volume: a thread that only reads a
// compilation's reports (its PDF and DOCX follow in another activity) never needs them.
const figureExports = import('./exports');
port.on('message', ({ id, task }: { id: number; task: RenderTask }) => {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  if (task.kind === 'chapters') {
    let done: RenderTaskDone;
    try {
      done = { id, seconds: 0, chapters: renderFragments(task.reports) };
    } catch (error) {
      done = { id, seconds: 0, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage({ ...done, seconds: seconds() } satisfies RenderTaskDone);
    return;
  }
  void run(task).then(
    () => port.postMessage({ id, seconds: seconds() } satisfies RenderTaskDone),
    (error: unknown) => port.postMessage({ id, seconds: seconds(), error: error instanceof Error ? error.message : String(error) } satisfies RenderTaskDone),
  );
});

async function run(task: Exclude<RenderTask, { kind: 'chapters' }>): Promise<void> {
  if (task.kind === 'figures') return (await figureExports).writeFigureExports(task.figures, task.files, task.part);
  const { format, content, path, createdAt } = task;
  const bytes =
    format === 'pdf'
      ? await (await import('./pdf')).renderPdf(content.report, content.volume, { createdAt: new Date(createdAt) })
      : await (await import('./docx')).renderDocx(content.report, content.volume);
  await writeFile(path, bytes);
}
