/**
 * What the archive formats of a stored version are typeset from: the report as compiled (without
 * its chapters) and the chapters spooled while the reports were read, kept in the version's folder
 * until the PDF and DOCX volumes are there. The volumes then print exactly what the text formats
 * print, even when a report is corrected in between, and a retry in another process finds them.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { spooledChapters } from './compile';
import type { CompiledReport } from './model';
import type { VolumeReport } from './render/volume-content';

/** Inside a version's folder; hidden, and never listed as one of its files. */
export const archiveInputFolder = '.archive-input';
const frameFile = 'report.json';
const chaptersFile = 'chapters.jsonl';

export function archiveInputPaths(versionDir: string) {
  const folder = join(versionDir, archiveInputFolder);
  return { folder, frame: join(folder, frameFile), chapters: join(folder, chaptersFile), keys: join(folder, 'volume-keys') };
}

/** Saves the report (the chapters are in `spool`, moved here) before the version is stored. */
export async function saveArchiveInput(versionDir: string, report: CompiledReport, spool: string): Promise<void> {
  const paths = archiveInputPaths(versionDir);
  await mkdir(paths.folder, { recursive: true });
  const { chapters: _source, ...frame } = report;
  await writeFile(paths.frame, JSON.stringify(frame satisfies VolumeReport));
  await rename(spool, paths.chapters);
}

// Our own file, written above; checked for its shape so a missing or foreign file fails with a reason.
const frameSchema = z.looseObject({ year: z.number().int(), asOf: z.string(), overview: z.looseObject({ rows: z.array(z.unknown()) }) });

export class ArchiveInputMissingError extends Error {
  readonly code = 'ArchiveInputMissing';
}

export async function loadArchiveInput(versionDir: string): Promise<CompiledReport> {
  const paths = archiveInputPaths(versionDir);
  const text = await readFile(paths.frame, 'utf8').catch(() => undefined);
  if (text === undefined) throw new ArchiveInputMissingError(`files: ${paths.frame} is missing; compile the report again`);
  const raw: unknown = JSON.parse(text);
  frameSchema.parse(raw);
  const frame = raw as VolumeReport;
  return { ...frame, chapters: () => spooledChapters(paths.chapters) };
}

/** Once the volumes are there, nothing needs the input again. */
export async function removeArchiveInput(versionDir: string): Promise<void> {
  await rm(archiveInputPaths(versionDir).folder, { recursive: true, force: true });
}
