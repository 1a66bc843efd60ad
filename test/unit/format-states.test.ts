import { describe, expect, it } from 'vitest';
import { archiveFormatOfFile, archiveState, stateOf, storedWithArchivePending, withArchiveFormats } from '../../src/documents/format-states';

describe('format states of a compiled version', () => {
  it('stores what was written as ready and PDF and DOCX as pending since the same moment', () => {
    const states = storedWithArchivePending(['html', 'md', 'csv'], new Date('2027-05-03T04:00:00Z'));
    expect(states).toEqual({
      html: { state: 'ready', at: '2027-05-03T04:00:00.000Z' },
      md: { state: 'ready', at: '2027-05-03T04:00:00.000Z' },
      csv: { state: 'ready', at: '2027-05-03T04:00:00.000Z' },
      pdf: { state: 'pending', since: '2027-05-03T04:00:00.000Z' },
      docx: { state: 'pending', since: '2027-05-03T04:00:00.000Z' },
    });
    expect(archiveState(states)).toEqual({ state: 'pending', since: '2027-05-03T04:00:00.000Z' });
  });

  it('reads a version stored before formats had states as ready, and a failed format over a pending one', () => {
    expect(stateOf({}, 'pdf')).toEqual({ state: 'ready' });
    expect(archiveState({})).toEqual({ state: 'ready' });
    const failed = { state: 'failed' as const, reason: 'pdf volume 2: out of memory', at: '2027-05-03T04:10:00.000Z' };
    expect(archiveState({ pdf: { state: 'pending', since: 'x' }, docx: failed })).toEqual(failed);
    expect(withArchiveFormats({ html: { state: 'ready' } }, failed)).toEqual({ html: { state: 'ready' }, pdf: failed, docx: failed });
  });

  it('knows a volume file of an archive format by its extension', () => {
    expect(archiveFormatOfFile('jahresbericht-2027-band-02.pdf')).toBe('pdf');
    expect(archiveFormatOfFile('jahresbericht-2027.DOCX')).toBe('docx');
    expect(archiveFormatOfFile('jahresbericht-2027.html')).toBeUndefined();
    expect(archiveFormatOfFile('pdf')).toBeUndefined();
  });
});
