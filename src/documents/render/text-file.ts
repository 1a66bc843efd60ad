import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import type { PartnerChapter } from '../model';

/** A text file written piece by piece, waiting for the disk when its buffer is full (bounded memory). */
export type TextFile = { write(text: string): Promise<void>; close(): Promise<void> };

/** A text file on disk, which can also take a file's bytes after what was written so far (the chapters written while the reports were read). */
export type DiskTextFile = TextFile & { append(path: string): Promise<void> };

/** A document written front matter first, then each chapter as it is read, then what follows the chapters. */
export type ChapterWriter = { begin(): Promise<void>; chapter(chapter: PartnerChapter): Promise<void>; end(): Promise<void> };

/**
 * Pieces are gathered up to this many characters before they go to the stream: the renderers write
 * one table row or one JSON element at a time, and a write per piece cost more than the text itself
 * (profiled: a third of the main thread's time at 1,000 partners went to single small writes).
 */
const chunkCharacters = 256 * 1024;

export function openTextFile(path: string): DiskTextFile {
  const out = createWriteStream(path, { encoding: 'utf8' });
  let pieces: string[] = [];
  let pending = 0;
  const flush = async () => {
    if (pending === 0) return;
    const text = pieces.join('');
    pieces = [];
    pending = 0;
    if (!out.write(text)) await once(out, 'drain');
  };
  return {
    write: async (text) => {
      pieces.push(text);
      pending += text.length;
      if (pending >= chunkCharacters) await flush();
    },
    append: async (path) => {
      await flush();
      for await (const chunk of createReadStream(path)) if (!out.write(chunk as Buffer)) await once(out, 'drain');
    },
    close: async () => {
      await flush();
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    },
  };
}
