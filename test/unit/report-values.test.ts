import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReportSubmission } from '../../src/domain/report';
import { figureRows } from '../../src/domain/report-figures';
import { classifiedValue, classifyByStaff, hrefOf, isNotStated, notStated } from '../../src/domain/report-values';

const minimal = JSON.parse(readFileSync(new URL('../fixtures/reports/minimal.json', import.meta.url), 'utf8')) as Record<string, any>;
const measurePath = 'sections[0].blocks[0]';

/** The minimal report with its one measure changed. */
function withMeasure(fields: Record<string, unknown>): Record<string, any> {
  const report = structuredClone(minimal);
  Object.assign(report.sections[0].blocks[0], fields);
  return report;
}

const figure = (fields: Record<string, unknown>) => ({
  label: 'Teilnehmende',
  category: 'training',
  unit: 'Personen',
  referenceDate: notStated,
  status: 'erhoben',
  ...fields,
});
const withValue = (value: Record<string, unknown>, fields: Record<string, unknown> = {}) =>
  parseReportSubmission(withMeasure({ figures: [figure({ value, ...fields })] }));
const errors = (parsed: ReturnType<typeof parseReportSubmission>) => (parsed.ok ? [] : parsed.errors);
const at = (field: string, message: string) => `${measurePath}.figures[0].${field}: ${message}`;

describe('not stated', () => {
  it('round-trips through parsing and JSON unchanged, and reads as not stated', () => {
    const parsed = parseReportSubmission(JSON.parse(JSON.stringify(minimal)));
    expect(parsed).toEqual({ ok: true, report: minimal });
    if (!parsed.ok) return;
    expect([parsed.report.reportingPeriod, parsed.report.author].every(isNotStated)).toBe(true);
    expect(JSON.parse(JSON.stringify(parsed.report))).toEqual(parsed.report);
  });

  it('is unknown in the figure rows, never a default', () => {
    const parsed = withValue({ kind: 'number', printed: '33', number: 33 }, { unit: notStated });
    expect(parsed.ok && figureRows(parsed.report)).toEqual([
      expect.objectContaining({ printed: '33', number: 33, unit: null, referenceDate: null, referenceStart: null, referenceEnd: null }),
    ]);
  });

  it('is refused with stray fields, and with "stated": true', () => {
    expect(errors(parseReportSubmission({ ...minimal, author: { stated: false, name: 'Petra Schmidt' } }))).toEqual(['author.name: unknown field']);
    expect(errors(parseReportSubmission({ ...minimal, author: { stated: true } }))).toEqual(['author.stated: must be false']);
    expect(errors(parseReportSubmission({ ...minimal, author: 'Petra Schmidt' }))).toEqual([
      'author: must be an author { name, role } or { "stated": false }',
    ]);
  });

  it('takes an author with a role but no name', () => {
    expect(parseReportSubmission({ ...minimal, author: { name: notStated, role: 'Polizeipräsidentin' } }).ok).toBe(true);
  });
});

describe('placeholders in place of missing values', () => {
  it.each([
    ['author.name', { ...minimal, author: { name: 'N.N.', role: 'Leitung' } }],
    ['author.role', { ...minimal, author: { name: 'Petra Schmidt', role: 'unbekannt' } }],
    [`${measurePath}.title`, withMeasure({ title: 'TBD' })],
    [`${measurePath}.figures[0].unit`, withMeasure({ figures: [figure({ value: { kind: 'number', printed: '3', number: 3 }, unit: '-' })] })],
  ])('are refused in %s', (field, report) => {
    expect(errors(parseReportSubmission(report))).toEqual([`${field}: looks like a placeholder; if it was not stated, give { "stated": false }`]);
  });
});

