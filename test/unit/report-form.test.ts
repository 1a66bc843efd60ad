import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePrintedValue } from '../../src/domain/printed-value';
import { parseReportSubmission } from '../../src/domain/report';
import { figureValueSchema } from '../../src/domain/report-figure';
import { reportCopy } from '../../src/web/report-copy';
import { buildSubmission, figureFields, formErrors, pickFormFields, shapeOf, translateReason, upgradeDraft, withAddedSlot } from '../../src/web/report-form';

const notStated = { stated: false };

const filled = {
  'reportingPeriod.stated': 'nein',
  'author.stated': 'ja',
  'author.name': '',
  'author.role': 'Kommunales Integrationszentrum',
  'blocks[0].kind': 'text',
  'blocks[0].text': 'Der Kreis Lippe ist seit 2017 Partner.',
  'sections[0].heading': '1. Fortbildung',
  'sections[0].fieldOfAction': '',
  'sections[0].blocks[0].kind': 'text',
  'sections[0].blocks[0].text': '',
  'sections[0].blocks[1].kind': 'measure',
  'sections[0].blocks[1].title': '',
  'sections[0].blocks[1].description': 'Schulungen für alle Auszubildenden.',
  'sections[0].blocks[1].status': '',
  'sections[0].blocks[1].fieldOfAction': 'FORTBILDUNG',
  'sections[0].blocks[1].figures[0].label': '',
  'sections[0].blocks[1].figures[1].label': 'Teilnehmende',
  'sections[0].blocks[1].figures[1].value': '19 bis 30',
  'sections[0].blocks[1].figures[1].unit': '',
  'sections[0].blocks[1].figures[1].referenceDate': 'Ende 2018',
  'sections[0].blocks[1].figures[1].status': 'erhoben',
  'sections[0].blocks[1].figures[1].category': 'training',
  'sections[0].blocks[2].kind': 'text',
  'sections[0].blocks[2].text': 'Danach folgte ein Aktionstag.',
  'sections[1].heading': '',
  'sections[1].blocks[0].kind': 'measure',
  'sections[1].blocks[0].description': '',
  'sections[2].heading': '2. Zugang',
  'sections[2].fieldOfAction': 'ZUGANG',
  'sections[2].blocks[0].kind': 'measure',
  'sections[2].blocks[0].title': 'Sprachmittlerpool',
  'sections[2].blocks[0].description': 'Dolmetschende für Gespräche.',
  'sections[2].blocks[0].status': 'laufend',
  'sections[2].blocks[0].statusText': 'geplant bzw. bereits durchgeführt',
};

