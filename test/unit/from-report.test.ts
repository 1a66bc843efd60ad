import { describe, expect, it } from 'vitest';
import { sectionsWithPaths, type ReportSubmission } from '../../src/domain/report';
import { readAcceptedReport } from '../../src/documents/from-report';
import type { Block } from '../../src/documents/model';
import { readFixture } from '../support/compiled-report-world';

const partner = { number: 7, organisation: 'Beispiel e.V.' };

/** A report using every kind of block, with what a partner leaves out and what staff classified. */
const report = {
  reportingPeriod: { stated: false },
  author: { name: 'Erika Beispiel', role: { stated: false } },
  blocks: [{ kind: 'text', text: 'Vorweg[^1], siehe Tabelle 1.', references: [{ target: 'tab-1', printed: 'Tabelle 1' }] }],
  sections: [
    {
      heading: '1. Personal',
      level: 1,
      fieldOfAction: { stated: false, assigned: { value: 'PERSONALGEWINNUNG', by: 'Referat 511', at: '2018-05-02' } },
      blocks: [
        {
          kind: 'measure',
          title: { stated: false },
          fieldOfAction: 'FORTBILDUNG',
          status: ['geplant', 'abgeschlossen'],
          description: 'Schulungen, vgl. Abschnitt 2.',
          references: [{ target: 'abschnitt-2', printed: 'Abbildung 1' }],
          figures: [
            { label: 'Teilnehmende', category: 'training', value: { kind: 'range', printed: '19 bis 30', from: 19, to: 30 }, unit: 'Personen', referenceDate: { stated: false }, status: 'erhoben' },
            { label: 'Anteil', category: 'workforce_share', value: { kind: 'number', printed: '25%', number: 25 }, unit: '%', referenceDate: { year: 2018, month: 3 }, status: 'erhoben' },
            { label: 'Quote', category: 'hires', value: { kind: 'threshold', printed: 'unter 25', comparator: 'unter', number: 25 }, unit: { stated: false }, referenceDate: { stated: false }, status: 'ziel' },
          ],
        },
      ],
      subsections: [
        {
          id: 'abschnitt-2',
          heading: 'a) Zahlen',
          level: 2,
          fieldOfAction: 'STRATEGIE',
          blocks: [
            { kind: 'table', id: 'tab-1', caption: 'Tabelle 1: Einstellungen', source: { stated: false }, notes: ['* jährlich'], data: { columns: ['Jahr', 'Zahl'], rows: [['2017', '4'], ['2018', '6*']] } },
            { kind: 'chart', caption: { stated: false }, source: 'Personalamt', description: 'Ein Balkendiagramm.' },
          ],
        },
      ],
    },
  ],
  footnotes: [{ mark: '1', text: 'Stand Juni.' }],
  attachments: [{ kind: 'document', caption: 'Konzept', ref: 'uploads/konzept.pdf' }],
};

function read(content: unknown) {
  const read = readAcceptedReport(partner, content);
  if (read === undefined) throw new Error('did not parse');
  return read;
}

const factsOf = (blocks: Block[]) => blocks.flatMap((b) => (b.kind === 'facts' ? b.facts : []));

