import { writeFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { renderDocx } from './docx';
import { renderPdf } from './pdf';
import type { VolumeContent, VolumeFormat } from './volume-content';

/**
 * A worker thread that typesets volumes (see volume-pool.ts): one task at a time, the file written
 * here so the volume's bytes never pass through the main thread.
 */
export type VolumeTask = { id: number; format: VolumeFormat; content: VolumeContent; path: string; createdAt: number };
/** `seconds`: how long the thread took to typeset and write it. */
export type VolumeTaskDone = { id: number; seconds: number; error?: string };

const port = parentPort;
if (!port) throw new Error('volume-worker: must run as a worker thread');
port.on('message', (task: VolumeTask) => {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  void render(task).then(
    () => port.postMessage({ id: task.id, seconds: seconds() } satisfies VolumeTaskDone),
    (error: unknown) =>
      port.postMessage({ id: task.id, seconds: seconds(), error: error instanceof Error ? error.message : String(error) } satisfies VolumeTaskDone),
  );
});

async function render({ format, content, path, createdAt }: VolumeTask): Promise<void> {
  const bytes =
    format === 'pdf'
      ? await renderPdf(content.report, content.volume, { createdAt: new Date(createdAt) })
      : await renderDocx(content.report, content.volume);
  await writeFile(path, bytes);
}
