import { describe, expect, it } from 'vitest';
import { parseReportSubmission } from '../../src/domain/report';
import { buildSubmission, formErrors, shapeOf, translateReason } from '../../src/web/report-form';

const filled = {
  'reportingPeriod.text': '2026/27',
  'reportingPeriod.from.year': '2026',
  'reportingPeriod.to.year': ' 2027 ',
  'author.name': 'Petra Schmidt',
  'author.role': 'Integrationsbeauftragte',
  narrative: 'Ein Jahr.',
  'context.text': '',
  'sections[0].heading': 'Fortbildung',
  'sections[0].fieldOfAction': 'FORTBILDUNG',
  'sections[0].measures[0].title': '',
  'sections[0].measures[0].description': '',
  'sections[0].measures[1].title': 'Seminar',
  'sections[0].measures[1].fieldOfAction': 'FORTBILDUNG',
  'sections[0].measures[1].status': 'laufend',
  'sections[0].measures[1].description': 'Zweitägig.',
  'sections[1].heading': '',
  'sections[2].heading': 'Zugang',
  'sections[2].fieldOfAction': 'ZUGANG',
  'sections[2].intro': 'Mehrsprachige Informationen.',
};

describe('the report form', () => {
  it('builds a valid submission: numbers as numbers, empty fields and slots left out, not invented', () => {
    const built = buildSubmission(filled);
    expect(built.body).toEqual({
      reportingPeriod: { text: '2026/27', from: { year: 2026 }, to: { year: 2027 } },
      author: { name: 'Petra Schmidt', role: 'Integrationsbeauftragte' },
      narrative: 'Ein Jahr.',
      sections: [
        { heading: 'Fortbildung', fieldOfAction: 'FORTBILDUNG', level: 1, measures: [{ title: 'Seminar', fieldOfAction: 'FORTBILDUNG', status: 'laufend', description: 'Zweitägig.' }] },
        { heading: 'Zugang', fieldOfAction: 'ZUGANG', intro: 'Mehrsprachige Informationen.', level: 1, measures: [] },
      ],
    });
    expect(parseReportSubmission(built.body).ok).toBe(true);
    expect(built.sectionSlots).toEqual([0, 2]);
    expect(built.measureSlots).toEqual([[1], []]);
  });

  it('maps the validator’s lines back to the fields the person sees, in German', () => {
    const built = buildSubmission({ ...filled, 'sections[2].fieldOfAction': '', 'sections[0].measures[1].description': ' ', 'reportingPeriod.to.year': 'zwei' });
    const parsed = parseReportSubmission(built.body);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(formErrors(parsed.errors, built, 'de')).toEqual([
      { field: 'reportingPeriod.to.year', message: 'Bitte eine Zahl eingeben.' },
      { field: 'sections[0].measures[1].description', message: 'Bitte füllen Sie dieses Feld aus.' },
      { field: 'sections[2].fieldOfAction', message: 'Bitte füllen Sie dieses Feld aus.' },
    ]);
    expect(formErrors(['author.role: must be at most 200 characters'], built, 'en')).toEqual([
      { field: 'author.role', message: 'Must be at most 200 characters.' },
    ]);
  });

  it('shows at least one section and measure, and as many as were typed', () => {
    expect(shapeOf({})).toEqual({ measures: [1] });
    expect(shapeOf(filled)).toEqual({ measures: [2, 1, 1] });
  });

  it('keeps unknown reasons as they came rather than guessing', () => {
    expect(translateReason('repeats the ref of attachments[0]', 'de')).toBe('repeats the ref of attachments[0]');
    expect(translateReason('must be at most 300 characters', 'de')).toBe('Bitte höchstens 300 Zeichen eingeben.');
  });
});
