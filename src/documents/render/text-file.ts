import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { PartnerChapter } from '../model';

/** A text file written piece by piece, waiting for the disk when its buffer is full (bounded memory). */
export type TextFile = { write(text: string): Promise<void>; close(): Promise<void> };

/** A document written front matter first, then each chapter as it is read, then what follows the chapters. */
export type ChapterWriter = { begin(): Promise<void>; chapter(chapter: PartnerChapter): Promise<void>; end(): Promise<void> };

export function openTextFile(path: string): TextFile {
  const out = createWriteStream(path, { encoding: 'utf8' });
  return {
    write: async (text) => {
      if (!out.write(text)) await once(out, 'drain');
    },
    close: () => new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve()))),
  };
}
