import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReportSubmission, type ReportSubmission } from '../../src/domain/report';
import { classifyInReport, openClassifications } from '../../src/domain/report-classification';
import { classifiedValue } from '../../src/domain/report-values';

const lippe = JSON.parse(readFileSync('test/fixtures/reports/02-kreis-lippe.json', 'utf8')) as Record<string, unknown>;
const parsed = (content: unknown): ReportSubmission => {
  const result = parseReportSubmission(content);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.report;
};

describe('classification by staff', () => {
  it('lists what the partner left open, in reading order, with the section and measure it belongs to', () => {
    const open = openClassifications(parsed(lippe));
    expect(open.slice(0, 3)).toEqual([
      { path: 'sections[0].fieldOfAction', kind: 'fieldOfAction', section: 'Steigerung der interkulturellen Kompetenz der Beschäftigten', item: undefined, assigned: undefined },
      { path: 'sections[0].blocks[0].fieldOfAction', kind: 'fieldOfAction', section: 'Steigerung der interkulturellen Kompetenz der Beschäftigten', item: 'Schlüsselkompetenzen in der Migrationsgesellschaft', assigned: undefined },
      { path: 'sections[0].blocks[0].status', kind: 'status', section: 'Steigerung der interkulturellen Kompetenz der Beschäftigten', item: 'Schlüsselkompetenzen in der Migrationsgesellschaft', assigned: undefined },
    ]);
    expect(new Set(open.map((c) => c.path)).size).toBe(open.length);
  });

  it('assigns a value at one place, marked as staff’s, and leaves the rest of the stored report as it was', () => {
    const result = classifyInReport(lippe, 'sections[0].blocks[0].status', 'laufend', 'Anna Amt', '2027-04-02');
    if (!result.ok) throw new Error(result.errors.join());
    expect(result.assigned).toEqual({ value: 'laufend', by: 'Anna Amt', at: '2027-04-02' });
    const after = parsed(result.content);
    const measure = after.sections[0]?.blocks[0];
    expect(measure?.kind === 'measure' && classifiedValue(measure.status)).toEqual({ value: 'laufend', source: 'staff', by: 'Anna Amt', at: '2027-04-02' });
    // Everything but that one field is as stored, and the stored content itself was not touched.
    const withoutStatus = (content: unknown) => {
      const copy = structuredClone(content) as { sections: { blocks: { status?: unknown }[] }[] };
      delete copy.sections[0]!.blocks[0]!.status;
      return copy;
    };
    expect(withoutStatus(result.content)).toEqual(withoutStatus(lippe));
    expect(parsed(lippe).sections[0]?.blocks[0]).toMatchObject({ status: { stated: false } });
    // Assigned once, it is listed with its assignment and may be assigned again.
    expect(openClassifications(after).find((c) => c.path === 'sections[0].blocks[0].status')?.assigned).toEqual({ value: 'laufend', by: 'Anna Amt', at: '2027-04-02' });
    const again = classifyInReport(result.content, 'sections[0].blocks[0].status', 'abgeschlossen', 'Bernd Beck', '2027-04-03');
    expect(again.ok && again.assigned?.by).toBe('Bernd Beck');
    expect(again.ok && again.was).toEqual({ value: 'laufend', by: 'Anna Amt', at: '2027-04-02' });
  });

  it('withdraws staff’s classification: the field reads “not stated” again, and withdrawing nothing changes nothing', () => {
    const assigned = classifyInReport(lippe, 'sections[0].blocks[0].status', 'laufend', 'Anna Amt', '2027-04-02');
    if (!assigned.ok) throw new Error(assigned.errors.join());
    const withdrawn = classifyInReport(assigned.content, 'sections[0].blocks[0].status', null, 'Bernd Beck', '2027-04-03');
    if (!withdrawn.ok) throw new Error(withdrawn.errors.join());
    expect(withdrawn).toMatchObject({ assigned: null, was: { value: 'laufend', by: 'Anna Amt' } });
    expect(withdrawn.content).toEqual(lippe);
    expect(openClassifications(parsed(withdrawn.content)).find((c) => c.path === 'sections[0].blocks[0].status')?.assigned).toBeUndefined();
    const nothing = classifyInReport(lippe, 'sections[0].blocks[0].status', null, 'Bernd Beck', '2027-04-03');
    expect(nothing).toMatchObject({ ok: true, assigned: null, was: null, content: lippe });
    // What the partner stated cannot be withdrawn either.
    const stated = structuredClone(lippe) as { sections: { fieldOfAction: unknown }[] };
    stated.sections[0]!.fieldOfAction = 'FORTBILDUNG';
    expect(classifyInReport(stated, 'sections[0].fieldOfAction', null, 'Anna Amt', '2027-04-02')).toEqual({
      ok: false,
      status: 409,
      errors: ['path: was stated by the partner; staff do not overwrite it'],
    });
  });

  it('refuses what the partner stated, a path that names no classification, and a value of the wrong kind, each with its field', () => {
    const stated = structuredClone(lippe) as { sections: { fieldOfAction: unknown }[] };
    stated.sections[0]!.fieldOfAction = 'FORTBILDUNG';
    expect(classifyInReport(stated, 'sections[0].fieldOfAction', 'ZUGANG', 'Anna Amt', '2027-04-02')).toEqual({
      ok: false,
      status: 409,
      errors: ['path: was stated by the partner; staff do not overwrite it'],
    });
    expect(classifyInReport(lippe, 'sections[0].heading', 'ZUGANG', 'Anna Amt', '2027-04-02')).toEqual({
      ok: false,
      status: 422,
      errors: ['path: is not a field of action, measure status or figure category of this report'],
    });
    const wrongKind = classifyInReport(lippe, 'sections[0].blocks[0].status', 'FORTBILDUNG', 'Anna Amt', '2027-04-02');
    expect(wrongKind.ok === false && wrongKind.errors[0]).toMatch(/^value: must be one of geplant, /);
    expect(classifyInReport({ narrative: 'alt' }, 'sections[0].fieldOfAction', 'ZUGANG', 'Anna Amt', '2027-04-02')).toEqual({
      ok: false,
      status: 409,
      errors: ['version: was stored in an earlier shape and cannot be classified'],
    });
  });
});
