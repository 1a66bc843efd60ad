import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChapterBodies } from '../compile';
import type { CompiledReport } from '../model';
import { readFragment, type ChapterReader, type FragmentStore } from '../read-chapter';
import { figureTables, figuresOf } from './figures';
import { htmlPage } from './html';
import { markdownDocument } from './markdown';
import { openTextFile, type DiskTextFile } from './text-file';
import { volumeContent, volumeKey, type VolumeFormat } from './volume-content';
import { createVolumePool, defaultVolumeThreads, type VolumePool } from './volume-pool';
import { defaultChaptersPerVolume, volumeFileName, volumesOf } from './volumes';

export const artefactFormats = ['pdf', 'docx', 'html', 'md', 'svg', 'json', 'xlsx', 'csv'] as const;
export type ArtefactFormat = (typeof artefactFormats)[number];
/** `contentKey`: a PDF or DOCX volume's key (volume-content.ts), by which a later version may take it over. */
export type Artefact = { format: ArtefactFormat; fileName: string; bytes: number; sha256: string; contentKey?: string };
/**
 * One format done: `seconds` it took (for PDF and DOCX the threads' time, summed over the volumes),
 * `at` how many seconds after the start its last file was written, `reused` how many volumes were
 * taken over from the previous version. What benchmarks and progress reports read.
 */
export type RenderStep = { format: ArtefactFormat | 'html+md' | 'figures'; seconds: number; at: number; files: number; reused: number };

/** The version compiled before, whose unchanged PDF and DOCX volumes are copied instead of typeset again. */
export type PreviousVersion = { dir: string; artefacts: Artefact[] };

type Written = { format: ArtefactFormat; fileName: string; contentKey?: string };
type Since = () => number;

/** How the volumes of a compilation are typeset, whichever function typesets them. */
type VolumeOptions = {
  createdAt: Date;
  chaptersPerVolume?: number;
  onStep?: (step: RenderStep) => void;
  previous?: PreviousVersion;
  /** Threads for PDF and DOCX volumes; one per core when not given. */
  threads?: number;
  /** A pool started earlier (see startRenderPool), so its threads have loaded while the reports were read. */
  pool?: VolumePool;
};

/**
 * Renders every format of the compiled report into `dir`: the text formats and figures
 * (renderTextFormats), then the PDF and DOCX volumes (typesetArchiveVolumes) on the same render
 * threads. Returns the files with size and checksum, PDF volumes first (in order), then DOCX, HTML…
 */
export async function renderAllFormats(
  report: CompiledReport,
  dir: string,
  opts: VolumeOptions,
): Promise<Artefact[]> {
  const pool = opts.pool ?? startRenderPool();
  try {
    const text = await renderTextFormats(report, dir, { ...opts, pool });
    const archive = await typesetArchiveVolumes(report, dir, { ...opts, pool });
    return orderArtefacts([...archive, ...text]);
  } finally {
    await pool.close();
  }
}

/**
 * The formats that stream, which make a version usable within seconds: the charts, HTML and
 * Markdown on this thread, the figure exports (JSON, XLSX, CSV) on a render thread meanwhile.
 * A pool passed in stays open (the archive volumes may follow on it).
 */