describe('classification by the partner or by staff', () => {
  const assigned = { stated: false, assigned: { value: 'FORTBILDUNG', by: 'Petra Schmidt', at: '2018-11-05' } };

  it('keeps whose classification it is', () => {
    const parsed = parseReportSubmission(withMeasure({ fieldOfAction: assigned, status: 'laufend' }));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const measure = parsed.report.sections[0]?.blocks[0];
    expect(measure?.kind === 'measure' && [classifiedValue(measure.fieldOfAction), classifiedValue(measure.status)]).toEqual([
      { value: 'FORTBILDUNG', source: 'staff', by: 'Petra Schmidt', at: '2018-11-05' },
      { value: 'laufend', source: 'partner' },
    ]);
    expect(classifiedValue(notStated)).toBeUndefined();
  });

  it('refuses a staff assignment without who, or with a date that is no date, or a wrong value', () => {
    const { by: _by, ...anonymous } = assigned.assigned;
    expect(errors(parseReportSubmission(withMeasure({ fieldOfAction: { stated: false, assigned: anonymous } })))).toEqual([
      `${measurePath}.fieldOfAction.assigned.by: is required`,
    ]);
    expect(errors(parseReportSubmission(withMeasure({ fieldOfAction: { ...assigned, assigned: { ...assigned.assigned, at: '05.11.2018' } } })))).toEqual([
      `${measurePath}.fieldOfAction.assigned.at: must be a real date as YYYY-MM-DD`,
    ]);
    expect(errors(parseReportSubmission(withMeasure({ fieldOfAction: { ...assigned, assigned: { ...assigned.assigned, value: 'PERSONAL' } } }))))
      .toEqual([expect.stringMatching(/^sections\[0\]\.blocks\[0\]\.fieldOfAction\.assigned\.value: must be one of STRATEGIE, /)]);
  });

  it('lets staff classify only what the partner left open, and the result parses', () => {
    const assignment = { value: 'ZUGANG' as const, by: 'Petra Schmidt', at: '2018-11-05' };
    expect(classifyByStaff('FORTBILDUNG', assignment)).toEqual({ ok: false, error: 'was stated by the partner; staff do not overwrite it' });
    const classified = classifyByStaff<string>(notStated, assignment);
    expect(classified).toEqual({ ok: true, classified: { stated: false, assigned: assignment } });
    expect(classified.ok && parseReportSubmission(withMeasure({ fieldOfAction: classified.classified })).ok).toBe(true);
  });

  it('takes a mixed status ("geplant bzw. bereits durchgeführt") with the partner’s words', () => {
    const mixed = withMeasure({ status: ['geplant', 'abgeschlossen'], statusText: 'geplant bzw. bereits durchgeführt' });
    expect(parseReportSubmission(mixed).ok).toBe(true);
    expect(errors(parseReportSubmission(withMeasure({ status: ['geplant'] })))).toEqual([
      `${measurePath}.status: must name at least 2 statuses; give a single status as text`,
    ]);
    expect(errors(parseReportSubmission(withMeasure({ status: ['geplant', 'geplant'] })))).toEqual([
      `${measurePath}.status: must not name a status twice`,
    ]);
  });

  it('keeps funders apart from cooperation partners', () => {
    const parsed = parseReportSubmission(withMeasure({ funders: ['Stiftung Mercator'], cooperationPartners: ['Westfälische Hochschule'] }));
    expect(parsed.ok && parsed.report.sections[0]?.blocks[0]).toMatchObject({ funders: ['Stiftung Mercator'], cooperationPartners: ['Westfälische Hochschule'] });
  });
});

