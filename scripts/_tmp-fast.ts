import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileReport, fileChapterSink } from '../src/documents/compile';
import { renderAllFormats } from '../src/documents/render/index';
import { loadReportTexts } from '../src/documents/texts';
const dir = 'test/fixtures/reports/';
const fx = readdirSync(dir).filter((n) => /^\d\d-/.test(n)).map((n) => readFileSync(dir + n, 'utf8'));
const N = Number(process.argv[2] ?? 1000);
const partners = Array.from({ length: N }, (_, i) => ({ number: i + 1, organisation: `P ${i + 1}`, memberCities: [], accessionDate: '2015-01-01', reportHeading: `Bericht P ${i + 1}`, standing: 'accepted' as const, firstSubmittedAt: '2018-03-01T08:00:00.000Z', dueAt: '2018-03-31T22:00:00.000Z', remindersSent: 0, escalationLevel: 0 }));
const out = mkdtempSync(join(tmpdir(), 'fast-'));
let t = performance.now(); let c = process.cpuUsage();
const lap = (l: string) => { const cu = process.cpuUsage(c); console.log(l.padEnd(10), ((performance.now() - t) / 1000).toFixed(2), 'wall', ((cu.user + cu.system) / 1e6).toFixed(2), 'cpu'); t = performance.now(); c = process.cpuUsage(); };
async function* reports() { for (const p of partners) yield { number: p.number, content: JSON.parse(fx[p.number % fx.length]!) as unknown }; }
const report = await compileReport({ year: 2018, asOf: '2018-09-30', texts: loadReportTexts(), partners, reports: reports(), sink: fileChapterSink(join(out, 'ch.jsonl')) });
lap('read');
const only = process.argv[3];
if (only === 'fast') {
  const { renderHtml } = await import('../src/documents/render/html');
  const { renderMarkdown } = await import('../src/documents/render/markdown');
  const { openTextFile } = await import('../src/documents/render/text-file');
  const { renderXlsx, renderCsv, renderJson } = await import('../src/documents/render/exports');
  const { figureTables } = await import('../src/documents/render/figures');
  let f = openTextFile(join(out, 'a.html')); await renderHtml(report, f); await f.close(); lap('html');
  f = openTextFile(join(out, 'a.md')); await renderMarkdown(report, f, (id) => id); await f.close(); lap('md');
  f = openTextFile(join(out, 'a.json')); await renderJson(report, f); await f.close(); lap('json');
  const tables = figureTables(report); await renderXlsx(tables, join(out, 'a.xlsx')); lap('xlsx');
  for (const tb of tables) await renderCsv(tb, join(out, `${tb.id}.csv`)); lap('csv');
  console.log('indicators', report.indicatorFigures.length);
} else {
  await renderAllFormats(report, out, { createdAt: new Date(), onStep: (s) => console.log(s) });
  lap('all');
}
console.log('maxRSS MB', Math.round(process.resourceUsage().maxRSS / 1024));
