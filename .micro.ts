import { readFileSync, readdirSync } from 'node:fs';
import { reportSubmissionSchema } from './src/domain/report';
import { figureRows } from './src/domain/report-figures';
import { readAcceptedReport, reportToBlocks } from './src/documents/from-report';
const dir = './test/fixtures/reports/';
const texts = readdirSync(dir).filter((n) => /^\d{2}-/.test(n)).sort().map((n) => readFileSync(dir + n, 'utf8'));
const N = 1000;
const t = (label: string, f: (i: number) => unknown) => { const s = performance.now(); for (let i = 0; i < N; i++) f(i); console.log(label.padEnd(20), ((performance.now() - s) / N).toFixed(3), 'ms/report'); };
for (let round = 0; round < 2; round++) {
t('JSON.parse', (i) => JSON.parse(texts[i % texts.length]!));
const objs = texts.map((x) => JSON.parse(x));
t('zod safeParse', (i) => reportSubmissionSchema.safeParse(JSON.parse(texts[i % texts.length]!)));
const parsed = objs.map((o) => reportSubmissionSchema.parse(o));
t('figureRows', (i) => figureRows(parsed[i % parsed.length]!));
t('blocks', (i) => reportToBlocks(parsed[i % parsed.length]!));
t('readAccepted', (i) => readAcceptedReport({ number: i, organisation: 'x' }, JSON.parse(texts[i % texts.length]!)));
const blocks = parsed.map((p) => reportToBlocks(p));
t('stringify chapter', (i) => JSON.stringify({ number: i, organisation: 'x', heading: 'h', blocks: blocks[i % blocks.length] }));
console.log('avg content bytes', texts.reduce((a, x) => a + x.length, 0) / texts.length);
}
