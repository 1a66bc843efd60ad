import { describe, expect, it } from 'vitest';
import type { CycleHistory, ReportHistory } from '../../src/domain/cycle-history';
import { yearStatistics, type YearStatistics } from '../../src/domain/cycle-statistics';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import { reminderEffectiveness } from '../../src/domain/reminder-effectiveness';
import { compileReport, memoryChapterSink } from '../../src/documents/compile';
import { cycleStatisticsSection, stepLabel } from '../../src/documents/cycle-statistics';
import { renderDocx } from '../../src/documents/render/docx';
import { renderHtml } from '../../src/documents/render/html';
import { renderMarkdown } from '../../src/documents/render/markdown';
import { renderPdf } from '../../src/documents/render/pdf';
import type { TextFile } from '../../src/documents/render/text-file';
import { loadReportTexts } from '../../src/documents/texts';
import mammoth from 'mammoth';
import { daysFrom, noticeSent, reportHistory } from '../support/cycle-history';

const dueAt = new Date('2019-03-31T21:59:59.999Z');
const at = daysFrom(dueAt);
const report = (partner: number, extra: Partial<ReportHistory>) => reportHistory(partner, dueAt, extra);
const reminder = (days: number, stepId = 'reminder-2w') => noticeSent(dueAt, stepId, 'report-reminder', days);
const escalation = (stepId: string, days: number) => noticeSent(dueAt, stepId, 'report-escalation-partner', days);

const history2018: CycleHistory = {
  year: 2018,
  dueDate: '2019-03-31',
  policy: defaultReportingPolicy,
  reports: [
    report(1, { phase: 'accepted', versions: [{ version: 1, submittedAt: at(-1), review: 'accepted', reviewedAt: at(2) }], notices: [reminder(-14), reminder(-3, 'reminder-3d')] }),
    report(2, {
      phase: 'accepted',
      escalationLevel: 1,
      versions: [
        { version: 1, submittedAt: at(15), review: 'revision_requested', reviewedAt: at(16) },
        { version: 2, submittedAt: at(20), review: 'accepted', reviewedAt: at(21) },
      ],
      notices: [reminder(-14), escalation('escalation-1-partner', 14)],
    }),
    report(3, { phase: 'waived', stopped: { by: 'waived', at: at(3) } }),
    // Escalated to level 2 by a step the policy no longer names: counted at level 1, the lowest.
    report(4, { escalationLevel: 2, notices: [escalation('escalation-old', 30)] }),
  ],
};

describe('yearStatistics', () => {
  it('counts submissions, punctuality, reminders and escalations of a cycle', () => {
    expect(yearStatistics(history2018)).toEqual({
      year: 2018,
      partners: 4,
      submitted: { count: 2, of: 4 },
      onTime: { count: 1, of: 2 },
      accepted: { count: 2, of: 4 },
      waived: { count: 1, of: 4 },
      reminders: 3,
      partnersReminded: { count: 2, of: 4 },
      escalations: [{ level: 1, notices: 2 }],
      partnersEscalated: { count: 2, of: 4 },
      revised: { count: 1, of: 4 },
    });
  });

  it('measures punctuality by an extension granted before the first version', () => {
    const extended = { ...history2018, reports: history2018.reports.map((r) => (r.partner === 2 ? { ...r, extendedDueAt: at(15) } : r)) };
    expect(yearStatistics(extended).onTime).toEqual({ count: 2, of: 2 });
  });

  it('leaves a share without base empty rather than zero', () => {
    const empty = yearStatistics({ ...history2018, year: 2017, reports: [report(1, {})] });
    expect(empty.onTime).toEqual({ count: 0, of: 0 });
    expect(empty.submitted).toEqual({ count: 0, of: 1 });
  });
});

