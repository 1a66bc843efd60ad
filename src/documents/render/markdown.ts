import {
  germanDate,
  notStatedLabel,
  overviewName,
  statisticsSummary,
  missingReason,
  statedText,
  type Block,
  type CompiledReport,
  type PartnerChapter,
  type TextSection,
} from '../model';
import type { ChapterWriter, TextFile } from './text-file';

/**
 * Markdown (CommonMark with GFM tables), written chapter by chapter as the source yields them.
 * Charts are images beside the file: `chartFile` names the SVG of each chart.
 */
export async function renderMarkdown(report: CompiledReport, out: TextFile, chartFile: (id: string) => string): Promise<void> {
  const document = markdownDocument(report, out, chartFile);
  await document.begin();
  for await (const chapter of report.chapters()) await document.chapter(chapter);
  await document.end();
}

/** The document in three parts, so one pass over the chapters can write HTML and Markdown together. */
export function markdownDocument(report: CompiledReport, out: TextFile, chartFile: (id: string) => string): ChapterWriter {
  return {
    begin: () => markdownBegin(report, out),
    chapter: (chapter) => out.write(markdownChapter(chapter)),
    end: () => out.write(statistics(report, chartFile)),
  };
}

/** One partner's chapter as the document prints it (a render thread may make it while the reports are read). */
export function markdownChapter(chapter: PartnerChapter): string {
  return `## ${escape(chapter.heading)}\n\n${chapter.blocks.map(block).join('')}`;
}

async function markdownBegin(report: CompiledReport, out: TextFile): Promise<void> {
  await out.write(`# ${escape(report.title)}\n\n`);
  await out.write(section(report.preface));
  await out.write(section(report.introduction));
  await out.write(`## ${escape(report.overview.caption)}\n\n`);
  await out.write(table(['Nr.', 'Partnerorganisation', 'Beitritt'], report.overview.rows.map((r) => [String(r.number), overviewName(r), germanDate(r.accessionDate)])));
  await out.write(`Stand ${germanDate(report.asOf)}\n\n`);
  if (report.missing.length > 0) {
    await out.write(`## Nicht enthaltene Berichte\n\n`);
    await out.write(list(report.missing.map((m) => `${m.number} ${m.organisation}: ${missingReason(m)}`)));
  }
}

function statistics(report: CompiledReport, chartFile: (id: string) => string): string {
  let text = `## Statistik des Berichtsjahres ${report.year}\n\n`;
  text += table(['Kennzahl', 'Wert'], statisticsSummary(report.statistics));
  text += report.statisticsTables.map(block).join('');
  for (const chart of report.charts) text += `![${escape(chart.title)}](${chartFile(chart.id)})\n\n*${escape(chart.title)}*\n\n`;
  text += `### Kennzahlen der Partner\n\n`;
  text += table(
    ['Nr.', 'Partner', 'Kategorie', 'Kennzahl', 'Wert', 'Einheit', 'Stichtag'],
    report.indicatorFigures.map((f) => [
      String(f.number),
      f.organisation,
      f.category,
      f.label,
      f.valueText.stated ? f.valueText.value : `${notStatedLabel}${f.note.stated ? ` (${f.note.value})` : ''}`,
      statedText(f.unit),
      statedText(f.referenceDate),
    ]),
  );
  return text;
}

function section(s: TextSection): string {
  return `## ${escape(s.heading)}\n\n${s.blocks.map(block).join('')}`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(Math.min(b.level + 2, 6))} ${escape(b.text)}\n\n`;
    case 'paragraph':
      return `${escape(b.text)}\n\n`;
    case 'list':
      return list(b.items);
    case 'facts':
      return `${b.facts.map((f) => `*${escape(f.label)}:* ${escape(statedText(f.value))}`).join('  \n')}\n\n`;
    case 'table':
      return `**${escape(b.caption)}**\n\n${b.columns.length > 0 ? table(b.columns, b.rows) : list(b.rows.map((r) => r.join(' | ')))}${b.footnotes.map((f) => `${escape(f)}\n\n`).join('')}`;
    case 'figure':
      return `*Abbildung: ${escape(b.caption)}* (Quelle: ${escape(statedText(b.source))})\n\n`;
  }
}

function list(items: string[]): string {
  return `${items.map((item) => `- ${escape(item)}`).join('\n')}\n\n`;
}

function table(columns: string[], rows: string[][]): string {
  const cell = (text: string) => escape(text).replaceAll('|', '\\|');
  return `| ${columns.map(cell).join(' | ')} |\n|${columns.map(() => ' --- |').join('')}\n${rows.map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n')}\n\n`;
}

/** Keeps the partners' text literal: characters Markdown would read as markup are escaped. */
function escape(text: string): string {
  return text
    .replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#+-]|\d+[.)])(\s)/gm, (_m, space: string, marker: string, after: string) => `${space}\\${marker}${after}`);
}
