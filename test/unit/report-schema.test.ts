import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blocksWithPaths, measuresWithPaths, parseReportSubmission, sectionsWithPaths, type ReportSubmission } from '../../src/domain/report';
import { isNotStated } from '../../src/domain/report-values';

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

describe('reports from the network’s 2018 compiled report, entered as submissions', () => {
  const valid = fixtureNames.filter((name) => !name.startsWith('invalid-'));

  it.each(valid)('%s parses and comes back unchanged, wording verbatim', (name) => {
    const input = readFixture(name);
    expect(parsedReport(input)).toEqual(input);
  });

  it.each(valid)('%s names no placeholder author or period: what the text does not state is not stated', (name) => {
    const report = parsedReport(readFixture(name));
    const author = JSON.stringify(report.author);
    expect(author).not.toMatch(/Mustermann|N\.N\./);
    if (!isNotStated(report.reportingPeriod)) expect(report.reportingPeriod.text).toMatch(/\d{4}/);
  });

  it('keeps only the reporting periods the partners printed (Lippe 2017/18, Duisburg in 2018), the others not stated', () => {
    const periods = Object.fromEntries(
      valid.filter((name) => /^\d/.test(name)).map((name) => {
        const { reportingPeriod } = parsedReport(readFixture(name));
        return [name.slice(0, 2), isNotStated(reportingPeriod) ? 'not stated' : reportingPeriod.text];
      }),
    );
    expect(periods).toEqual({
      '02': '2017/18', '04': 'in 2018', '07': 'not stated', '08': 'not stated', '10': 'not stated', '12': 'not stated',
      '16': 'not stated', '17': 'not stated', '22': 'not stated', '27': 'not stated',
    });
  });

  it('keeps each LVR "Stand der Umsetzung" as a measure reporting on its agreed measure', () => {
    const report = parsedReport(readFixture('16-landschaftsverband-rheinland.json'));
    const measures = measuresWithPaths(report).map(({ measure }) => measure);
    expect(measures.map((measure) => measure.declaredMeasureRef)).toEqual([
      'LVR-1', 'LVR-2a', 'LVR-2b', 'LVR-3a', 'LVR-3b', 'LVR-4a', 'LVR-4b', 'LVR-4c',
    ]);
    expect(measures.find((measure) => measure.declaredMeasureRef === 'LVR-4a')?.description).toMatch(/^Der Elterninformationsflyer .* übersetzt\.$/);
  });

  it('keeps the text between measures in the order the partner wrote it (Polizeipräsidium Gelsenkirchen)', () => {
    const report = parsedReport(readFixture('10-polizeipraesidium-gelsenkirchen.json'));
    expect(report.sections).toEqual([]);
    expect(report.blocks.map((block) => block.kind)).toEqual(['text', 'measure', 'text', 'measure', 'text']);
    const last = report.blocks.at(-1);
    expect(last?.kind === 'text' && last.figures?.[0]).toMatchObject({ status: 'nachgereicht_bis', dueAt: { year: 2019, month: 3 } });
  });

  it('keeps funders apart from cooperation partners (Duisburg, Kommunales Konfliktmanagement)', () => {
    const report = parsedReport(readFixture('04-stadt-duisburg.json'));
    const project = measuresWithPaths(report).find(({ measure }) => measure.funders !== undefined)?.measure;
    expect(project?.title).toBe('Kommunales Konfliktmanagement fördern – Teilnahme und Integration konstruktiv gestalten');
    expect(project?.funders).toEqual([
      'Ministerium für Arbeit, Integration und Soziales (MAIS)',
      'Stiftung Mercator',
      'Landesweite Koordinierungsstelle Kommunale Integrationszentren (LaKI)',
    ]);
    expect(project?.cooperationPartners).toEqual(['Akademie der Ruhr-Universität Bochum']);
  });

  it('points cross-references at sections and keeps charts whose picture the text lacks (Städtekooperation)', () => {
    const report = parsedReport(readFixture('12-staedtekooperation-integration-interkommunal.json'));
    const ids = sectionsWithPaths(report).flatMap(({ section }) => (section.id === undefined ? [] : [section.id]));
    expect(ids).toEqual(['analyse', 'forum-2019']);
    const charts = blocksWithPaths(report).filter(({ block }) => block.kind === 'chart');
    expect(charts.map(({ section }) => section?.heading)).toEqual(['Ergebnisse des Regie-Workshops vom 28.06.2017', 'Auswertung der Fragen A bis C:']);
    expect(charts.map(({ block }) => block.kind === 'chart' && [block.caption, block.source, block.data])).toEqual([
      [{ stated: false }, { stated: false }, undefined],
      [{ stated: false }, { stated: false }, undefined],
    ]);
  });

  it("files Münster's numbered Handlungsfelder verbatim, their classification left to staff", () => {
    const report = parsedReport(readFixture('22-bezirksregierung-muenster.json'));
    expect(report.sections.map((section) => [section.heading, section.fieldOfAction])).toEqual([
      ['Handlungsfeld 1: Strategische Ziele und Behördenentwicklung', { stated: false }],
      ['Handlungsfeld 2: Personalgewinnung, Personalentwicklung', { stated: false }],
      ['Handlungsfeld 3: Fort- und Weiterbildung', { stated: false }],
      ['Handlungsfeld 4: Kooperationen und Netzwerke', { stated: false }],
    ]);
  });
});

