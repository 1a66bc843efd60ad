/**
 * Generators of invalid input for the property tests of every boundary (environment, CLI files,
 * Update arguments, HTTP bodies), and the one shape every refusal must have: "field: reason" lines.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

/** Generated inputs per boundary (issue 14: 10,000 each). */
export const runsPerBoundary = 10_000;

/** A value that is not an object: refused wherever an object is wanted. */
export const notAnObject: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
);

/** A value that is not a string: refused wherever text is wanted. */
export const notAString: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

/** Text a trimmed, non-empty field refuses. */
export const blank: fc.Arbitrary<string> = fc.constantFrom('', ' ', '\t', '\n', '   \n ');

/** A string that is not a calendar date as YYYY-MM-DD (impossible dates and other shapes alike). */
export const notADay: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }).filter((text) => !/^\d{4}-\d{2}-\d{2}$/.test(text)),
  fc.record({ y: fc.integer({ min: 1000, max: 9999 }), m: fc.integer({ min: 13, max: 99 }), d: fc.integer({ min: 1, max: 28 }) }).map(
    ({ y, m, d }) => `${y}-${m}-${String(d).padStart(2, '0')}`,
  ),
  fc.record({ y: fc.integer({ min: 1000, max: 9999 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 32, max: 99 }) }).map(
    ({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${d}`,
  ),
  fc.constantFrom('2027-02-29', '2027-02-30', '2026-04-31', '31.03.2027', '2027/03/31', '2027-3-31'),
);

/** A key no strict schema of ours knows. */
export const unknownKey: fc.Arbitrary<string> = fc.string({ minLength: 1, maxLength: 12 }).map((key) => `x_${key}`);

export type FieldBreaker = { field: string; value: fc.Arbitrary<unknown> };

/**
 * Invalid variants of a valid object: a field replaced by a value it refuses, a required field
 * left out, an unknown key added, or no object at all. `field` says which field the refusal must
 * name (undefined: the input as a whole).
 */
export function brokenObjects(
  valid: Record<string, unknown>,
  breakers: FieldBreaker[],
  required: string[],
): fc.Arbitrary<{ input: unknown; field: string | undefined }> {
  const replaced = fc.oneof(
    ...breakers.map(({ field, value }) => value.map((bad) => ({ input: { ...valid, [field]: bad }, field }))),
  );
  const missing = fc.constantFrom(...required).map((field) => {
    const { [field]: _dropped, ...rest } = valid;
    return { input: rest, field };
  });
  const extra = fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 1 })).map(([key, value]) => ({ input: { ...valid, [key]: value }, field: undefined }));
  const whole = notAnObject.map((input) => ({ input, field: undefined }));
  return fc.oneof({ weight: 6, arbitrary: replaced }, { weight: 2, arbitrary: missing }, { weight: 1, arbitrary: extra }, { weight: 1, arbitrary: whole });
}

/** "where: reason": one line, a place (a field path, `(input)`, a variable, a file) and a reason. */
const fieldLine = /^(?<where>[^\n]+?): (?<reason>\S[^\n]*)$/;

/** Every line is a "field: reason" line and none is a stack trace; `field`, if given, is named by one of them. */
export function expectFieldLines(lines: readonly string[], field?: string): void {
  expect(lines.length, 'at least one reason').toBeGreaterThan(0);
  for (const line of lines) {
    expect(line, 'a "field: reason" line').toMatch(fieldLine);
    expect(line).not.toMatch(/^\s+at |\n/);
  }
  if (field !== undefined) {
    const named = lines.some((line) => {
      const where = fieldLine.exec(line)?.groups?.where ?? '';
      return where === field || where.startsWith(`${field}.`) || where.startsWith(`${field}[`) || where.startsWith(`${field} (`) || where.endsWith(`.${field}`);
    });
    expect(named, `a line names ${field}: ${lines.join(' | ')}`).toBe(true);
  }
}
