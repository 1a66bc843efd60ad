/**
 * Where each format of a compiled version stands. The text formats and the figures are written
 * within seconds and make the version usable; the PDF/A and DOCX volumes (the archive formats)
 * take minutes to typeset and follow in their own activity, so a version is stored with them
 * pending and marked ready (or failed, with the reason) once they are there.
 */
import type { ArtefactFormat } from './render/index';

export type FormatState =
  | { state: 'ready'; at?: string }
  | { state: 'pending'; since: string }
  | { state: 'failed'; reason: string; at: string };

export type FormatStates = Partial<Record<ArtefactFormat, FormatState>>;

/** The formats typeset after the version is stored. */
export const archiveFormats = ['pdf', 'docx'] as const satisfies readonly ArtefactFormat[];
export type ArchiveFormat = (typeof archiveFormats)[number];

export function isArchiveFormat(format: string): format is ArchiveFormat {
  return (archiveFormats as readonly string[]).includes(format);
}

/** A format the row does not list is ready: versions stored before formats had states were stored whole. */
export function stateOf(states: FormatStates, format: ArtefactFormat): FormatState {
  return states[format] ?? { state: 'ready' };
}

/** The archive formats together: failed if one failed, pending while one is, else ready. */
export function archiveState(states: FormatStates): FormatState {
  const each = archiveFormats.map((format) => stateOf(states, format));
  return each.find((s) => s.state === 'failed') ?? each.find((s) => s.state === 'pending') ?? each[0] ?? { state: 'ready' };
}

/** The states of a version just stored: what was written is ready, the archive formats pending. */
export function storedWithArchivePending(written: readonly ArtefactFormat[], now: Date): FormatStates {
  const at = now.toISOString();
  const states: FormatStates = {};
  for (const format of written) states[format] = { state: 'ready', at };
  for (const format of archiveFormats) states[format] = { state: 'pending', since: at };
  return states;
}

export function withArchiveFormats(states: FormatStates, state: FormatState): FormatStates {
  return { ...states, ...Object.fromEntries(archiveFormats.map((format) => [format, state])) };
}

/** The file name's format when it is an archive format (`…-band-02.pdf`), else undefined. */
export function archiveFormatOfFile(fileName: string): ArchiveFormat | undefined {
  const dot = fileName.lastIndexOf('.');
  const extension = dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
  return isArchiveFormat(extension) ? extension : undefined;
}
