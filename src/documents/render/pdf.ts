import { projectFile } from '../../project-files';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { fontDir } from '../fonts';
import { svgSize } from './chart-images';
import { missingReason, overviewName, statisticsSummary } from '../model';
import type { VolumeReport } from './volume-content';
import { figuresListed, figuresOmittedText, volumeTitle, type Volume } from './volumes';

// From the project root, so the compiled CLI finds it too.
const templateFile = projectFile('src/documents/render/report.typ');
// A virtual folder: the template, the model and the charts exist only in the compiler's memory.
const workspace = '/compiled-report';

/**
 * The compiled report as PDF/A-2b (the ministry's archive), typeset by Typst with the DejaVu
 * fonts embedded, one volume at a time (see volumes.ts). Memory: Typst lays out a whole volume
 * at once, so a render holds the volume's chapters as JSON and as layout: bounded by the volume
 * size. Measured on two shared cores with a three-page report per partner: 300 chapters 11 s
 * and 1.1 GB peak RSS.
 */
export async function renderPdf(report: VolumeReport, volume: Volume, opts: { createdAt: Date }): Promise<Buffer> {
  const figures = figuresListed(report.indicatorFigures);
  const model = {
    ...report,
    chapters: volume.chapters,
    indicatorFigures: figures.listed,
    figuresOmitted: figures.omitted === 0 ? null : figuresOmittedText(report.year, figures.omitted),
    volume: { number: volume.number, of: volume.of, title: volumeTitle(volume) ?? null },
    missing: report.missing.map((m) => ({ ...m, standingLabel: missingReason(m) })),
    overview: { ...report.overview, rows: report.overview.rows.map((r) => ({ ...r, name: overviewName(r) })) },
    statisticsSummary: statisticsSummary(report.statistics),
    // CSS pixels to points (96 to 72 per inch): every chart's text comes out the same size.
    charts: report.charts.map(({ id, title, svg }) => ({ id, title, widthPt: svgSize(svg).width * 0.75 })),
  };
  const compiler = NodeCompiler.create({ workspace, fontArgs: [{ fontPaths: [fontDir] }] });
  compiler.mapShadow(join(workspace, 'report.json'), Buffer.from(JSON.stringify(model)));
  for (const chart of report.charts) compiler.mapShadow(join(workspace, 'charts', `${chart.id}.svg`), Buffer.from(chart.svg));
  try {
    return compiler.pdf(
      { mainFileContent: readFileSync(templateFile, 'utf8') },
      { pdfStandard: 'a-2b', creationTimestamp: Math.floor(opts.createdAt.getTime() / 1000) },
    );
  } catch (error) {
    throw new Error(`Typst could not typeset the compiled report: ${typstMessage(error)}`);
  } finally {
    compiler.evictCache(0);
  }
}

function typstMessage(error: unknown): string {
  if (error instanceof Error) return 'code' in error ? `${String(error.code)} ${error.message}` : error.message;
  return String(error);
}