export async function renderTextFormats(
  report: CompiledReport,
  dir: string,
  opts: {
    onStep?: (step: RenderStep) => void;
    pool?: VolumePool;
    /** The chapters' HTML and Markdown as the sink wrote them while reading (fileChapterSink); read from `report.chapters` when absent. */
    chapterBodies?: ChapterBodies;
  },
): Promise<Artefact[]> {
  const base = baseName(report);
  const started = performance.now();
  const since = () => (performance.now() - started) / 1000;
  const written: Written[] = [];
  const text = async (format: ArtefactFormat, fileName: string, render: (out: DiskTextFile) => Promise<void>) => {
    const out = openTextFile(join(dir, fileName));
    try {
      await render(out);
    } finally {
      await out.close();
    }
    written.push({ format, fileName });
  };
  const timed = async (format: RenderStep['format'], render: () => Promise<void>) => {
    const begun = performance.now();
    await render();
    const files = written.filter((file) => format.split('+').includes(file.format)).length;
    opts.onStep?.({ format, seconds: (performance.now() - begun) / 1000, at: since(), files, reused: 0 });
  };

  const pool = opts.pool ?? startRenderPool();
  try {
    // The figure exports first, on the render threads, while this thread writes HTML and Markdown.
    const figureFiles = { dir, xlsx: `${base}-zahlen.xlsx`, json: `${base}-zahlen.json`, csvPrefix: `${base}-zahlen-` };
    // In two parts, the workbook and the JSON with the CSV files: on a pool of two threads or more both
    // at once; with one thread, the JSON and CSV files are written here once HTML and Markdown are,
    // instead of waiting behind the workbook on the thread (at 10,000 partners the thread's queue,
    // not this thread, was the last second of the compilation). Imported then: the worker starts
    // without the exports' libraries (cli-build.test.ts).
    const figureData = figuresOf(report);
    const textHere = pool.threads() === 1;
    const onThreads = Promise.all(
      (textHere ? (['workbook'] as const) : (['workbook', 'text'] as const)).map((part) =>
        pool.render({ kind: 'figures', figures: figureData, files: figureFiles, part }),
      ),
    );
    // Awaited once HTML and Markdown are written; until then a failure must not count as unhandled.
    onThreads.catch(() => undefined);

    const chartFile = (id: string) => `${base}-abbildung-${id}.svg`;
    await timed('svg', async () => {
      for (const chart of report.charts) {
        await writeFile(join(dir, chartFile(chart.id)), chart.svg);
        written.push({ format: 'svg', fileName: chartFile(chart.id) });
      }
    });
    // HTML and Markdown in one pass: the chapters are read (and parsed) once for both.
    await timed('html+md', () =>
      text('html', `${base}.html`, (html) =>
        text('md', `${base}.md`, async (md) => {
          const documents = [htmlPage(report, html), markdownDocument(report, md, chartFile)];
          for (const document of documents) await document.begin();
          const bodies = opts.chapterBodies;
          if (bodies) {
            await html.append(bodies.html);
            await md.append(bodies.markdown);
          } else {
            for await (const chapter of report.chapters()) for (const document of documents) await document.chapter(chapter);
          }
          for (const document of documents) await document.end();
        }),
      ),
    );
    const here = textHere ? await timedSeconds(async () => (await import('./figure-text')).writeFigureText(figureData, figureFiles)) : 0;
    const onThreadsSeconds = (await onThreads).reduce((sum, seconds) => sum + seconds, 0);
    const csv = figureTables(report).map((table) => `${figureFiles.csvPrefix}${table.id}.csv`);
    written.push({ format: 'json', fileName: figureFiles.json }, { format: 'xlsx', fileName: figureFiles.xlsx });
    written.push(...csv.map((fileName) => ({ format: 'csv' as const, fileName })));
    opts.onStep?.({ format: 'figures', seconds: here + onThreadsSeconds, at: since(), files: 2 + csv.length, reused: 0 });
  } finally {
    if (!opts.pool) await pool.close();
  }
  return describe(dir, orderArtefacts(written));
}

/**
 * Typesets the PDF and DOCX volumes into `dir` on the render threads (one per core). A volume whose
 * content key matches one of `previous` is copied from there. With `keysDir`, each volume is
 * written under a temporary name, moved into place, and its key noted there: a retry skips a volume
 * whose file is in place with the same key, so a crash half-way typesets only what is missing.
 * A pool passed in stays open.
 */
export async function typesetArchiveVolumes(
  report: CompiledReport,
  dir: string,
  opts: VolumeOptions & {
    keysDir?: string;
    /** Hears each volume once it is in place (fault drills crash here). */
    onPlaced?: (fileName: string) => void | Promise<void>;
  },
): Promise<Artefact[]> {
  // What an attempt that died left half-written; nothing lists these files.
  if (opts.keysDir !== undefined) {
    const parts = (await readdir(dir)).filter((name) => name.endsWith('.part'));
    await Promise.all(parts.map((name) => rm(join(dir, name), { force: true })));
  }
  const started = performance.now();
  const since = () => (performance.now() - started) / 1000;
  const written: Written[] = [];
  const pool = opts.pool ?? startRenderPool();
  try {
    pool.grow(opts.threads ?? defaultVolumeThreads);
    await typesetVolumes(report, dir, baseName(report), pool, written, opts, since);
  } finally {
    if (!opts.pool) await pool.close();
  }
  return describe(dir, orderArtefacts(written));
}

/** PDF volumes first (in order), then DOCX, HTML, Markdown…: the order versions list their files in. */
export function orderArtefacts<T extends { format: ArtefactFormat }>(files: T[]): T[] {
  const order = (format: ArtefactFormat) => artefactFormats.indexOf(format);
  return files.map((file, index) => ({ file, index })).sort((a, b) => order(a.file.format) - order(b.file.format) || a.index - b.index).map(({ file }) => file);
}

async function timedSeconds(work: () => Promise<void>): Promise<number> {
  const begun = performance.now();
  await work();
  return (performance.now() - begun) / 1000;
}

function baseName(report: Pick<CompiledReport, 'year'>): string {
  return `jahresbericht-${report.year}`;
}

async function describe(dir: string, files: Written[]): Promise<Artefact[]> {
  return Promise.all(
    files.map(async ({ format, fileName, contentKey }) => {
      const path = join(dir, fileName);
      const artefact: Artefact = { format, fileName, bytes: (await stat(path)).size, sha256: await sha256File(path) };
      return contentKey === undefined ? artefact : { ...artefact, contentKey };
    }),
  );
}

/**
 * The render threads, started: by default one while the main thread writes the streaming formats
 * (so both cores are busy), one per core once it is done; `threads` when the reports are to be read
 * on them (chapterThreadReader), so they load while the compilation asks the database for the rest.
 * Whoever starts it closes it.
 */
