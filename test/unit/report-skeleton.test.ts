import { describe, expect, it } from 'vitest';
import { parseReportSubmission } from '../../src/domain/report';
import { milestoneLine, reportSkeleton, type AnsweredMilestone, type MeasureWithAnswers } from '../../src/domain/report-skeleton';
import { buildSubmission, shapeOf } from '../../src/web/report-form';
import { skeletonFields } from '../../src/web/report-skeleton-form';

const milestone = (over: Partial<AnsweredMilestone>): AnsweredMilestone => ({
  text: 'Konzept liegt vor',
  dueDate: '2018-05-31',
  dueText: 'Frühjahr 2018',
  status: 'open',
  reachedOn: null,
  revisedDueDate: null,
  ...over,
});

const declared: MeasureWithAnswers[] = [
  {
    code: 'RSK-1',
    title: 'Interkulturelle Schulungen für Führungskräfte',
    fieldOfAction: 'FORTBILDUNG',
    groupLabel: null,
    milestones: [
      milestone({ text: 'Schulungskonzept', status: 'reached', reachedOn: '2027-03-12' }),
      milestone({ text: 'Erste Schulung', status: 'delayed', revisedDueDate: '2027-09-30' }),
    ],
  },
  { code: null, title: 'Mehrsprachige Stellenanzeigen', fieldOfAction: 'PERSONALGEWINNUNG', groupLabel: null, milestones: [] },
  { code: 'RSK-3', title: 'Leitbild', fieldOfAction: 'STRATEGIE', groupLabel: null, milestones: [milestone({})] },
];

describe('milestoneLine', () => {
  it('words each answer as the lifecycle recorded it', () => {
    expect(milestoneLine(milestone({ status: 'reached', reachedOn: '2027-03-12' }))).toBe('Meilenstein „Konzept liegt vor“: erreicht am 12.03.2027');
    expect(milestoneLine(milestone({ status: 'delayed', revisedDueDate: '2027-10-01' }))).toBe('Meilenstein „Konzept liegt vor“: verschoben auf 01.10.2027');
    expect(milestoneLine(milestone({}))).toBe('Meilenstein „Konzept liegt vor“: offen (geplant bis Frühjahr 2018)');
  });

  it('says only what is known: no date it was not given, the due date when the partner gave no words for it', () => {
    expect(milestoneLine(milestone({ status: 'reached' }))).toBe('Meilenstein „Konzept liegt vor“: erreicht');
    expect(milestoneLine(milestone({ status: 'delayed' }))).toBe('Meilenstein „Konzept liegt vor“: verschoben');
    expect(milestoneLine(milestone({ dueText: null }))).toBe('Meilenstein „Konzept liegt vor“: offen (geplant bis 31.05.2018)');
  });
});

describe('reportSkeleton', () => {
  it('keeps the declared measures in order under one section, with refs and milestone answers', () => {
    const skeleton = reportSkeleton(declared);
    expect(skeleton?.sections).toHaveLength(1);
    const [section] = skeleton!.sections;
    expect(section!.heading).toBe('Umsetzung der Beitrittsmodule');
    // Three fields of action: the section's is left to the ministry.
    expect(section!.fieldOfAction).toBeUndefined();
    expect(section!.measures).toEqual([
      {
        title: 'Interkulturelle Schulungen für Führungskräfte',
        declaredMeasureRef: 'RSK-1',
        fieldOfAction: 'FORTBILDUNG',
        statusText: 'Meilenstein „Schulungskonzept“: erreicht am 12.03.2027; Meilenstein „Erste Schulung“: verschoben auf 30.09.2027',
      },
      { title: 'Mehrsprachige Stellenanzeigen', fieldOfAction: 'PERSONALGEWINNUNG' },
      { title: 'Leitbild', declaredMeasureRef: 'RSK-3', fieldOfAction: 'STRATEGIE', statusText: 'Meilenstein „Konzept liegt vor“: offen (geplant bis Frühjahr 2018)' },
    ]);
  });

  it("uses the declaration's own headings when every measure has one, in the order they first appear", () => {
    const grouped = declared.map((m, i) => ({ ...m, groupLabel: i === 1 ? 'Externe Maßnahmen' : 'Interne Maßnahmen der Kreisverwaltung' }));
    const skeleton = reportSkeleton(grouped)!;
    expect(skeleton.sections.map((s) => [s.heading, s.measures.map((m) => m.title)])).toEqual([
      ['Interne Maßnahmen der Kreisverwaltung', ['Interkulturelle Schulungen für Führungskräfte', 'Leitbild']],
      ['Externe Maßnahmen', ['Mehrsprachige Stellenanzeigen']],
    ]);
    expect(skeleton.sections[1]!.fieldOfAction).toBe('PERSONALGEWINNUNG');
  });

  it('has nothing to offer for a declaration without measures', () => {
    expect(reportSkeleton([])).toBeUndefined();
  });
});

describe('skeletonFields', () => {
  const fields = skeletonFields(reportSkeleton(declared)!);

  it('fills the form with measure slots and leaves description and status for the partner', () => {
    expect(shapeOf(fields).sections).toEqual([[{ kind: 'measure', figures: 0 }, { kind: 'measure', figures: 0 }, { kind: 'measure', figures: 0 }]]);
    expect(fields['sections[0].blocks[0].title']).toBe('Interkulturelle Schulungen für Führungskräfte');
    expect(fields['sections[0].blocks[0].declaredMeasureRef']).toBe('RSK-1');
    expect(Object.keys(fields).filter((name) => /\.(description|status)$/.test(name))).toEqual([]);
    expect(fields['author.stated']).toBeUndefined();
    expect(fields['reportingPeriod.stated']).toBeUndefined();
  });

  it('submits as not stated where the partner adds nothing, and refuses the missing descriptions', () => {
    const built = buildSubmission({ ...fields, 'reportingPeriod.stated': 'nein', 'author.stated': 'nein' });
    expect(built.problems).toEqual([]);
    const measure = (built.body['sections'] as { blocks: Record<string, unknown>[] }[])[0]!.blocks[0]!;
    expect(measure).toMatchObject({ kind: 'measure', declaredMeasureRef: 'RSK-1', status: { stated: false } });
    expect(measure['description']).toBeUndefined();
    const parsed = parseReportSubmission(built.body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.some((line) => line.startsWith('sections[0].blocks[0].description:'))).toBe(true);
  });
});
