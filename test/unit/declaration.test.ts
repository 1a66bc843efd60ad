import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDeclaration, type Declaration } from '../../src/domain/declaration';
import { earliestDay, latestDay } from '../../src/domain/fuzzy-date';

// `any`: tests break fixtures on purpose, in ways the declaration type would not allow.
const readFixture = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../fixtures/declarations/${name}`, import.meta.url), 'utf8'));

function parsedDeclaration(input: unknown): Declaration {
  const parsed = parseDeclaration(input);
  if (!parsed.ok) throw new Error(`expected a valid declaration:\n${parsed.errors.join('\n')}`);
  return parsed.declaration;
}

describe('accession declarations from the network’s 2018 compiled report', () => {
  it.each(['solingen.json', 'rhein-sieg.json'])('%s parses and comes back unchanged', (name) => {
    const input = readFixture(name);
    expect(parsedDeclaration(input)).toEqual(input);
  });

  it('Solingen commits to four measures for 2014', () => {
    const solingen = parsedDeclaration(readFixture('solingen.json'));
    expect(solingen.targetYear).toBe(2014);
    expect(solingen.measures.map((measure) => [measure.id, measure.fieldOfAction])).toEqual([
      ['SG-1', 'PERSONALGEWINNUNG'],
      ['SG-2', 'SENSIBILISIERUNG'],
      ['SG-3', 'PERSONALGEWINNUNG'],
      ['SG-4', 'FORTBILDUNG'],
    ]);
  });

  it('Rhein-Sieg groups seven measures and dates milestones fuzzily', () => {
    const rheinSieg = parsedDeclaration(readFixture('rhein-sieg.json'));
    expect(rheinSieg.measures.map((measure) => measure.groupLabel)).toEqual([
      ...Array(4).fill('Interne Maßnahmen der Kreisverwaltung'),
      ...Array(3).fill('Externe Maßnahmen der Kreisverwaltung'),
    ]);
    const spans = rheinSieg.measures.flatMap((measure) =>
      (measure.milestones ?? []).map(({ due }) => [measure.id, due.text, earliestDay(due), latestDay(due)]),
    );
    expect(spans).toEqual([
      ['RSK-1', 'ab 2018', 20180101, 20181231],
      ['RSK-2', 'ab 2018', 20180101, 20181231],
      ['RSK-4', 'bis Frühjahr 2018', 20180301, 20180531],
      ['RSK-5', 'im September 2018', 20180901, 20180930],
      ['RSK-6', 'ab Herbst 2018', 20180901, 20181130],
    ]);
  });
});

describe('invalid declarations', () => {
  const errorsOf = (input: unknown) => {
    const parsed = parseDeclaration(input);
    return parsed.ok ? [] : parsed.errors;
  };

  it('refuses a declaration without measures', () => {
    expect(errorsOf({ preamble: 'Wir machen mit.', measures: [] })).toEqual(['measures: must have at least 1 entry']);
  });

  it('refuses a measure id used twice, since reports refer to measures by id', () => {
    const solingen = readFixture('solingen.json');
    solingen.measures[2].id = 'SG-1';
    expect(errorsOf(solingen)).toEqual(['measures[2].id: repeats the id of measures[0]']);
  });

  it('refuses an id that is not a plain token', () => {
    const solingen = readFixture('solingen.json');
    solingen.measures[0].id = 'SG 1';
    expect(errorsOf(solingen)).toEqual([
      'measures[0].id: must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
    ]);
  });

  it('refuses a group label that names no group', () => {
    const rheinSieg = readFixture('rhein-sieg.json');
    rheinSieg.measures[4].groupLabel = 'Externe Maßnahmen';
    expect(errorsOf(rheinSieg)).toEqual(['measures[4].groupLabel: must name one of the groups']);
  });

  it('refuses a milestone without a due date and one with an impossible month', () => {
    const rheinSieg = readFixture('rhein-sieg.json');
    delete rheinSieg.measures[0].milestones[0].due;
    rheinSieg.measures[3].milestones[0].due = { year: 2018, month: 13 };
    expect(errorsOf(rheinSieg)).toEqual([
      'measures[0].milestones[0].due: is required',
      'measures[3].milestones[0].due.month: must be at most 12',
    ]);
  });

  it('refuses unknown fields and names them', () => {
    expect(errorsOf({ ...readFixture('solingen.json'), partnerNumber: 14 })).toEqual(['partnerNumber: unknown field']);
  });

  it('refuses a declaration over 128 KiB', () => {
    const solingen = readFixture('solingen.json');
    solingen.measures = Array.from({ length: 10 }, (_, index) => ({ ...solingen.measures[0], id: `SG-${index}`, description: 'x'.repeat(15_000) }));
    expect(errorsOf(solingen)).toEqual(['(input): is 149 KiB; must be at most 128 KiB']);
  });
});
