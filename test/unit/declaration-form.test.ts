/** The declaration form's fields ↔ the declaration: what a partner types becomes what the schema reads. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDeclaration } from '../../src/domain/declaration';
import { buildDeclaration, declarationErrors, fieldsOfDeclaration, shapeOf, withAddedSlot } from '../../src/web/declaration-form';

const solingen = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'declarations', 'solingen.json'), 'utf8')) as unknown;

describe('the declaration form', () => {
  it('gives back a stored declaration unchanged after a round through its fields', () => {
    const parsed = parseDeclaration(solingen);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const built = buildDeclaration(fieldsOfDeclaration(parsed.declaration), 'de');
    expect(built.problems).toEqual([]);
    expect(built.body).toEqual(parsed.declaration);
  });

  it('reads the partner’s date words, keeps them as typed, and leaves blank optional fields out as not stated', () => {
    const built = buildDeclaration(
      {
        title: '  ',
        'measures[0].id': 'M1',
        'measures[0].title': 'Schulungen',
        'measures[0].fieldOfAction': 'FORTBILDUNG',
        'measures[0].description': 'Für alle.',
        'measures[0].responsibleUnit': '',
        'measures[0].milestones[0].text': 'Alle geschult',
        'measures[0].milestones[0].due': 'bis Frühjahr 2028',
      },
      'de',
    );
    expect(built.problems).toEqual([]);
    expect(built.body).toEqual({
      measures: [
        {
          id: 'M1',
          title: 'Schulungen',
          fieldOfAction: 'FORTBILDUNG',
          description: 'Für alle.',
          milestones: [{ text: 'Alle geschult', due: { year: 2028, part: 'fruehjahr', bound: 'bis', text: 'bis Frühjahr 2028' } }],
        },
      ],
    });
  });

  it('drops unused slots and puts the schema’s messages back on the fields they came from, in German', () => {
    const fields = {
      'measures[0].id': 'M1',
      'measures[0].title': 'Schulungen',
      'measures[0].fieldOfAction': 'FORTBILDUNG',
      'measures[0].description': 'Für alle.',
      'measures[1].id': '',
      'measures[2].id': 'M 3',
      'measures[2].title': 'Werbung',
      'measures[2].fieldOfAction': 'PERSONALGEWINNUNG',
      'measures[2].description': '',
      'measures[2].milestones[1].text': 'Kampagne gestartet',
      'measures[2].milestones[1].due': 'irgendwann',
    };
    const built = buildDeclaration(fields, 'de');
    expect((built.body['measures'] as unknown[]).length).toBe(2);
    expect(built.problems).toEqual([{ field: 'measures[2].milestones[1].due', message: expect.stringContaining('Dieses Datum kann nicht gelesen werden') }]);
    const parsed = parseDeclaration(built.body);
    expect(parsed.ok).toBe(false);
    const errors = parsed.ok ? [] : declarationErrors(parsed.errors, built, shapeOf(fields), 'de');
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'measures[2].description', message: 'Bitte füllen Sie dieses Feld aus.' },
        { field: 'measures[2].id', message: expect.any(String) },
      ]),
    );
  });

  it('adds a measure or a milestone slot on request', () => {
    const fields = { 'measures[0].id': 'M1', 'measures[0].milestones[0].text': 'x' };
    expect(withAddedSlot(fields, 'add-measure')).toEqual({ milestones: [1, 1] });
    expect(withAddedSlot(fields, 'add-milestone-0')).toEqual({ milestones: [2] });
    expect(withAddedSlot(fields, 'add-milestone-7')).toEqual({ milestones: [1] });
  });
});