describe('the statistics chapter across years', () => {
  const years: YearStatistics[] = [
    yearStatistics({ ...history2018, year: 2017, reports: [report(1, {})] }),
    yearStatistics(history2018),
  ];

  it('prints "nicht angegeben" for a share without base and names the steps in German', async () => {
    const section = await cycleStatisticsSection({ years, effectiveness: reminderEffectiveness(history2018) });
    expect(section.tables.map((t) => [t.id, t.rows])).toEqual([
      [
        'years-submissions',
        [
          ['2017', '1', '0 von 1 (0 %)', 'nicht angegeben'],
          ['2018', '4', '2 von 4 (50 %)', '1 von 2 (50 %)'],
        ],
      ],
      [
        'years-reminders',
        [
          ['2017', '0', '0 von 1 (0 %)', '0', '0 von 1 (0 %)'],
          ['2018', '3', '2 von 4 (50 %)', '2 (Stufe 1: 2)', '2 von 4 (50 %)'],
        ],
      ],
      [
        'steps',
        [
          ['2. Erinnerung', '1', '50 %', '2'],
          ['Eskalation Stufe 1', '1', '50 %', '1'],
        ],
      ],
      ['revision-steps', [['Bitte um Überarbeitung', '1', '100 %', '4']]],
    ]);
    expect(section.figures).toEqual([
      {
        id: 'years',
        title: 'Berichtsjahre',
        columns: ['Berichtsjahr', 'Partner', 'Eingereicht', 'Eingereicht %', 'Pünktlich', 'Pünktlich % der eingereichten', 'Angenommen', 'Erlassen', 'Zur Überarbeitung zurückgegeben', 'Erinnerungen', 'Partner mit Erinnerung', 'Eskalationen Stufe 1', 'Partner mit Eskalation'],
        rows: [
          [2017, 1, 0, 0, 0, 'nicht angegeben', 0, 0, 0, 0, 0, 0, 0],
          [2018, 4, 2, 50, 1, 50, 2, 1, 1, 3, 2, 2, 2],
        ],
      },
      {
        id: 'steps',
        title: 'Vorausgegangene Schritte 2018',
        columns: ['Fassung', 'Schritt', 'Einreichungen', 'Anteil %', 'Median Tage bis zur Einreichung'],
        rows: [
          ['erste Fassung', '2. Erinnerung', 1, 50, 2],
          ['erste Fassung', 'Eskalation Stufe 1', 1, 50, 1],
          ['überarbeitete Fassung', 'Bitte um Überarbeitung', 1, 100, 4],
        ],
      },
    ]);
    expect(section.charts.map((c) => c.id)).toEqual(['years', 'steps']);
    // The years chart draws the stated shares only: 2017's punctuality has no point.
    expect(section.charts[0]?.svg).toContain('Berichtsjahr');
    expect(stepLabel('none')).toBe('kein Hinweis zuvor');
    expect(stepLabel('overdue')).toBe('Hinweis auf Fristüberschreitung');
  });

  it('draws no trend from a single year, and no steps without submissions', async () => {
    const section = await cycleStatisticsSection({ years: [years[0] as YearStatistics], effectiveness: reminderEffectiveness({ ...history2018, reports: [] }) });
    expect(section.tables.map((t) => t.id)).toEqual(['years-submissions', 'years-reminders']);
    expect(section.charts).toEqual([]);
  });

  it('appears in every format of the compiled report, after the year figures', async () => {
    const cycleStatistics = await cycleStatisticsSection({ years, effectiveness: reminderEffectiveness(history2018) });
    const compiled = await compileReport({ year: 2018, asOf: '2019-06-30', texts: loadReportTexts(), partners: [], reports: [], sink: memoryChapterSink(), cycleStatistics });
    expect(compiled.charts.map((c) => c.id)).toEqual(['standings', 'punctuality', 'indicators', 'years', 'steps']);
    const parts: string[] = [];
    const file: TextFile = { write: async (t) => void parts.push(t), close: async () => undefined };
    await renderHtml(compiled, file);
    expect(parts.join('')).toMatch(/<caption>Einreichung je Berichtsjahr<\/caption>[\s\S]*<td>2017<\/td><td>1<\/td><td>0 von 1 \(0 %\)<\/td><td>nicht angegeben<\/td>/);
    parts.length = 0;
    await renderMarkdown(compiled, file, (id) => `${id}.svg`);
    expect(parts.join('')).toContain('| \\2. Erinnerung | 1 | 50 % | 2 |');
    const docx = await renderDocx(compiled, { number: 1, of: 1, chapters: [] });
    const { value: docxText } = await mammoth.extractRawText({ buffer: docx });
    expect(docxText).toContain('Welcher Schritt der überarbeiteten Fassung vorausging (Berichtsjahr 2018)');
    const pdf = await renderPdf(compiled, { number: 1, of: 1, chapters: [] }, { createdAt: new Date('2019-07-01T08:00:00Z') });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 60_000);
});