describe('the report form', () => {
  it('builds the submission from what was typed: empty is not stated, order kept, figures as printed', () => {
    const built = buildSubmission(filled);
    expect(built.problems).toEqual([]);
    expect(built.body).toEqual({
      reportingPeriod: notStated,
      author: { name: notStated, role: 'Kommunales Integrationszentrum' },
      blocks: [{ kind: 'text', text: 'Der Kreis Lippe ist seit 2017 Partner.' }],
      sections: [
        {
          heading: '1. Fortbildung',
          level: 1,
          fieldOfAction: notStated,
          blocks: [
            {
              kind: 'measure',
              title: notStated,
              fieldOfAction: 'FORTBILDUNG',
              status: notStated,
              description: 'Schulungen für alle Auszubildenden.',
              figures: [
                {
                  label: 'Teilnehmende',
                  category: 'training',
                  value: { kind: 'range', printed: '19 bis 30', from: 19, to: 30 },
                  unit: notStated,
                  referenceDate: { year: 2018, phase: 'ende', text: 'Ende 2018' },
                  status: 'erhoben',
                },
              ],
            },
            { kind: 'text', text: 'Danach folgte ein Aktionstag.' },
          ],
        },
        {
          heading: '2. Zugang',
          level: 1,
          fieldOfAction: 'ZUGANG',
          blocks: [
            {
              kind: 'measure',
              title: 'Sprachmittlerpool',
              fieldOfAction: notStated,
              status: 'laufend',
              statusText: 'geplant bzw. bereits durchgeführt',
              description: 'Dolmetschende für Gespräche.',
            },
          ],
        },
      ],
    });
    const parsed = parseReportSubmission(built.body);
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });

  it('reads printed values as the schema understands them, keeping the words', () => {
    const cases: [string, unknown][] = [
      ['1.500', { kind: 'number', printed: '1.500', number: 1500 }],
      ['rund 19.000', { kind: 'number', printed: 'rund 19.000', number: 19000, approximation: 'rund' }],
      ['ca. 350', { kind: 'number', printed: 'ca. 350', number: 350, approximation: 'ca' }],
      ['10,42', { kind: 'number', printed: '10,42', number: 10.42 }],
      ['19 bis 30', { kind: 'range', printed: '19 bis 30', from: 19, to: 30 }],
      ['unter 25', { kind: 'threshold', printed: 'unter 25', comparator: 'unter', number: 25 }],
      ['mehr als 70', { kind: 'threshold', printed: 'mehr als 70', comparator: 'mehr_als', number: 70 }],
      ['mindestens B2', { kind: 'threshold', printed: 'mindestens B2', comparator: 'mindestens', level: 'B2' }],
      ['zwölf', { kind: 'number', printed: 'zwölf', number: 12 }],
      ['zahlreiche', { kind: 'words', printed: 'zahlreiche' }],
      ['2 von 26', { kind: 'words', printed: '2 von 26' }],
    ];
    for (const [printed, expected] of cases) {
      const value = parsePrintedValue(printed);
      expect(value, printed).toEqual(expected);
      expect(figureValueSchema.safeParse(value).success, printed).toBe(true);
    }
  });

  it('maps the validator’s lines back to the slots the person filled in, in German', () => {
    const built = buildSubmission({
      ...filled,
      'sections[2].blocks[0].description': ' ',
      'sections[0].blocks[1].figures[1].status': '',
      'sections[0].blocks[1].figures[1].unit': 'k. A.',
    });
    const parsed = parseReportSubmission(built.body);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(formErrors(parsed.errors, built, 'de')).toEqual([
      { field: 'sections[0].blocks[1].figures[1].unit', message: expect.stringContaining('Platzhalter') },
      { field: 'sections[0].blocks[1].figures[1].status', message: 'Bitte wählen Sie einen Eintrag aus der Liste.' },
      { field: 'sections[2].blocks[0].description', message: 'Bitte füllen Sie dieses Feld aus.' },
    ]);
    expect(formErrors(['author.role: must be at most 200 characters'], built, 'en')).toEqual([{ field: 'author.role', message: 'Must be at most 200 characters.' }]);
  });

  it('asks for an explicit choice on period and author, and reads dates or says it cannot', () => {
    const built = buildSubmission({ 'reportingPeriod.from': 'irgendwann', 'author.stated': 'nein', 'author.name': 'Petra Schmidt' });
    expect(built.problems.map((p) => p.field)).toEqual(['reportingPeriod.from', 'author.stated']);
    expect(built.problems[0]?.message).toContain('„Ende 2018“');
    expect(buildSubmission({}).problems.map((p) => p.field)).toEqual(['reportingPeriod.stated', 'author.stated']);
    const period = buildSubmission({ 'reportingPeriod.stated': 'ja', 'reportingPeriod.text': '2017/18', 'reportingPeriod.from': 'November 2017', 'author.stated': 'nein' });
    expect(period.body['reportingPeriod']).toEqual({ text: '2017/18', from: { year: 2017, month: 11, text: 'November 2017' } });
    expect(period.body['author']).toEqual(notStated);
  });

  it('shows one text and one section with a text and a measure at first, and adds slots on request', () => {
    expect(shapeOf({})).toEqual({ blocks: [{ kind: 'text', figures: 0 }], sections: [[{ kind: 'text', figures: 0 }, { kind: 'measure', figures: 0 }]] });
    expect(shapeOf(filled).sections[0]).toEqual([{ kind: 'text', figures: 0 }, { kind: 'measure', figures: 2 }, { kind: 'text', figures: 0 }]);
    const withMeasure = withAddedSlot(filled, 'add-measure:sections[2].')!;
    expect(withMeasure['sections[2].blocks[1].kind']).toBe('measure');
    expect(shapeOf(withAddedSlot({}, 'add-section')!).sections).toHaveLength(2);
    expect(shapeOf(withAddedSlot(filled, 'add-figure:sections[0].blocks[1]')!).sections[0]?.[1]?.figures).toBe(3);
    expect(withAddedSlot(filled, 'add-figure:sections[0].blocks[0]')).toBeUndefined(); // a text has no figures
    expect(withAddedSlot(filled, 'add-anything')).toBeUndefined();
    expect(Object.keys(pickFormFields({ ...filled, csrf: 'x', action: 'submit', 'sections[99].heading': 'x', 'narrative': 'alt' }))).toEqual(Object.keys(filled));
  });

  it('keeps unknown reasons as they came rather than guessing', () => {
    expect(translateReason('repeats the ref of attachments[0]', 'de')).toBe('repeats the ref of attachments[0]');
    expect(translateReason('must be at most 300 characters', 'de')).toBe('Bitte höchstens 300 Zeichen eingeben.');
  });

  it('names the phase that refused a decision by its label, in both languages', () => {
    expect(translateReason('cannot grant an extension while the report is submitted', 'de')).toBe('Im Stand „eingereicht“ ist das nicht möglich.');
    expect(translateReason('cannot accept: the report is already waived', 'de')).toBe('Im Stand „verzichtet“ ist das nicht möglich.');
    expect(translateReason('cannot request a revision while the report is revision_requested', 'en')).toBe('Not possible while the report is “revision requested”.');
  });
});