describe('figure values exactly as printed', () => {
  it('takes a number with its approximation, and refuses a parsed number that differs from the print', () => {
    expect(withValue({ kind: 'number', printed: 'rund 19.000', number: 19000, approximation: 'rund' }).ok).toBe(true);
    expect(withValue({ kind: 'number', printed: '10,42', number: 10.42 }).ok).toBe(true);
    expect(withValue({ kind: 'number', printed: 'zwölf', number: 12 }).ok).toBe(true);
    expect(errors(withValue({ kind: 'number', printed: '10,42', number: 1042 }))).toEqual([at('value.number', 'must be 10.42, the number printed in "10,42"')]);
    expect(errors(withValue({ kind: 'number', printed: 'zwölf', number: 11 }))).toEqual([at('value.number', 'must be 12, the number printed in "zwölf"')]);
    expect(errors(withValue({ kind: 'number', printed: '48 %' }))).toEqual([at('value.number', 'is required: "48 %" prints a number')]);
    expect(errors(withValue({ kind: 'number', printed: '350', number: 350, approximation: 'ca' }))).toEqual([
      at('value.approximation', 'must be printed: "350" does not say "ca"'),
    ]);
  });

  it('takes a range ("19 bis 30") and refuses one that runs backwards or differs from the print', () => {
    expect(withValue({ kind: 'range', printed: '19 bis 30', from: 19, to: 30 }).ok).toBe(true);
    expect(errors(withValue({ kind: 'range', printed: '30 bis 19', from: 30, to: 19 }))).toEqual([at('value.to', 'must not be below from')]);
    expect(errors(withValue({ kind: 'range', printed: '19 bis 30', from: 18, to: 30 }))).toEqual([
      at('value.from', 'from and to must be 19 and 30, as printed in "19 bis 30"'),
    ]);
    expect(errors(withValue({ kind: 'range', printed: '19 bis 30', from: 19 }))).toEqual([at('value.to', 'is required')]);
  });

  it('takes thresholds and targets as such ("unter 25", "mindestens B2")', () => {
    expect(withValue({ kind: 'threshold', printed: 'unter 25', comparator: 'unter', number: 25 }, { status: 'ziel' }).ok).toBe(true);
    expect(withValue({ kind: 'threshold', printed: 'mindestens B2', comparator: 'mindestens', level: 'B2' }, { status: 'ziel', unit: 'Sprachniveau' }).ok).toBe(true);
    expect(withValue({ kind: 'threshold', printed: 'mehr als einem Drittel', comparator: 'mehr_als', number: 1 / 3 }).ok).toBe(true);
    expect(errors(withValue({ kind: 'threshold', printed: 'mindestens B2', comparator: 'mindestens' }))).toEqual([
      at('value.number', 'give either number or level, not both and not neither'),
    ]);
    expect(errors(withValue({ kind: 'threshold', printed: '25', comparator: 'unter', number: 25 }))).toEqual([
      at('value.comparator', 'must be printed: "25" does not say "unter"'),
    ]);
    expect(errors(withValue({ kind: 'threshold', printed: 'unter 25', comparator: 'kleiner', number: 25 }))).toEqual([
      at('value.comparator', 'must be one of unter, ueber, mehr_als, weniger_als, mindestens, hoechstens, bis_zu'),
    ]);
  });

  it('takes a quantity only in words, and a percentage whose base is only given in words', () => {
    expect(withValue({ kind: 'words', printed: 'zahlreiche' }, { unit: notStated }).ok).toBe(true);
    const share = withValue({ kind: 'number', printed: '25%', number: 25 }, { unit: '%', base: { printed: 'der Einwohner mit Zuwanderungsgeschichte in Lippe' } });
    expect(share.ok).toBe(true);
    expect(errors(withValue({ kind: 'number', printed: '25%', number: 25 }, { base: { printed: ' ' } }))).toEqual([at('base.printed', 'must not be blank')]);
  });

  it('refuses an unknown kind of value and a value on a figure still to come', () => {
    expect(errors(withValue({ kind: 'estimate', printed: '3' }))).toEqual([at('value.kind', 'must be a value of kind number, range, threshold or words')]);
    expect(errors(withValue({ kind: 'number', printed: '3', number: 3 }, { status: 'nachgereicht_bis', dueAt: { year: 2019 } }))).toEqual([
      at('value', 'must be absent when status is nachgereicht_bis'),
    ]);
  });

  it('flattens each kind into its figure row', () => {
    const parsed = parseReportSubmission(
      withMeasure({
        figures: [
          figure({ value: { kind: 'range', printed: '19 bis 30', from: 19, to: 30 }, referenceDate: { year: 2018, phase: 'ende', text: 'Ende 2018' } }),
          figure({ value: { kind: 'threshold', printed: 'mindestens B2', comparator: 'mindestens', level: 'B2' }, status: 'ziel' }),
        ],
      }),
    );
    expect(parsed.ok && figureRows(parsed.report).map(({ valueKind, printed, from, to, comparator, level, referenceDate, referenceStart, referenceEnd }) =>
      ({ valueKind, printed, from, to, comparator, level, referenceDate, referenceStart, referenceEnd }))).toEqual([
      { valueKind: 'range', printed: '19 bis 30', from: 19, to: 30, comparator: null, level: null, referenceDate: 'Ende 2018', referenceStart: '2018-09-01', referenceEnd: '2018-12-31' },
      { valueKind: 'threshold', printed: 'mindestens B2', from: null, to: null, comparator: 'mindestens', level: 'B2', referenceDate: null, referenceStart: null, referenceEnd: null },
    ]);
  });
});

