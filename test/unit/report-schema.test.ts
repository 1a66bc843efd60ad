import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measuresWithPaths, parseReportSubmission, type ReportSubmission } from '../../src/domain/report';

const fixtureDir = new URL('../fixtures/reports/', import.meta.url);
const fixtureNames = readdirSync(fixtureDir).filter((name) => name.endsWith('.json'));
const readFixture = (name: string): unknown => JSON.parse(readFileSync(new URL(name, fixtureDir), 'utf8'));

function parsedReport(input: unknown): ReportSubmission {
  const parsed = parseReportSubmission(input);
  if (!parsed.ok) throw new Error(`expected a valid report:\n${parsed.errors.join('\n')}`);
  return parsed.report;
}

function errorsOf(input: unknown): string[] {
  const parsed = parseReportSubmission(input);
  if (parsed.ok) throw new Error('expected the report to be refused');
  return parsed.errors;
}

/** A copy of the smallest valid report with one measure, for changing one thing at a time. */
// `any`: tests break fixtures on purpose, in ways the report type would not allow.
function reportWithMeasure(measure: Record<string, unknown> = {}): Record<string, any> {
  const report = structuredClone(readFixture('minimal.json')) as Record<string, any>;
  report.sections[0].measures = [
    {
      title: 'Interkulturelle Schulung für Auszubildende',
      fieldOfAction: 'FORTBILDUNG',
      status: 'laufend',
      description: 'Alle Auszubildenden besuchen eine zweitägige Schulung.',
      ...measure,
    },
  ];
  return report;
}

const indicator = (fields: Record<string, unknown>) => ({
  label: 'Teilnehmende',
  category: 'training',
  unit: 'Personen',
  referenceDate: { year: 2018 },
  ...fields,
});

describe('reports from the network’s 2018 compiled report, converted to submissions', () => {
  const valid = fixtureNames.filter((name) => !name.startsWith('invalid-'));

  it('include Kreis Lippe, LVR, Bezirksregierung Münster and the minimal report', () => {
    expect(valid).toEqual([
      '02-kreis-lippe.json',
      '16-landschaftsverband-rheinland.json',
      '22-bezirksregierung-muenster.json',
      'minimal.json',
    ]);
  });

  it.each(valid)('%s parses and comes back unchanged, wording verbatim', (name) => {
    const input = readFixture(name);
    expect(parsedReport(input)).toEqual(input);
  });

  it('keeps each LVR agreed measure apart from its "Stand der Umsetzung"', () => {
    const report = parsedReport(readFixture('16-landschaftsverband-rheinland.json'));
    const measures = report.sections.flatMap((section) => section.measures);
    expect(measures.map((measure) => measure.declaredMeasureRef)).toEqual([
      'LVR-1', 'LVR-1', 'LVR-2a', 'LVR-2b', 'LVR-3a', 'LVR-3b', 'LVR-4a', 'LVR-4b', 'LVR-4c',
    ]);
    const flyer = measures.find((measure) => measure.declaredMeasureRef === 'LVR-4a');
    expect(flyer?.statusText).toMatch(/^Der Elterninformationsflyer .* übersetzt\.$/);
  });

  it('files Münster\'s numbered Handlungsfelder under their codes, headings verbatim', () => {
    const report = parsedReport(readFixture('22-bezirksregierung-muenster.json'));
    expect(report.sections.map((section) => [section.heading, section.fieldOfAction])).toEqual([
      ['Handlungsfeld 1: Strategische Ziele und Behördenentwicklung', 'STRATEGIE'],
      ['Handlungsfeld 2: Personalgewinnung, Personalentwicklung', 'PERSONALGEWINNUNG'],
      ['Handlungsfeld 3: Fort- und Weiterbildung', 'FORTBILDUNG'],
      ['Handlungsfeld 4: Kooperationen und Netzwerke', 'KOOPERATION'],
    ]);
  });
});