export function startRenderPool(threads = 1): VolumePool {
  const pool = createVolumePool(threads);
  pool.warm();
  return pool;
}

/**
 * Reads a compilation's reports on `threads` of the pool's threads while the compiling thread
 * fetches the next page and writes what came back: batches of 50, two per thread under way, so a
 * few hundred reports at most are in memory. A report that comes with its fragment (rendered and
 * stored by an earlier compilation) is taken as it is; the others are rendered on a thread and
 * their fragments handed to `store`, so the next compilation takes them.
 */
export function chapterThreadReader(pool: VolumePool, threads = defaultVolumeThreads, store?: FragmentStore): ChapterReader {
  pool.grow(threads);
  return {
    read: async (batch) => {
      const misses = batch.filter((report) => !('fragment' in report));
      const rendered = misses.length > 0 ? await pool.renderFragments(misses) : [];
      const fresh = misses.flatMap((report, index) => {
        const fragment = rendered[index];
        return fragment ? [{ report, fragment }] : [];
      });
      if (store && fresh.length > 0) await store.add(fresh);
      let miss = 0;
      return batch.map((report) => {
        const fragment = 'fragment' in report ? report.fragment : rendered[miss++];
        return fragment && readFragment(fragment);
      });
    },
    batchSize: 50,
    batchesAtOnce: 2 * threads,
  };
}

/**
 * Reads the chapters a volume at a time and hands each volume's PDF and DOCX to the pool, or copies
 * the file from the previous version when its content key is the same, or keeps it when a retry
 * finds it in place (`keysDir`). Waits for room in the pool before reading on, so at most one
 * volume waits besides those being typeset.
 */
async function typesetVolumes(
  report: CompiledReport,
  dir: string,
  base: string,
  pool: VolumePool,
  written: Written[],
  opts: {
    createdAt: Date;
    chaptersPerVolume?: number;
    onStep?: (step: RenderStep) => void;
    previous?: PreviousVersion;
    keysDir?: string;
    onPlaced?: (fileName: string) => void | Promise<void>;
  },
  since: Since,
): Promise<void> {
  const formats: VolumeFormat[] = ['pdf', 'docx'];
  const previous = new Map((opts.previous?.artefacts ?? []).flatMap((a) => (a.contentKey ? [[`${a.format}:${a.contentKey}`, a.fileName]] : [])));
  const tally = Object.fromEntries(formats.map((f) => [f, { seconds: 0, files: 0, reused: 0, pending: [] as Promise<void>[] }]));
  const keys = opts.keysDir;
  if (keys !== undefined) await mkdir(keys, { recursive: true });
  // Written under a temporary name and moved into place, so a file under its own name is whole.
  const place = async (fileName: string, contentKey: string, write: (path: string) => Promise<void>) => {
    const final = join(dir, fileName);
    const part = keys === undefined ? final : `${final}.${randomUUID()}.part`;
    await write(part);
    if (keys === undefined) return;
    await rename(part, final);
    await writeFile(join(keys, `${fileName}.key`), contentKey);
    await opts.onPlaced?.(fileName);
  };
  for await (const volume of volumesOf(report, opts.chaptersPerVolume ?? defaultChaptersPerVolume)) {
    const content = volumeContent(report, volume);
    for (const format of formats) {
      const counts = tally[format];
      if (!counts) continue;
      const contentKey = volumeKey(format, content);
      const fileName = volumeFileName(base, format, volume);
      written.push({ format, fileName, contentKey });
      counts.files += 1;
      if (keys !== undefined && (await typesetBefore(dir, keys, fileName, contentKey))) {
        counts.reused += 1;
        continue;
      }
      const earlier = opts.previous && previous.get(`${format}:${contentKey}`);
      if (earlier && opts.previous) {
        const from = join(opts.previous.dir, earlier);
        // A clone where the file system can (the earlier version's file stays as it is), else a copy.
        await place(fileName, contentKey, (path) => copyFile(from, path, constants.COPYFILE_FICLONE));
        counts.reused += 1;
        continue;
      }
      await pool.room();
      const rendered = place(fileName, contentKey, (path) =>
        pool.render({ kind: 'volume', format, content, path, createdAt: opts.createdAt.getTime() }).then((seconds) => void (counts.seconds += seconds)),
      );
      rendered.catch(() => undefined);
      counts.pending.push(rendered);
    }
  }
  await Promise.all(
    formats.map(async (format) => {
      const counts = tally[format];
      if (!counts) return;
      await Promise.all(counts.pending);
      opts.onStep?.({ format, seconds: counts.seconds, at: since(), files: counts.files, reused: counts.reused });
    }),
  );
}

/** A volume an earlier attempt finished: its file is in place and its noted key is this content's. */
async function typesetBefore(dir: string, keysDir: string, fileName: string, contentKey: string): Promise<boolean> {
  const noted = await readFile(join(keysDir, `${fileName}.key`), 'utf8').catch(() => undefined);
  if (noted !== contentKey) return false;
  return stat(join(dir, fileName)).then(
    (s) => s.isFile() && s.size > 0,
    () => false,
  );
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