describe('web addresses as printed', () => {
  it.each(['www.mkffi.nrw/wir-sind-partner', 'https://sessionnet.krz.de/duisburg/bi/getfile.asp?id=1601385&type=do&', 'integration.nrw.de'])('takes %s', (link) => {
    expect(parseReportSubmission(withMeasure({ links: [link] })).ok).toBe(true);
  });

  it.each(['javascript:alert(1)', 'ftp://example.de/datei', 'siehe Homepage', 'file:///etc/passwd'])('refuses %s', (link) => {
    expect(errors(parseReportSubmission(withMeasure({ links: [link] })))).toEqual([
      `${measurePath}.links[0]: must be a web address: http(s)://… or as printed without a scheme (www.example.de/…)`,
    ]);
  });

  it('links a reader to the address with https added only where the print had no scheme', () => {
    expect(hrefOf('www.mkffi.nrw/wir-sind-partner')).toBe('https://www.mkffi.nrw/wir-sind-partner');
    expect(hrefOf('http://www.example.de')).toBe('http://www.example.de');
  });
});

describe('footnotes, cross-references, tables and charts', () => {
  const footnoted = (footnotes: unknown) => ({ ...withMeasure({ description: 'Personalamt[^1] und Gelsenkirchen[^2].' }), footnotes });

  it('resolves every footnote mark, and refuses footnotes nobody refers to or marks given twice', () => {
    expect(parseReportSubmission(footnoted([{ mark: '1', text: 'Stand 2018.' }, { mark: '2', text: 'Quelle: IT.NRW.' }])).ok).toBe(true);
    expect(errors(parseReportSubmission(footnoted([{ mark: '1', text: 'Stand 2018.' }, { mark: '2', text: 'a' }, { mark: '3', text: 'b' }])))).toEqual([
      'footnotes[2].mark: is not referred to: put [^3] where the mark is printed',
    ]);
    expect(errors(parseReportSubmission(footnoted([{ mark: '1', text: 'a' }, { mark: '1', text: 'b' }, { mark: '2', text: 'c' }])))).toEqual([
      'footnotes[1].mark: repeats an earlier mark',
    ]);
  });

  const table = {
    kind: 'table',
    id: 'tabelle-1',
    caption: 'Tabelle 1: Auszubildende nach Jahrgang',
    source: 'Personalamt',
    data: { columns: ['Jahrgang', 'Auszubildende'], rows: [['2017', '26'], ['2018', '28']] },
  };
  const chart = { kind: 'chart', id: 'abbildung-1', caption: 'Abbildung 1: Zufriedenheit', source: notStated, data: { columns: ['Antwort', 'Anteil'], rows: [['1', '12 %']] } };
  const withBlocks = (blocks: unknown[]) => {
    const report = structuredClone(minimal);
    report.sections[0].blocks.push(...blocks);
    return report;
  };

  it('takes tables and charts with caption, source and printed data, and references to them', () => {
    const report = withBlocks([table, chart, { kind: 'text', text: 'Siehe Tabelle 1 und Abbildung 1.', references: [{ target: 'tabelle-1', printed: 'Tabelle 1' }, { target: 'abbildung-1', printed: 'Abbildung 1' }] }]);
    expect(parseReportSubmission(report)).toEqual({ ok: true, report });
  });

  it('refuses an id used twice and a chart whose data rows do not fit its columns', () => {
    expect(errors(parseReportSubmission(withBlocks([table, { ...chart, id: 'tabelle-1' }])))).toEqual([
      'sections[0].blocks[2].id: repeats the id of sections.0.blocks.1',
    ]);
    expect(errors(parseReportSubmission(withBlocks([{ ...chart, data: { columns: ['Antwort', 'Anteil'], rows: [['1']] } }])))).toEqual([
      'sections[0].blocks[1].data.rows[0]: must have 2 cells, one per column',
    ]);
  });

  it('requires a chart to say whether its caption and source were stated', () => {
    const { source: _source, ...withoutSource } = chart;
    expect(errors(parseReportSubmission(withBlocks([withoutSource])))).toEqual(['sections[0].blocks[1].source: is required']);
  });
});