describe('the copy of what was submitted', () => {
  it('shows the blocks in the order written and „nicht angegeben“ where nothing was stated', async () => {
    const built = buildSubmission(filled);
    const parsed = parseReportSubmission(built.body);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const text = String(await reportCopy('de', parsed.report));
    const order = ['Nicht angegeben', 'Der Kreis Lippe ist seit 2017 Partner.', '1. Fortbildung', 'Titel nicht angegeben', 'Schulungen für alle', 'Teilnehmende', '19 bis 30', 'Ende 2018', 'Danach folgte ein Aktionstag.', '2. Zugang', 'Sprachmittlerpool', 'laufend', 'geplant bzw. bereits durchgeführt'];
    const positions = order.map((part) => text.toLowerCase().indexOf(part.toLowerCase()));
    expect(positions.every((p) => p >= 0), JSON.stringify(order.filter((_, k) => positions[k]! < 0))).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Period, author's name, section's field of action, measure's status, figure's unit: five times not stated.
    expect(text.match(/nicht angegeben/g)?.length).toBeGreaterThanOrEqual(6);
  });

  it('renders a partner’s real report with every heading', async () => {
    const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/reports/02-kreis-lippe.json'), 'utf8')) as unknown;
    const parsed = parseReportSubmission(fixture);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const text = String(await reportCopy('de', parsed.report));
    for (const section of parsed.report.sections) expect(text).toContain(section.heading.replace(/&/g, '&amp;').replace(/"/g, '&quot;'));
  });
});

describe('figures without a value', () => {
  it('records a figure that follows later with its date, and one no longer collected with its reason', async () => {
    const base = { 'reportingPeriod.stated': 'nein', 'author.stated': 'nein', 'sections[0].heading': 'Personal', 'sections[0].blocks[0].kind': 'measure', 'sections[0].blocks[0].description': 'Befragung der Beschäftigten.' };
    const figure = 'sections[0].blocks[0].figures[0]';
    const built = buildSubmission({
      ...base,
      [`${figure}.label`]: 'Anteil der Beschäftigten mit Einwanderungsgeschichte',
      [`${figure}.category`]: 'workforce_share',
      [`${figure}.status`]: 'nachgereicht_bis',
      [`${figure}.dueAt`]: 'März 2019',
      [`${figure}.unit`]: '%',
      'sections[0].blocks[0].figures[1].label': 'Teilnehmende',
      'sections[0].blocks[0].figures[1].category': 'training',
      'sections[0].blocks[0].figures[1].status': 'nicht_mehr_erhoben',
      'sections[0].blocks[0].figures[1].reason': 'Die Schulung ist Pflicht für alle.',
    });
    const parsed = parseReportSubmission(built.body);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const block = parsed.report.sections[0]?.blocks[0];
    expect(block?.kind === 'measure' ? block.figures : undefined).toEqual([
      { label: 'Anteil der Beschäftigten mit Einwanderungsgeschichte', category: 'workforce_share', unit: '%', referenceDate: notStated, status: 'nachgereicht_bis', dueAt: { year: 2019, month: 3, text: 'März 2019' } },
      { label: 'Teilnehmende', category: 'training', unit: notStated, referenceDate: notStated, status: 'nicht_mehr_erhoben', reason: 'Die Schulung ist Pflicht für alle.' },
    ]);
    const text = String(await reportCopy('de', parsed.report));
    expect(text).toContain('folgt bis März 2019');
    expect(text).toContain('Die Schulung ist Pflicht für alle.');

    const wrong = buildSubmission({ ...base, [`${figure}.label`]: 'Teilnehmende', [`${figure}.category`]: 'training', [`${figure}.status`]: 'nachgereicht_bis', [`${figure}.value`]: '12' });
    const refused = parseReportSubmission(wrong.body);
    expect(refused.ok ? [] : formErrors(refused.errors, wrong, 'de')).toEqual([
      { field: `${figure}.value`, message: 'Bei dieser Art des Wertes bleibt der Wert leer.' },
      { field: `${figure}.dueAt`, message: 'Bitte füllen Sie dieses Feld aus: die gewählte Art des Wertes verlangt es.' },
    ]);
  });
});

describe('a figure’s topic', () => {
  it('is recorded as not stated when the partner leaves the choice to the ministry, and offered as such in the form', () => {
    const figure = 'sections[0].blocks[0].figures[0]';
    const fields = {
      'reportingPeriod.stated': 'nein',
      'author.stated': 'nein',
      'sections[0].heading': 'Personal',
      'sections[0].blocks[0].kind': 'measure',
      'sections[0].blocks[0].description': 'Befragung der Beschäftigten.',
      [`${figure}.label`]: 'Befragte',
      [`${figure}.value`]: '120',
      [`${figure}.status`]: 'erhoben',
      [`${figure}.category`]: '',
    };
    const parsed = parseReportSubmission(buildSubmission(fields).body);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const block = parsed.report.sections[0]?.blocks[0];
    expect(block?.kind === 'measure' ? block.figures?.[0]?.category : undefined).toEqual(notStated);
    const spec = figureFields.find((field) => field.name === 'category');
    expect(spec).toMatchObject({ required: false, emptyOption: ['Nicht angegeben – Einordnung dem Ministerium überlassen', 'Not stated – leave the classification to the ministry'] });
    // A topic the partner chose stays theirs.
    const chosen = parseReportSubmission(buildSubmission({ ...fields, [`${figure}.category`]: 'survey' }).body);
    expect(chosen.ok && chosen.report.sections[0]?.blocks[0]?.kind === 'measure' ? chosen.report.sections[0].blocks[0].figures?.[0]?.category : undefined).toBe('survey');
  });
});

describe('a draft saved before reports were blocks', () => {
  it('comes back in today’s fields with everything typed, and no heading made up', () => {
    const old = {
      'reportingPeriod.text': '2026/27',
      'reportingPeriod.from.year': '2026',
      'reportingPeriod.from.month': '3',
      'reportingPeriod.to.year': '2027',
      'author.name': 'Petra Schmidt',
      'author.role': '',
      narrative: 'Ein Jahr.',
      'context.text': '',
      'sections[0].heading': 'Fortbildung',
      'sections[0].fieldOfAction': 'FORTBILDUNG',
      'sections[0].intro': 'Vorweg.',
      'sections[0].measures[0].title': 'Seminar',
      'sections[0].measures[0].fieldOfAction': '',
      'sections[0].measures[0].status': 'laufend',
      'sections[0].measures[0].description': 'Zweitägig.',
      'outlook.text': 'Mehr Seminare.',
    };
    const upgraded = upgradeDraft(old);
    expect(upgraded).toEqual({
      'reportingPeriod.stated': 'ja',
      'reportingPeriod.text': '2026/27',
      'reportingPeriod.from': 'März 2026',
      'reportingPeriod.to': '2027',
      'author.stated': 'ja',
      'author.name': 'Petra Schmidt',
      'author.role': '',
      'blocks[0].kind': 'text',
      'blocks[0].text': 'Ein Jahr.',
      'sections[0].heading': 'Fortbildung',
      'sections[0].fieldOfAction': 'FORTBILDUNG',
      'sections[0].blocks[0].kind': 'text',
      'sections[0].blocks[0].text': 'Vorweg.',
      'sections[0].blocks[1].kind': 'measure',
      'sections[0].blocks[1].title': 'Seminar',
      'sections[0].blocks[1].fieldOfAction': '',
      'sections[0].blocks[1].status': 'laufend',
      'sections[0].blocks[1].description': 'Zweitägig.',
      'sections[1].heading': '',
      'sections[1].blocks[0].kind': 'text',
      'sections[1].blocks[0].text': 'Mehr Seminare.',
    });
    expect(Object.keys(pickFormFields(upgraded))).toEqual(Object.keys(upgraded));
    // The outlook's section still needs the partner's heading: the schema asks for it.
    const built = buildSubmission(upgraded);
    const parsed = parseReportSubmission(built.body);
    expect(parsed.ok ? [] : formErrors(parsed.errors, built, 'de')).toEqual([{ field: 'sections[1].heading', message: 'Bitte füllen Sie dieses Feld aus.' }]);
    expect(upgradeDraft(filled)).toBe(filled);
  });
});
