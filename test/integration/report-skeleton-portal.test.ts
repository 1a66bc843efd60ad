import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAcceptedDeclaration } from '../../src/db/queries/accession';
import { accessions } from '../../src/db/schema';
import { createWebWorld, type WebWorld } from '../support/web-world';

let world: WebWorld;

beforeAll(async () => {
  world = await createWebWorld();
  await world.openCycle(2027, '2027-03-31');
  const [accession] = await world.database.db
    .insert(accessions)
    .values({ organisationId: await world.organisationId(), status: 'completed', phase: 'completed' })
    .returning();
  await storeAcceptedDeclaration(
    world.database.db,
    accession!.id,
    {
      measures: [
        {
          id: 'M-7',
          title: 'Mehrsprachige Bürgerinformation',
          fieldOfAction: 'ZUGANG',
          description: 'Informationen in fünf Sprachen.',
          milestones: [{ text: 'Übersetzungen beauftragt', due: { year: 2026, part: 'herbst', text: 'Herbst 2026' } }],
        },
      ],
    },
    new Date('2025-11-02T09:00:00Z'),
  );
});

afterAll(async () => {
  await world?.teardown();
});

describe('the portal report form', () => {
  it("opens prefilled with the partner's declared measures and its milestone answers when nothing was saved", async () => {
    const { token } = await world.issueLink({ year: 2027 });
    const session = await world.request('/api/v1/session/link', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    const { sessionToken } = (await session.json()) as { sessionToken: string };
    const page = await world.request('/portal/reports/2027', { headers: { cookie: `pf_session=${sessionToken}` } });
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('value="Umsetzung der Beitrittsmodule"');
    expect(text).toContain('value="Mehrsprachige Bürgerinformation"');
    expect(text).toMatch(/name="sections\[0\]\.blocks\[0\]\.declaredMeasureRef" value="M-7"/);
    expect(text).toContain('Meilenstein „Übersetzungen beauftragt“: offen (geplant bis Herbst 2026)');
  });
});
