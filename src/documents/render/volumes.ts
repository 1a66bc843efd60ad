import type { CompiledReport, PartnerChapter } from '../model';

/**
 * The formats that are laid out whole (PDF, DOCX) are split into volumes ("Band 1 von 3") when a
 * cycle has more chapters than one volume takes, so a render holds one volume, never the whole
 * report. Volume 1 carries the front matter and the overview, the last one the statistics.
 */
export type Volume = { number: number; of: number; chapters: PartnerChapter[] };

/** About 600 printed pages; measured at roughly 1 GB peak for a PDF volume of this size. */
export const defaultChaptersPerVolume = 200;

/** Reads the chapters once, handing them out a volume at a time. */
export async function* volumesOf(report: CompiledReport, chaptersPerVolume: number): AsyncIterable<Volume> {
  const total = report.overview.rows.filter((row) => row.reportIncluded).length;
  const of = Math.max(1, Math.ceil(total / chaptersPerVolume));
  let chapters: PartnerChapter[] = [];
  let number = 1;
  for await (const chapter of report.chapters()) {
    chapters.push(chapter);
    if (chapters.length === chaptersPerVolume && number < of) {
      yield { number, of, chapters };
      chapters = [];
      number += 1;
    }
  }
  yield { number, of, chapters };
}

export function volumeFileName(base: string, extension: string, volume: Pick<Volume, 'number' | 'of'>): string {
  return volume.of === 1 ? `${base}.${extension}` : `${base}-band-${String(volume.number).padStart(2, '0')}.${extension}`;
}

export function volumeTitle(volume: Pick<Volume, 'number' | 'of'>): string | undefined {
  return volume.of === 1 ? undefined : `Band ${volume.number} von ${volume.of}`;
}

/**
 * The statistics volume lists every reported figure only while the list stays readable (and its
 * layout cheap); beyond this the PDF and DOCX point to the XLSX and CSV, which hold all of them.
 */
export const maxFiguresListed = 600;

export function figuresListed<T>(figures: T[]): { listed: T[]; omitted: number } {
  return figures.length <= maxFiguresListed ? { listed: figures, omitted: 0 } : { listed: [], omitted: figures.length };
}

export function figuresOmittedText(year: number, omitted: number): string {
  return `Die ${omitted} Kennzahlen der Partner stehen vollständig in jahresbericht-${year}-zahlen.xlsx und jahresbericht-${year}-zahlen-indicators.csv.`;
}
