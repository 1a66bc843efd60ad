import { describe, expect, it } from 'vitest';
import { compileReport, computeStatistics, memoryChapterSink, type PartnerOfCycle } from '../../src/documents/compile';
import { richTextBlocks } from '../../src/documents/from-report';
import { rateText, type CompiledReport } from '../../src/documents/model';
import { renderDocx } from '../../src/documents/render/docx';
import { renderHtml } from '../../src/documents/render/html';
import { renderMarkdown } from '../../src/documents/render/markdown';
import { renderPdf } from '../../src/documents/render/pdf';
import type { TextFile } from '../../src/documents/render/text-file';
import { maxFiguresListed } from '../../src/documents/render/volumes';
import mammoth from 'mammoth';
import { loadReportTexts } from '../../src/documents/texts';

function memoryFile(): TextFile & { text: () => string } {
  const parts: string[] = [];
  return { write: async (t) => void parts.push(t), close: async () => undefined, text: () => parts.join('') };
}

const partner = (number: number, organisation: string, extra: Partial<PartnerOfCycle> = {}): PartnerOfCycle => ({
  number,
  organisation,
  memberCities: [],
  accessionDate: '2015-01-01',
  reportHeading: `Bericht: ${organisation}`,
  standing: 'accepted',
  firstSubmittedAt: '2018-03-01T08:00:00.000Z',
  dueAt: '2018-03-31T22:00:00.000Z',
  remindersSent: 0,
  escalationLevel: 0,
  ...extra,
});

/** A report whose every text is something a markup language would act on. */
const hostileReport = {
  reportingPeriod: { from: { year: 2018 }, to: { year: 2018 }, text: '#panic("period")' },
  author: { name: 'A', role: 'B' },
  blocks: [
    {
      kind: 'text',
      text: '#panic("injected") *fett* _kursiv_ $x^2$ @ref <label> [link](x) <script>alert(1)</script>\n# keine Überschrift\n1. keine Liste',
    },
  ],
  sections: [
    {
      heading: '= Keine Typst-Überschrift',
      fieldOfAction: 'SONSTIGES',
      level: 1,
      blocks: [{ kind: 'text', text: '| a | b |\n- echter Punkt' }],
    },
  ],
};

async function hostileCompiled(): Promise<CompiledReport> {
  return compileReport({
    year: 2018,
    asOf: '2018-09-30',
    texts: loadReportTexts(),
    partners: [partner(1, 'Verein <b>&</b> #Co'), partner(2, 'Nicht eingereicht e.V.', { standing: 'overdue', firstSubmittedAt: undefined })],
    reports: [{ number: 1, content: hostileReport }],
    sink: memoryChapterSink(),
  });
}

describe('rich text as partners write it', () => {
  it('keeps text before, inside and after a list in order', () => {
    expect(richTextBlocks('So wurde an\n- der Kompetenz,\n- dem Abbau\ngearbeitet.\n\nNeuer Absatz\nmit Umbruch.')).toEqual([
      { kind: 'paragraph', text: 'So wurde an' },
      { kind: 'list', items: ['der Kompetenz,', 'dem Abbau'] },
      { kind: 'paragraph', text: 'gearbeitet.' },
      { kind: 'paragraph', text: 'Neuer Absatz mit Umbruch.' },
    ]);
  });
});

