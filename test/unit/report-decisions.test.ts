import { describe, expect, it } from 'vitest';
import { extensionArgsSchema, revisionArgsSchema, waiverArgsSchema } from '../../src/domain/report-decisions';
import { parseArgs } from '../../workflows/refusals';

/** The refusal an Update validator throws, as its "field: reason" lines. */
function refusal(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    return (error as Error).message.split('\n');
  }
  throw new Error('expected a refusal');
}

describe('staff decisions on a report', () => {
  it('names every bad field of an extension with its reason, as a non-retryable failure', () => {
    expect(refusal(() => parseArgs(extensionArgsSchema, { by: ' ', dueDate: '30.04.2027', reason: '' }))).toEqual([
      'by: must not be empty',
      'dueDate: must be a real date as YYYY-MM-DD',
      'reason: must not be empty',
    ]);
    expect(() => parseArgs(extensionArgsSchema, {})).toThrow(expect.objectContaining({ type: 'InvalidInput', nonRetryable: true }));
  });

  it('trims what staff typed and refuses unknown fields', () => {
    expect(parseArgs(revisionArgsSchema, { by: ' Jana Becker ', comments: ' Bitte ergänzen. ' })).toEqual({
      by: 'Jana Becker',
      comments: 'Bitte ergänzen.',
    });
    expect(refusal(() => parseArgs(waiverArgsSchema, { by: 'Jana Becker', reason: 'Auflösung', extra: 1 }))).toEqual([
      expect.stringMatching(/extra/),
    ]);
  });
});