describe('invalid submissions', () => {
  const expected: Record<string, string[]> = {
    'invalid-attachment-ref.json': ['sections[0].measures[0].evidence[0].ref: must be the ref of one of the attachments'],
    'invalid-blank-description.json': ['sections[0].measures[0].description: must not be blank'],
    'invalid-deferred-indicator-without-due-date.json': [
      'sections[0].measures[0].indicators[0].dueAt: is required when status is nachgereicht_bis',
    ],
    'invalid-dropped-indicator-without-reason.json': [
      'sections[0].measures[0].indicators[0].reason: is required when status is nicht_mehr_erhoben',
    ],
    'invalid-field-of-action.json': [
      'sections[0].fieldOfAction: must be one of STRATEGIE, PERSONALGEWINNUNG, FORTBILDUNG, SENSIBILISIERUNG, ZUGANG, OEFFENTLICHKEIT, KOOPERATION, FACHAUFGABE, SONSTIGES',
    ],
    'invalid-fuzzy-date.json': ['sections[0].measures[0].indicators[0].referenceDate.day: must be at most 28 in that month'],
    'invalid-link.json': ['sections[0].measures[0].links[0]: must be an http(s) URL'],
    'invalid-measure-status.json': [
      'sections[0].measures[0].status: must be one of geplant, begonnen, laufend, verstetigt, abgeschlossen, ausgesetzt, nicht_durchgefuehrt',
    ],
    'invalid-measured-indicator-without-value.json': [
      'sections[0].measures[0].indicators[0].value: is required when status is erhoben (give value or valueText)',
    ],
    'invalid-missing-reporting-period.json': ['reportingPeriod: is required'],
    'invalid-no-sections.json': ['sections: must have at least 1 entry'],
    'invalid-period-order.json': ['reportingPeriod.to: must not be before from'],
    'invalid-section-level.json': ['sections[0].subsections[0].level: must be 2: sections at this depth are level 2'],
    'invalid-section-too-deep.json': [
      'sections[0].subsections[0].subsections[0].subsections: sections nest at most 3 levels deep',
    ],
    'invalid-table-row-width.json': ['attachments[0].rows[1]: must have 3 cells, one per column'],
    'invalid-unknown-field.json': ['sections[0].measures[0].staus: unknown field'],
  };

  it('every invalid fixture has its expected errors listed here', () => {
    expect(fixtureNames.filter((name) => name.startsWith('invalid-'))).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s is refused with the field path and reason', (name, errors) => {
    expect(errorsOf(readFixture(name))).toEqual(errors);
  });

  it('refuses partner and year in the body: the workflow knows them', () => {
    const report = { ...(readFixture('minimal.json') as object), partnerId: 7, year: 2018 };
    expect(errorsOf(report)).toEqual(['partnerId: unknown field', 'year: unknown field']);
  });

  it('refuses a body that is not an object', () => {
    expect(errorsOf('Bericht')).toEqual(['(input): must be an object']);
    expect(errorsOf(undefined)).toEqual(['(input): is required']);
  });
});

describe('the minimal report', () => {
  const minimal = readFixture('minimal.json') as Record<string, any>;

  const leafPaths = (value: unknown, path: (string | number)[] = []): (string | number)[][] =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...path, key]))
      : Array.isArray(value) && value.length > 0
        ? value.flatMap((child, index) => leafPaths(child, [...path, index]))
        : [path];

  it.each(leafPaths(minimal).map((path) => [path.join('.'), path] as const))(
    'has no optional field: without %s it is refused',
    (_, path) => {
      const report = structuredClone(minimal);
      let parent: any = report;
      for (const key of path.slice(0, -1)) parent = parent[key];
      const last = path.at(-1) as string | number;
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
      expect(parseReportSubmission(report).ok).toBe(false);
    },
  );
});

