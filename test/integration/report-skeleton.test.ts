import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveDraft } from '../../src/db/queries/drafts';
import { storeAcceptedDeclaration } from '../../src/db/queries/accession';
import { accessions, declarationMeasures, declarationMilestones, organisations } from '../../src/db/schema';
import { buildSubmission } from '../../src/web/report-form';
import { openingFields } from '../../src/web/report-skeleton-form';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('the annual report form opened without a draft', () => {
  let t: TestDatabase;
  let partner: number;
  let newcomer: number;

  beforeAll(async () => {
    t = await createTestDatabase();
    const [lippe, other] = await t.db
      .insert(organisations)
      .values([
        { number: 41, name: 'Kreis Lippe', kind: 'district', status: 'active', accessionDate: '2026-03-01' },
        { number: 42, name: 'Stadt Detmold', kind: 'municipality', status: 'active', accessionDate: '2026-04-01' },
      ])
      .returning();
    partner = lippe!.id;
    newcomer = other!.id;
    const [accession] = await t.db.insert(accessions).values({ organisationId: partner, status: 'completed', phase: 'completed' }).returning();
    await storeAcceptedDeclaration(
      t.db,
      accession!.id,
      {
        measures: [
          {
            id: 'LIP-1',
            title: 'Interkulturelle Schulungen für Führungskräfte',
            fieldOfAction: 'FORTBILDUNG',
            description: 'Alle Führungskräfte werden geschult.',
            milestones: [
              { text: 'Schulungskonzept', due: { year: 2027, part: 'fruehjahr', text: 'Frühjahr 2027' } },
              { text: 'Erste Schulung', due: { year: 2027, month: 6 } },
            ],
          },
          { id: 'LIP-2', title: 'Leitbild Vielfalt', fieldOfAction: 'STRATEGIE', description: 'Ein Leitbild wird erarbeitet.', milestones: [{ text: 'Entwurf im Kreistag', due: { year: 2027, text: 'Ende 2027' } }] },
        ],
      },
      new Date('2026-02-10T10:00:00Z'),
    );
    // The lifecycle's answers: the first milestone reached, the second delayed, the third still open.
    const rows = await t.db
      .select({ id: declarationMilestones.id, text: declarationMilestones.description })
      .from(declarationMilestones)
      .innerJoin(declarationMeasures, eq(declarationMeasures.id, declarationMilestones.measureId));
    const idOf = (text: string) => rows.find((r) => r.text === text)!.id;
    const answeredAt = new Date('2027-07-01T08:00:00Z');
    await t.db.update(declarationMilestones).set({ status: 'reached', reachedOn: '2027-03-12', answeredAt }).where(eq(declarationMilestones.id, idOf('Schulungskonzept')));
    await t.db.update(declarationMilestones).set({ status: 'delayed', revisedDueDate: '2027-11-30', answeredAt }).where(eq(declarationMilestones.id, idOf('Erste Schulung')));
  });
  afterAll(() => t?.drop());

  it("starts from the partner's declared measures with its milestone answers", async () => {
    const fields = await openingFields(t.db, partner, 2027);
    expect(fields).toMatchObject({
      'sections[0].heading': 'Umsetzung der Beitrittsmodule',
      'sections[0].fieldOfAction': '',
      'sections[0].blocks[0].kind': 'measure',
      'sections[0].blocks[0].title': 'Interkulturelle Schulungen für Führungskräfte',
      'sections[0].blocks[0].declaredMeasureRef': 'LIP-1',
      'sections[0].blocks[0].fieldOfAction': 'FORTBILDUNG',
      'sections[0].blocks[0].statusText': 'Meilenstein „Schulungskonzept“: erreicht am 12.03.2027; Meilenstein „Erste Schulung“: verschoben auf 30.11.2027',
      'sections[0].blocks[1].title': 'Leitbild Vielfalt',
      'sections[0].blocks[1].declaredMeasureRef': 'LIP-2',
      'sections[0].blocks[1].statusText': 'Meilenstein „Entwurf im Kreistag“: offen (geplant bis Ende 2027)',
    });
    expect(Object.keys(fields).filter((name) => /\.(description|status)$/.test(name))).toEqual([]);
    const measures = (buildSubmission(fields).body['sections'] as { blocks: { declaredMeasureRef?: string }[] }[])[0]!.blocks;
    expect(measures.map((m) => m.declaredMeasureRef)).toEqual(['LIP-1', 'LIP-2']);
  });

  it('shows a saved draft as saved, not the skeleton', async () => {
    await saveDraft(t.db, partner, 2028, { 'sections[0].heading': 'Unser Jahr', 'sections[0].blocks[0].kind': 'text', 'sections[0].blocks[0].text': 'Bericht' });
    expect(await openingFields(t.db, partner, 2028)).toEqual({ 'sections[0].heading': 'Unser Jahr', 'sections[0].blocks[0].kind': 'text', 'sections[0].blocks[0].text': 'Bericht' });
  });

  it('starts empty while the accession is not completed, even with a declaration accepted', async () => {
    const [accession] = await t.db.insert(accessions).values({ organisationId: newcomer, status: 'in_progress' }).returning();
    await storeAcceptedDeclaration(
      t.db,
      accession!.id,
      { measures: [{ id: 'DT-1', title: 'Sprachmittlung', fieldOfAction: 'ZUGANG', description: 'Dolmetscherpool.' }] },
      new Date('2026-03-10T10:00:00Z'),
    );
    expect(await openingFields(t.db, newcomer, 2027)).toEqual({});
  });

  it('takes the declaration of the newest completed accession', async () => {
    const [org] = await t.db.insert(organisations).values({ number: 43, name: 'Stadt Lemgo', kind: 'municipality', status: 'active', accessionDate: '2020-01-01' }).returning();
    const rows = await t.db
      .insert(accessions)
      .values([
        { organisationId: org!.id, status: 'completed', phase: 'completed', startedAt: new Date('2019-01-01T00:00:00Z') },
        { organisationId: org!.id, status: 'completed', phase: 'completed', startedAt: new Date('2025-01-01T00:00:00Z') },
      ])
      .returning();
    const declare = (accessionId: number, title: string) =>
      storeAcceptedDeclaration(t.db, accessionId, { measures: [{ id: 'LE-1', title, fieldOfAction: 'ZUGANG', description: 'Text.' }] }, new Date());
    await declare(rows[1]!.id, 'Neue Maßnahme');
    await declare(rows[0]!.id, 'Alte Maßnahme');
    expect((await openingFields(t.db, org!.id, 2027))['sections[0].blocks[0].title']).toBe('Neue Maßnahme');
  });
});