describe('invalid submissions', () => {
  const expected: Record<string, string[]> = {
    'invalid-attachment-ref.json': ['sections[0].blocks[0].evidence[0].ref: must be the ref of one of the attachments'],
    'invalid-blank-description.json': ['sections[0].blocks[0].description: must not be blank'],
    'invalid-cross-reference.json': ['sections[0].blocks[0].references[0].target: must be the id of a section, table or chart of this report'],
    'invalid-deferred-figure-without-due-date.json': ['sections[0].blocks[0].figures[0].dueAt: is required when status is nachgereicht_bis'],
    'invalid-dropped-figure-without-reason.json': ['sections[0].blocks[0].figures[0].reason: is required when status is nicht_mehr_erhoben'],
    'invalid-field-of-action.json': [
      'sections[0].fieldOfAction: must be one of STRATEGIE, PERSONALGEWINNUNG, FORTBILDUNG, SENSIBILISIERUNG, ZUGANG, OEFFENTLICHKEIT, KOOPERATION, FACHAUFGABE, SONSTIGES',
    ],
    'invalid-footnote-missing.json': ['footnotes: must include the footnote [^1] the text refers to'],
    'invalid-fuzzy-date.json': ['sections[0].blocks[0].figures[0].referenceDate.day: must be at most 28 in that month'],
    'invalid-link.json': ['sections[0].blocks[0].links[0]: must be a web address: http(s)://… or as printed without a scheme (www.example.de/…)'],
    'invalid-measure-status.json': [
      'sections[0].blocks[0].status: must be one of geplant, begonnen, laufend, verstetigt, abgeschlossen, ausgesetzt, nicht_durchgefuehrt',
    ],
    'invalid-measured-figure-without-value.json': ['sections[0].blocks[0].figures[0].value: is required when status is erhoben'],
    'invalid-missing-reporting-period.json': ['reportingPeriod: is required'],
    'invalid-no-sections.json': ['sections: a report needs sections or blocks before them'],
    'invalid-period-order.json': ['reportingPeriod.to: must not be before from'],
    'invalid-placeholder-author.json': ['author.name: looks like a placeholder; if it was not stated, give { "stated": false }'],
    'invalid-placeholder-title.json': ['sections[0].blocks[0].title: looks like a placeholder; if it was not stated, give { "stated": false }'],
    'invalid-printed-number-mismatch.json': ['sections[0].blocks[0].figures[0].value.number: must be 1500, the number printed in "1.500"'],
    'invalid-section-level.json': ['sections[0].subsections[0].level: must be 2: sections at this depth are level 2'],
    'invalid-section-too-deep.json': ['sections[0].subsections[0].subsections[0].subsections: sections nest at most 3 levels deep'],
    'invalid-table-row-width.json': ['sections[0].blocks[1].data.rows[1]: must have 3 cells, one per column'],
    'invalid-unknown-field.json': ['sections[0].blocks[0].staus: unknown field'],
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

  it('states nothing but one measure’s description: every other value is explicitly not stated', () => {
    expect(JSON.stringify(minimal).match(/"stated":false/g)).toHaveLength(6);
  });

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

describe('section nesting', () => {
  const section = (level: number, subsections?: unknown[]) => ({
    heading: `Ebene ${level}`,
    fieldOfAction: { stated: false },
    level,
    blocks: [{ kind: 'text', text: `Text der Ebene ${level}.` }],
    ...(subsections === undefined ? {} : { subsections }),
  });
  const reportWith = (sections: unknown[]) => ({ ...(readFixture('minimal.json') as object), sections });
  const measure = { kind: 'measure', title: 'Maßnahme', fieldOfAction: 'ZUGANG', status: 'geplant', description: 'Beschreibung.' };

  it('accepts three levels and finds the blocks at every level in reading order', () => {
    const deepest = { ...section(3), blocks: [measure] };
    const report = parsedReport(reportWith([section(1, [section(2, [deepest])])]));
    expect(blocksWithPaths(report).map(({ path }) => path.join('.'))).toEqual([
      'sections.0.blocks.0',
      'sections.0.subsections.0.blocks.0',
      'sections.0.subsections.0.subsections.0.blocks.0',
    ]);
    expect(measuresWithPaths(report).map(({ path }) => path.join('.'))).toEqual(['sections.0.subsections.0.subsections.0.blocks.0']);
  });

  it('refuses a fourth level', () => {
    expect(errorsOf(reportWith([section(1, [section(2, [section(3, [section(4)])])])]))).toEqual([
      'sections[0].subsections[0].subsections[0].subsections: sections nest at most 3 levels deep',
    ]);
  });

  it('refuses a level that does not match the depth', () => {
    expect(errorsOf(reportWith([section(2)]))).toEqual(['sections[0].level: must be 1: sections at this depth are level 1']);
  });

  it('refuses a section with neither blocks nor subsections', () => {
    expect(errorsOf(reportWith([{ ...section(1), blocks: [] }]))).toEqual(['sections[0].blocks: a section needs blocks or subsections']);
  });

  it('takes a report without headings as blocks alone (Westdeutscher Handwerkskammertag)', () => {
    const report = parsedReport(readFixture('27-westdeutscher-handwerkskammertag.json'));
    expect(report.sections).toEqual([]);
    const [only, ...rest] = report.blocks;
    expect([only?.kind, rest]).toEqual(['text', []]);
    expect(only?.kind === 'text' && only.text.split('\n\n')).toHaveLength(3);
  });

  it('refuses an unknown kind of block', () => {
    expect(errorsOf(reportWith([{ ...section(1), blocks: [{ kind: 'box', text: 'Kasten' }] }]))).toEqual([
      'sections[0].blocks[0].kind: must be a block of kind text, measure, table or chart',
    ]);
  });
});

describe('schema modules', () => {
  it('import nothing but zod and each other, so they run in the workflow sandbox', () => {
    const modules = [
      'report', 'report-values', 'report-figure', 'report-figures', 'declaration', 'fuzzy-date', 'partner-input',
      'fields-of-action', 'issues', 'reference-number',
    ];
    for (const name of modules) {
      const source = readFileSync(new URL(`../../src/domain/${name}.ts`, import.meta.url), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
      expect(imports.filter((specifier) => specifier !== 'zod' && !specifier?.startsWith('./')), name).toEqual([]);
      expect(source, name).not.toMatch(/Date\.now|new Date\(\)|Math\.random|process\./);
    }
  });
});