describe('indicator status rules', () => {
  const parseIndicator = (fields: Record<string, unknown>) =>
    parseReportSubmission(reportWithMeasure({ indicators: [indicator(fields)] }));

  it('accepts a measured value given only in words ("mehr als einem Drittel")', () => {
    expect(parseIndicator({ valueText: 'einem Drittel', qualifier: 'mehr_als', status: 'erhoben' }).ok).toBe(true);
  });

  it('accepts a figure that follows later, with the date it is due', () => {
    expect(parseIndicator({ status: 'nachgereicht_bis', dueAt: { year: 2019, month: 3, text: 'im März 2019' } }).ok).toBe(true);
  });

  it('accepts a figure no longer collected, with the reason', () => {
    const reason = 'Die Erfassung des Migrationshintergrunds erfolgt aus Datenschutzgründen nicht mehr.';
    expect(parseIndicator({ status: 'nicht_mehr_erhoben', reason }).ok).toBe(true);
  });

  it('refuses a forecast without a value', () => {
    expect(parseIndicator({ status: 'prognose' })).toEqual({
      ok: false,
      errors: ['sections[0].measures[0].indicators[0].value: is required when status is prognose (give value or valueText)'],
    });
  });

  it('refuses a value on a figure that is still to follow, and a due date on a measured one', () => {
    expect(parseIndicator({ status: 'nachgereicht_bis', value: 3, dueAt: { year: 2019 } })).toEqual({
      ok: false,
      errors: ['sections[0].measures[0].indicators[0].value: must be absent when status is nachgereicht_bis'],
    });
    expect(parseIndicator({ status: 'erhoben', value: 3, dueAt: { year: 2019 } })).toEqual({
      ok: false,
      errors: ['sections[0].measures[0].indicators[0].dueAt: is only allowed when status is nachgereicht_bis'],
    });
  });

  it('takes the reference date as YYYY-MM-DD or as a fuzzy date, and names what is wrong with either', () => {
    expect(parseIndicator({ status: 'erhoben', value: 1, referenceDate: '2018-07-05' }).ok).toBe(true);
    expect(parseIndicator({ status: 'erhoben', value: 1, referenceDate: { year: 2018, part: 'herbst' } }).ok).toBe(true);
    expect(parseIndicator({ status: 'erhoben', value: 1, referenceDate: '05.07.2018' })).toEqual({
      ok: false,
      errors: ['sections[0].measures[0].indicators[0].referenceDate: must be a real date as YYYY-MM-DD'],
    });
    expect(parseIndicator({ status: 'erhoben', value: 1, referenceDate: { year: '2018' } })).toEqual({
      ok: false,
      errors: ['sections[0].measures[0].indicators[0].referenceDate.year: must be a number'],
    });
    expect(parseIndicator({ status: 'erhoben', value: 1, referenceDate: 2018 })).toEqual({
      ok: false,
      errors: [
        'sections[0].measures[0].indicators[0].referenceDate: must be a date as YYYY-MM-DD or a fuzzy date { year, month?, day?, … }',
      ],
    });
  });

  it('requires a unit and a reference date', () => {
    const { unit: _unit, referenceDate: _date, ...rest } = indicator({ status: 'erhoben', value: 1 });
    expect(parseReportSubmission(reportWithMeasure({ indicators: [rest] }))).toEqual({
      ok: false,
      errors: [
        'sections[0].measures[0].indicators[0].unit: is required',
        'sections[0].measures[0].indicators[0].referenceDate: is required',
      ],
    });
  });
});

describe('section nesting', () => {
  const section = (level: number, subsections?: unknown[]) => ({
    heading: `Ebene ${level}`,
    fieldOfAction: 'SONSTIGES',
    level,
    intro: `Text der Ebene ${level}.`,
    measures: [],
    ...(subsections === undefined ? {} : { subsections }),
  });
  const reportWith = (sections: unknown[]) => ({ ...(readFixture('minimal.json') as object), sections });

  it('accepts three levels and finds the measures at every level', () => {
    const measure = { title: 'Maßnahme', fieldOfAction: 'ZUGANG', status: 'geplant', description: 'Beschreibung.' };
    const deepest = { ...section(3), measures: [measure] };
    const report = parsedReport(reportWith([section(1, [section(2, [deepest])])]));
    expect(measuresWithPaths(report).map(({ path }) => path.join('.'))).toEqual([
      'sections.0.subsections.0.subsections.0.measures.0',
    ]);
  });

  it('refuses a fourth level', () => {
    expect(errorsOf(reportWith([section(1, [section(2, [section(3, [section(4)])])])]))).toEqual([
      'sections[0].subsections[0].subsections[0].subsections: sections nest at most 3 levels deep',
    ]);
  });

  it('refuses a level that does not match the depth', () => {
    expect(errorsOf(reportWith([section(2)]))).toEqual(['sections[0].level: must be 1: sections at this depth are level 1']);
  });

  it('refuses a section with neither intro, measures nor subsections', () => {
    const { intro: _intro, ...empty } = section(1);
    expect(errorsOf(reportWith([empty]))).toEqual(['sections[0].measures: a section needs an intro, measures or subsections']);
  });
});

describe('schema modules', () => {
  it('import nothing but zod and each other, so they run in the workflow sandbox', () => {
    const modules = ['report', 'declaration', 'fuzzy-date', 'partner-input', 'fields-of-action', 'issues', 'reference-number'];
    for (const name of modules) {
      const source = readFileSync(new URL(`../../src/domain/${name}.ts`, import.meta.url), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
      expect(imports.filter((specifier) => specifier !== 'zod' && !specifier?.startsWith('./')), name).toEqual([]);
      expect(source, name).not.toMatch(/Date\.now|new Date\(\)|Math\.random|process\./);
    }
  });
});
