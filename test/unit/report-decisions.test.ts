import { describe, expect, it } from 'vitest';
import { extensionArgsSchema, parseDecision, revisionArgsSchema, waiverArgsSchema } from '../../src/domain/report-decisions';

describe('staff decisions on a report', () => {
  it('names every bad field of an extension with its reason', () => {
    expect(parseDecision(extensionArgsSchema, { by: ' ', dueDate: '30.04.2027', reason: '' })).toEqual({
      ok: false,
      errors: ['by: must not be empty', 'dueDate: must be a real date as YYYY-MM-DD', 'reason: must not be empty'],
    });
  });

  it('trims what staff typed and refuses unknown fields', () => {
    expect(parseDecision(revisionArgsSchema, { by: ' Jana Becker ', comments: ' Bitte ergänzen. ' })).toEqual({
      ok: true,
      value: { by: 'Jana Becker', comments: 'Bitte ergänzen.' },
    });
    expect(parseDecision(waiverArgsSchema, { by: 'Jana Becker', reason: 'Auflösung', extra: 1 })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/extra/)],
    });
  });
});