describe('renderers keep partner text literal', () => {
  it('escapes HTML', async () => {
    const out = memoryFile();
    await renderHtml(await hostileCompiled(), out);
    expect(out.text()).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out.text()).toContain('Verein &lt;b&gt;&amp;&lt;/b&gt; #Co');
    expect(out.text()).not.toContain('<script>');
  });

  it('escapes Markdown so a partner line never becomes a heading or a numbered list', async () => {
    const out = memoryFile();
    await renderMarkdown(await hostileCompiled(), out, (id) => `${id}.svg`);
    expect(out.text()).toContain('\\*fett\\* \\_kursiv\\_');
    expect(out.text()).toContain('\\<script\\>');
    expect(out.text()).not.toMatch(/^# keine Überschrift/m);
    expect(out.text()).toContain('- echter Punkt');
  });

  it('typesets Typst markup in partner text as text, not as code', async () => {
    // `#panic(...)` would abort the compilation if Typst read it as markup.
    const report = await hostileCompiled();
    expect(report.missing.map((m) => m.number)).toEqual([2]);
    const chapters = [];
    for await (const chapter of report.chapters()) chapters.push(chapter);
    const pdf = await renderPdf(report, { number: 1, of: 1, chapters }, { createdAt: new Date('2018-10-01T08:00:00Z') });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 60_000);
});

describe('an accepted report that no longer reads as a report', () => {
  it('is listed as missing with that reason, not dropped and not guessed at', async () => {
    const report = await compileReport({
      year: 2018,
      asOf: '2018-09-30',
      texts: loadReportTexts(),
      partners: [partner(1, 'Lesbar e.V.'), partner(2, 'Verdorben e.V.'), partner(3, 'Ohne Inhalt e.V.')],
      reports: [
        { number: 1, content: hostileReport },
        { number: 2, content: { narrative: 'kein Bericht' } },
      ],
      sink: memoryChapterSink(),
    });
    expect(report.missing).toEqual([
      { number: 2, organisation: 'Verdorben e.V.', standing: 'accepted', unreadable: true },
      { number: 3, organisation: 'Ohne Inhalt e.V.', standing: 'accepted', unreadable: true },
    ]);
    const out = memoryFile();
    await renderMarkdown(report, out, (id) => `${id}.svg`);
    expect(out.text()).toContain('- 2 Verdorben e.V.: angenommen, aber nicht lesbar');
    expect(out.text()).toContain('## Bericht: Lesbar e.V.');
  });
});

describe('the figures in the document', () => {
  it('are listed while few, and left to the spreadsheet when there are more than the document can show readably', async () => {
    const report = await hostileCompiled();
    const figure = (n: number) => ({
      number: 1,
      organisation: 'A',
      label: `Kennzahl ${n}`,
      category: 'Fortbildung',
      value: { stated: true as const, value: n },
      valueText: { stated: true as const, value: String(n) },
      unit: { stated: true as const, value: 'Personen' },
      referenceDate: { stated: false as const },
      note: { stated: false as const },
    });
    const text = async (count: number) => {
      const docx = await renderDocx({ ...report, indicatorFigures: Array.from({ length: count }, (_, n) => figure(n)) }, { number: 1, of: 1, chapters: [] });
      return (await mammoth.extractRawText({ buffer: docx })).value;
    };
    const few = await text(maxFiguresListed);
    expect(few).toContain(`Kennzahl ${maxFiguresListed - 1}`);
    const many = await text(maxFiguresListed + 1);
    expect(many).not.toContain('Kennzahl 0');
    expect(many).toContain(`Die ${maxFiguresListed + 1} Kennzahlen der Partner stehen vollständig in jahresbericht-2018-zahlen.xlsx`);
  }, 60_000);
});

describe('statistics', () => {
  it('counts a cycle where nobody submitted as 0 of 0 on time, not as a division by zero', () => {
    const s = computeStatistics(
      [
        {
          number: 1,
          organisation: 'A',
          standing: 'overdue',
          firstSubmittedAt: { stated: false },
          dueAt: { stated: true, value: '2018-03-31T22:00:00.000Z' },
          onTime: { stated: false },
          remindersSent: 2,
          escalationLevel: 1,
        },
      ],
      [],
    );
    expect(s.onTime).toEqual({ count: 0, of: 0 });
    expect(rateText(s.onTime)).toBe('0 von 0');
    expect(rateText(s.partnersEscalated)).toBe('1 von 1 (100 %)');
    expect(s.escalationLevels).toEqual([{ level: 1, partners: 1 }]);
  });
});