describe('an accepted report as chapter blocks', () => {
  it('keeps the partner order: blocks before the first heading, sections, subsections, footnotes, attachments', () => {
    const { blocks } = read(report);
    expect(blocks.map((b) => b.kind)).toEqual([
      'facts',
      'paragraph',
      'heading',
      'facts',
      'facts',
      'paragraph',
      'table',
      'paragraph',
      'heading',
      'facts',
      'table',
      'figure',
      'paragraph',
      'heading',
      'paragraph',
      'heading',
      'list',
    ]);
    expect(blocks.filter((b) => b.kind === 'heading')).toEqual([
      { kind: 'heading', level: 1, text: '1. Personal' },
      { kind: 'heading', level: 2, text: 'a) Zahlen' },
      { kind: 'heading', level: 1, text: 'Fußnoten' },
      { kind: 'heading', level: 1, text: 'Anlagen' },
    ]);
    expect(blocks).toContainEqual({ kind: 'paragraph', text: 'Vorweg[1], siehe Tabelle 1.' });
    expect(blocks).toContainEqual({ kind: 'paragraph', text: '[1] Stand Juni.' });
    expect(blocks).toContainEqual({ kind: 'list', items: ['Dokument: Konzept'] });
  });

  it('says "nicht angegeben" for what was not stated, and marks the classification staff assigned', () => {
    const { blocks } = read(report);
    const facts = factsOf(blocks);
    expect(facts[0]).toEqual({ label: 'Berichtszeitraum', value: { stated: false } });
    expect(facts[1]).toEqual({ label: 'Verfasst von', value: { stated: true, value: 'Erika Beispiel' } });
    expect(facts[2]).toEqual({ label: 'Funktion', value: { stated: false } });
    expect(facts).toContainEqual({ label: 'Handlungsfeld (Zuordnung Ministerium)', value: { stated: true, value: 'Personalgewinnung' } });
    expect(facts).toContainEqual({ label: 'Handlungsfeld', value: { stated: true, value: 'Fortbildung' } });
    expect(facts).toContainEqual({ label: 'Stand', value: { stated: true, value: 'geplant bzw. abgeschlossen' } });
    // Not stated facts of the untitled measure share one line.
    expect(facts).toContainEqual({ label: 'Titel, Zeitraum', value: { stated: false } });
    expect(facts).toContainEqual({ label: 'Handlungsfeld', value: { stated: true, value: 'Strategie und Steuerung' } });
  });

  it('prints tables with notes and source, charts as figures, and cross-references the text does not read out', () => {
    const { blocks } = read(report);
    expect(blocks).toContainEqual({
      kind: 'table',
      caption: 'Tabelle 1: Einstellungen',
      columns: ['Jahr', 'Zahl'],
      rows: [['2017', '4'], ['2018', '6*']],
      footnotes: ['* jährlich', 'Quelle: nicht angegeben'],
    });
    expect(blocks).toContainEqual({ kind: 'figure', caption: 'Titel nicht angegeben', source: { stated: true, value: 'Personalamt' } });
    expect(blocks).toContainEqual({ kind: 'paragraph', text: 'Ein Balkendiagramm.' });
    expect(blocks).toContainEqual({ kind: 'paragraph', text: 'Siehe auch: Abbildung 1' });
    expect(blocks.filter((b) => b.kind === 'paragraph' && b.text.startsWith('Siehe auch'))).toHaveLength(1);
    const figureTable = blocks.find((b) => b.kind === 'table' && b.caption === 'Kennzahlen');
    expect(figureTable).toMatchObject({
      rows: [
        ['Teilnehmende', '19 bis 30 Personen', 'nicht angegeben'],
        ['Anteil', '25%', 'März 2018'],
        ['Quote', 'unter 25 (Zielwert)', 'nicht angegeben'],
      ],
    });
  });

  it('maps the figures with the printed value, and a number only where one value was printed', () => {
    const { figures } = read(report);
    expect(figures.map((f) => [f.label, f.category, f.value, f.valueText, f.unit, f.referenceDate, f.note])).toEqual([
      ['Teilnehmende', 'Fortbildung', { stated: false }, { stated: true, value: '19 bis 30' }, { stated: true, value: 'Personen' }, { stated: false }, { stated: false }],
      ['Anteil', 'Anteil Beschäftigte mit Einwanderungsgeschichte', { stated: true, value: 25 }, { stated: true, value: '25%' }, { stated: true, value: '%' }, { stated: true, value: 'März 2018' }, { stated: false }],
      ['Quote', 'Einstellungen', { stated: false }, { stated: true, value: 'unter 25' }, { stated: false }, { stated: false }, { stated: true, value: 'Zielwert' }],
    ]);
    expect(figures.every((f) => f.number === 7 && f.organisation === 'Beispiel e.V.')).toBe(true);
  });

  it('refuses content that is not a report rather than guessing', () => {
    expect(readAcceptedReport(partner, { ...report, sections: 'keine' })).toBeUndefined();
  });
});

describe('the seed fixtures as chapters', () => {
  it('has every section heading of a fixture, in order and at its level', () => {
    for (const name of ['02-kreis-lippe.json', '12-staedtekooperation-integration-interkommunal.json', '16-landschaftsverband-rheinland.json']) {
      const content = readFixture(name) as ReportSubmission;
      const headings = read(content).blocks.flatMap((b) => (b.kind === 'heading' ? [{ level: b.level, text: b.text }] : []));
      const sections = sectionsWithPaths(content).map(({ section }) => ({ level: section.level, text: section.heading }));
      expect(sections.length).toBeGreaterThan(0);
      // Measure titles are headings too: the sections must appear among them in order.
      let at = 0;
      for (const heading of headings) if (at < sections.length && heading.level === sections[at]?.level && heading.text === sections[at]?.text) at += 1;
      expect(at, name).toBe(sections.length);
    }
  });

  it('shows the charts the Städtekooperation printed without caption or source as such', () => {
    const { blocks } = read(readFixture('12-staedtekooperation-integration-interkommunal.json'));
    const charts = blocks.filter((b) => b.kind === 'figure');
    expect(charts).toHaveLength(2);
    expect(charts.every((c) => c.kind === 'figure' && c.caption === 'Titel nicht angegeben' && !c.source.stated)).toBe(true);
  });
});
