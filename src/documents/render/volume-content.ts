import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { projectFile } from '../../project-files';
import type { CompiledReport, Statistics } from '../model';
import type { Volume } from './volumes';

/**
 * What one PDF or DOCX volume is made of, and a key for it. Volume 1 carries the front matter and
 * the overview, the last one the statistics, every one its chapters: a volume's content holds only
 * what it prints, so after a correction only the volumes that print something else get a new key,
 * and a recompilation takes the others from the version before (see index.ts) instead of typesetting
 * them again. The content is plain data: it goes to a worker thread as it is.
 */
export type VolumeReport = Omit<CompiledReport, 'chapters'>;
export type VolumeFormat = 'pdf' | 'docx';
export type VolumeContent = { report: VolumeReport; volume: Volume };

export function volumeContent(report: CompiledReport, volume: Volume): VolumeContent {
  const first = volume.number === 1;
  const last = volume.number === volume.of;
  const { chapters: _source, ...whole } = report;
  return {
    report: {
      ...whole,
      preface: first ? report.preface : { heading: '', blocks: [] },
      introduction: first ? report.introduction : { heading: '', blocks: [] },
      overview: first ? report.overview : { caption: report.overview.caption, rows: [] },
      missing: first ? report.missing : [],
      // No volume prints the per-partner rows: they are the spreadsheet's.
      partnerFigures: [],
      indicatorFigures: last ? report.indicatorFigures : [],
      charts: last ? report.charts : [],
      statistics: last ? report.statistics : noStatistics,
      statisticsTables: last ? report.statisticsTables : [],
      // The cycles' figures are the spreadsheet's; volumes print the tables above.
      statisticsFigures: [],
    },
    volume,
  };
}

const none = { count: 0, of: 0 };
/** What a volume before the last holds of the statistics: nothing, so a changed figure leaves its key alone. */
const noStatistics: Statistics = {
  partners: 0,
  submitted: none,
  accepted: none,
  onTime: none,
  remindersSent: 0,
  partnersReminded: none,
  partnersEscalated: none,
  escalationLevels: [],
  standings: [],
  indicators: [],
};

/**
 * The content's key: a SHA-256 of the content, the format and the renderer (its code, template and
 * library versions), so a changed renderer never hands out a volume typeset by the old one.
 * The PDF's creation date is not part of it: a volume taken over keeps the date it was typeset.
 */
export function volumeKey(format: VolumeFormat, content: VolumeContent): string {
  return createHash('sha256').update(rendererFingerprint()).update(format).update(JSON.stringify(content)).digest('hex');
}

const rendererFiles = ['render/pdf.ts', 'render/docx.ts', 'render/report.typ', 'render/chart-images.ts', 'render/volumes.ts', 'model.ts', 'fonts.ts'].map(
  (name) => projectFile(`src/documents/${name}`),
);
const rendererPackages = ['@myriaddreamin/typst-ts-node-compiler', 'docx', '@resvg/resvg-js', 'dejavu-fonts-ttf'];

let fingerprint: string | undefined;
function rendererFingerprint(): string {
  if (fingerprint === undefined) {
    const require = createRequire(import.meta.url);
    const hash = createHash('sha256');
    for (const file of rendererFiles) hash.update(readFileSync(file));
    for (const name of rendererPackages) hash.update(`${name}@${packageVersion(require, name)}`);
    fingerprint = hash.digest('hex');
  }
  return fingerprint;
}

/** A package's version: from its package.json, found above its entry when the package does not export it. */
function packageVersion(require: NodeJS.Require, name: string): string {
  let entry: string;
  try {
    entry = require.resolve(`${name}/package.json`);
  } catch {
    entry = require.resolve(name);
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === name && manifest.version !== undefined) return manifest.version;
  }
  throw new Error(`no package.json of ${name} above ${entry}`);
}
