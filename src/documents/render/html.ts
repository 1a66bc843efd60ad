import { escapeHtml as h } from '../../email/html';
import {
  germanDate,
  notStatedLabel,
  overviewName,
  statisticsSummary,
  missingReason,
  type Block,
  type CompiledReport,
  type Fact,
  type PartnerChapter,
  type TextSection,
} from '../model';
import type { ChapterWriter, TextFile } from './text-file';

const style = `body{font-family:"DejaVu Sans",sans-serif;max-width:48em;margin:2em auto;line-height:1.5;padding:0 1em}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}
.not-stated{color:#666;font-style:italic}.facts{color:#333}section.partner{border-top:2px solid #2f6f9f;margin-top:3em}
figure{margin:1em 0}figcaption{font-size:.9em}`;

/** A single HTML page, written chapter by chapter as the source yields them. */
export async function renderHtml(report: CompiledReport, out: TextFile): Promise<void> {
  const page = htmlPage(report, out);
  await page.begin();
  for await (const chapter of report.chapters()) await page.chapter(chapter);
  await page.end();
}

/** The page in three parts, so one pass over the chapters can write HTML and Markdown together. */
export function htmlPage(report: CompiledReport, out: TextFile): ChapterWriter {
  return {
    begin: () => htmlBegin(report, out),
    chapter: (chapter) => out.write(htmlChapter(chapter)),
    end: () => out.write(`${statistics(report)}</body>\n</html>\n`),
  };
}

/** One partner's chapter as the page prints it (a render thread may make it while the reports are read). */
export function htmlChapter(chapter: PartnerChapter): string {
  return `<section class="partner" id="partner-${chapter.number}">\n<h2>${h(chapter.heading)}</h2>\n${chapter.blocks.map(block).join('')}</section>\n`;
}

async function htmlBegin(report: CompiledReport, out: TextFile): Promise<void> {
  await out.write(
    `<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n<title>${h(report.title)}</title>\n<style>${style}</style>\n</head>\n<body>\n<h1>${h(report.title)}</h1>\n`,
  );
  await out.write(section(report.preface) + section(report.introduction));
  await out.write(
    `<section id="overview">\n<h2>${h(report.overview.caption)}</h2>\n<table>\n<thead><tr><th>Nr.</th><th>Partnerorganisation</th><th>Beitritt</th></tr></thead>\n<tbody>\n`,
  );
  for (const row of report.overview.rows) {
    await out.write(`<tr><td>${row.number}</td><td>${h(overviewName(row))}</td><td>${germanDate(row.accessionDate)}</td></tr>\n`);
  }
  await out.write(`</tbody>\n</table>\n<p>Stand ${germanDate(report.asOf)}</p>\n</section>\n`);
  if (report.missing.length > 0) {
    await out.write(`<section id="missing">\n<h2>Nicht enthaltene Berichte</h2>\n<ul>\n`);
    for (const m of report.missing) await out.write(`<li>${m.number} ${h(m.organisation)}: ${h(missingReason(m))}</li>\n`);
    await out.write(`</ul>\n</section>\n`);
  }
}

function statistics(report: CompiledReport): string {
  const rows = statisticsSummary(report.statistics);
  let html = `<section id="statistics">\n<h2>Statistik des Berichtsjahres ${report.year}</h2>\n<table>\n<tbody>\n`;
  html += rows.map(([label, value]) => `<tr><th>${h(label)}</th><td>${h(value)}</td></tr>\n`).join('');
  html += `</tbody>\n</table>\n`;
  html += report.statisticsTables.map(block).join('');
  // The SVG comes from Vega's renderer, which escapes the labels it draws.
  html += report.charts.map((c) => `<figure id="chart-${c.id}">\n${c.svg}\n<figcaption>${h(c.title)}</figcaption>\n</figure>\n`).join('');
  html += `<h3>Kennzahlen der Partner</h3>\n<table>\n<thead><tr><th>Nr.</th><th>Partner</th><th>Kategorie</th><th>Kennzahl</th><th>Wert</th><th>Einheit</th><th>Stichtag</th></tr></thead>\n<tbody>\n`;
  for (const f of report.indicatorFigures) {
    const value = f.valueText.stated ? h(f.valueText.value) : notStated(f.note.stated ? f.note.value : undefined);
    const date = f.referenceDate.stated ? h(f.referenceDate.value) : notStated();
    html += `<tr><td>${f.number}</td><td>${h(f.organisation)}</td><td>${h(f.category)}</td><td>${h(f.label)}</td><td>${value}</td><td>${f.unit.stated ? h(f.unit.value) : notStated()}</td><td>${date}</td></tr>\n`;
  }
  return `${html}</tbody>\n</table>\n</section>\n`;
}

function notStated(note?: string): string {
  return `<span class="not-stated">${notStatedLabel}${note ? ` (${h(note)})` : ''}</span>`;
}

function section(s: TextSection): string {
  return `<section>\n<h2>${h(s.heading)}</h2>\n${s.blocks.map(block).join('')}</section>\n`;
}

function fact(f: Fact): string {
  return `<strong>${h(f.label)}:</strong> ${f.value.stated ? h(f.value.value) : notStated()}`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading': {
      const level = Math.min(b.level + 2, 6);
      return `<h${level}>${h(b.text)}</h${level}>\n`;
    }
    case 'paragraph':
      return `<p>${h(b.text)}</p>\n`;
    case 'list':
      return `<ul>\n${b.items.map((item) => `<li>${h(item)}</li>`).join('\n')}\n</ul>\n`;
    case 'facts':
      return `<p class="facts">${b.facts.map(fact).join('<br>\n')}</p>\n`;
    case 'table': {
      const head = b.columns.length > 0 ? `<thead><tr>${b.columns.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead>\n` : '';
      const body = b.rows.map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`).join('\n');
      const notes = b.footnotes.map((f) => `<p class="footnote">${h(f)}</p>\n`).join('');
      return `<table>\n<caption>${h(b.caption)}</caption>\n${head}<tbody>\n${body}\n</tbody>\n</table>\n${notes}`;
    }
    case 'figure':
      return `<figure><figcaption>Abbildung: ${h(b.caption)} (Quelle: ${b.source.stated ? h(b.source.value) : notStated()})</figcaption></figure>\n`;
  }
}
