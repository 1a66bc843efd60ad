/**
 * The accession API and its pages' server side, on real parts: PostgreSQL, the time-skipping
 * Temporal server with a worker running the accession and lifecycle workflows. One organisation's
 * way in through the API (invitation, a refused declaration, a revision, acceptance, both
 * signatures, its partnership), bad input as 4xx with field lines, the role and link matrix.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessions, declarationVersions, organisations, partnerLinks } from '../../src/db/schema';
import type { LinkPurpose } from '../../src/email/partner-links';
import { accessionWorkflowId } from '../../workflows/contracts/accession';
import { lifecycleWorkflowId } from '../../workflows/contracts/lifecycle';
import { accessionStart } from '../support/accession-start';
import { createWebWorld, type WebWorld } from '../support/web-world';
import { untilIdle } from '../support/workflow-story';

let world: WebWorld;
const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

const solingen = accessionStart({ number: 30, name: 'Stadt Solingen' });
const declaration = async (): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(join(import.meta.dirname, '..', 'fixtures', 'declarations', 'solingen.json'), 'utf8')) as Record<string, unknown>;

let request: WebWorld['request'];
let sessions: Record<'staff' | 'caseworker' | 'admin' | 'signatory', string>;

/** Stadt Solingen's accession (partner 30), which the tests below walk step by step. */
const solingen30 = () => world.env.client.workflow.getHandle(accessionWorkflowId(30));

beforeAll(async () => {
  world = await createWebWorld({ onWorkerQueue: true });
  request = world.request;
  sessions = await world.sessionsOfAll();
}, 120_000);

afterAll(async () => {
  await world?.teardown();
});

type Who = keyof typeof sessions;
const call = (who: Who | string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  request(`/api/v1${path}`, { method, token: who in sessions ? sessions[who as Who] : who, headers: { ...json, ...headers }, ...(body !== undefined && { body: JSON.stringify(body) }) });
const errorsOf = async (response: Response) => ((await response.json()) as { errors: string[] }).errors;

const linkFor = (partnerNumber: number, purpose: LinkPurpose, subject: string, expiresAt?: Date) => world.issueLink({ partnerNumber, purpose, subject, expiresAt });
const partnerSession = (partnerNumber: number, purpose: LinkPurpose, subject = 'accession') => world.partnerSessionOf(partnerNumber, purpose, subject);

async function stageOf(partnerNumber: number): Promise<string | undefined> {
  const list = (await (await call('staff', 'GET', '/accessions')).json()) as { partnerNumber: number; stage: string }[];
  return list.find((row) => row.partnerNumber === partnerNumber)?.stage;
}

async function versionsOf(partnerNumber: number) {
  return world.database.db
    .select({ version: declarationVersions.version, review: declarationVersions.review })
    .from(declarationVersions)
    .innerJoin(accessions, eq(accessions.id, declarationVersions.accessionId))
    .innerJoin(organisations, eq(organisations.id, accessions.organisationId))
    .where(eq(organisations.number, partnerNumber))
    .orderBy(declarationVersions.version);
}

describe('an organisation’s accession through the API', () => {
  it('is listed in the OpenAPI document', async () => {
    const document = (await (await request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/accessions',
        '/api/v1/accessions/{partner}/review',
        '/api/v1/accessions/{partner}/signatures',
        '/api/v1/accessions/{partner}/end',
        '/api/v1/partner/accession/declaration',
        '/api/v1/partner/accession/declaration/draft',
        '/api/v1/partner/accession/signature',
        '/api/v1/partner/milestones/{milestoneId}/answer',
        '/api/v1/accessions/{partner}/partnership/withdrawal',
      ]),
    );
  });

  it('starts with an invitation, refusing a role that may not, bad input field by field, a taken number; a retried request starts nothing twice', async () => {
    await world.withWorker(async () => {
      expect((await call('staff', 'POST', '/accessions', solingen)).status).toBe(403);
      expect((await request('/api/v1/accessions', { method: 'POST', headers: json, body: JSON.stringify(solingen) })).status).toBe(401);

      const bad = await call('caseworker', 'POST', '/accessions', { ...solingen, number: -3, name: '', mainContact: { ...solingen.mainContact, email: 'keine-adresse' } });
      expect(bad.status).toBe(422);
      expect(await errorsOf(bad)).toEqual(
        expect.arrayContaining(['number: must be a positive whole number', 'name: must not be empty', 'mainContact.email: must be an email address']),
      );

      const key = { 'Idempotency-Key': 'start-solingen-0001' };
      const started = await call('caseworker', 'POST', '/accessions', solingen, key);
      expect(started.status).toBe(201);
      expect(await started.json()).toEqual({ workflowId: 'accession/30' });
      const retried = await call('caseworker', 'POST', '/accessions', solingen, key);
      expect(retried.status).toBe(201);
      expect(retried.headers.get('Idempotent-Replayed')).toBe('true');
      const again = await call('caseworker', 'POST', '/accessions', solingen, { 'Idempotency-Key': 'start-solingen-0002' });
      expect(again.status).toBe(409);
      expect(await errorsOf(again)).toEqual(['number: 30 is already Stadt Solingen']);

      // The workflow opens its record within moments of the start.
      await expect.poll(() => stageOf(30), { timeout: 20_000 }).toBe('invited');
      expect(await stageOf(2)).toBe('active');
    });
  });

  it('takes the declaration: a scanner’s GET changes nothing, a draft is kept, an invalid one is refused field by field and changes nothing, a valid one is received once', async () => {
    await world.withWorker(async () => {
      // Each step once the mails of the one before are out (untilIdle: the test server's refused completion).
      await untilIdle(solingen30());
      const link = await linkFor(30, 'declaration', 'accession');
      const scanned = await request(`/link/${link.token}`);
      expect(scanned.status).toBe(200);
      const [unused] = await world.database.db.select().from(partnerLinks).where(eq(partnerLinks.id, link.tokenId));
      expect(unused?.useCount).toBe(0);
      // The person's POST opens the declaration form, and the URL no longer holds the token.
      const opened = await request(`/link/${link.token}`, { method: 'POST', headers: form, body: '' });
      expect(opened.status).toBe(303);
      expect(opened.headers.get('location')).toBe('/portal/accession/declaration');

      const partner = await partnerSession(30, 'declaration');
      const draft = await call(partner, 'PUT', '/partner/accession/declaration/draft', { draft: { 'measures[0].title': 'Erst ein Entwurf' } });
      expect(draft.status).toBe(200);
      const [row] = await world.database.db.select({ draft: accessions.draft }).from(accessions).innerJoin(organisations, eq(organisations.id, accessions.organisationId)).where(eq(organisations.number, 30));
      expect(row?.draft).toEqual({ 'measures[0].title': 'Erst ein Entwurf' });

      const invalid = await call(partner, 'POST', '/partner/accession/declaration', {
        measures: [{ id: 'M 1', title: ' ', fieldOfAction: 'IRGENDWAS', description: 'Fortbildungen', milestones: [{ text: 'Alle geschult', due: { year: 20288 } }] }],
      });
      expect(invalid.status).toBe(422);
      const lines = await errorsOf(invalid);
      expect(lines).toEqual(expect.arrayContaining(['measures[0].title: must not be blank']));
      expect(lines.some((line) => line.startsWith('measures[0].id: '))).toBe(true);
      expect(lines.some((line) => line.startsWith('measures[0].fieldOfAction: '))).toBe(true);
      expect(lines.some((line) => line.startsWith('measures[0].milestones[0].due.year: '))).toBe(true);
      expect(await versionsOf(30)).toEqual([]);

      const received = await call(partner, 'POST', '/partner/accession/declaration', await declaration(), { 'Idempotency-Key': 'declaration-solingen-1' });
      expect(received.status).toBe(201);
      expect(await received.json()).toMatchObject({ version: 1 });
      const retried = await call(partner, 'POST', '/partner/accession/declaration', await declaration(), { 'Idempotency-Key': 'declaration-solingen-1' });
      expect(retried.headers.get('Idempotent-Replayed')).toBe('true');
      expect(await versionsOf(30)).toEqual([{ version: 1, review: null }]);
      // Submitted: nothing more to submit until staff ask for changes.
      const twice = await call(partner, 'POST', '/partner/accession/declaration', await declaration());
      expect(twice.status).toBe(409);
    });
  });

  it('keeps each link to its purpose and its organisation, and ends a session whose link expired or was revoked', async () => {
    await world.withWorker(async () => {
      // An annual report link opens no accession; a declaration link does not sign.
      const report = await world.issueLink();
      const reportSession = ((await (await request('/api/v1/session/link', { method: 'POST', headers: json, body: JSON.stringify({ token: report.token }) })).json()) as { sessionToken: string }).sessionToken;
      expect((await call(reportSession, 'GET', '/partner/accession')).status).toBe(403);
      const declarationSession = await partnerSession(30, 'declaration');
      expect((await call(declarationSession, 'POST', '/partner/accession/signature', { signer: 'Tim Kurzbach', role: 'Oberbürgermeister', confirm: true })).status).toBe(403);
      // Another partner's declaration link reaches that partner's accession only (it has none).
      const lippe = await partnerSession(2, 'declaration');
      const other = await call(lippe, 'POST', '/partner/accession/declaration', await declaration());
      expect(other.status).toBe(409);
      expect(await versionsOf(30)).toHaveLength(1);

      const expired = await linkFor(30, 'declaration', 'accession', new Date(Date.now() - 1000));
      const refused = await request('/api/v1/session/link', { method: 'POST', headers: json, body: JSON.stringify({ token: expired.token }) });
      expect(refused.status).toBe(403);
      expect(await errorsOf(refused)).toEqual(['token: the link is expired']);

      const revocable = await linkFor(30, 'declaration', 'accession');
      const opened = ((await (await request('/api/v1/session/link', { method: 'POST', headers: json, body: JSON.stringify({ token: revocable.token }) })).json()) as { sessionToken: string }).sessionToken;
      expect((await call(opened, 'GET', '/partner/accession')).status).toBe(200);
      expect((await call('caseworker', 'DELETE', `/links/${revocable.tokenId}`)).status).toBe(204);
      expect((await call(opened, 'GET', '/partner/accession')).status).toBe(401);
      const reused = await request('/api/v1/session/link', { method: 'POST', headers: json, body: JSON.stringify({ token: revocable.token }) });
      expect(reused.status).toBe(403);
    });
  });

  it('is reviewed (a revision, then acceptance), signed by the signatory for the ministry and by the organisation, and the partner becomes active', async () => {
    await world.withWorker(async () => {
      await untilIdle(solingen30());
      expect((await call('staff', 'POST', '/accessions/30/review', { outcome: 'accept' })).status).toBe(403);
      expect((await call('caseworker', 'POST', '/accessions/99/review', { outcome: 'accept' })).status).toBe(404);
      const noComment = await call('caseworker', 'POST', '/accessions/30/review', { outcome: 'request-changes' });
      expect(noComment.status).toBe(422);
      expect(await errorsOf(noComment)).toEqual(['comment: Invalid input: expected string, received undefined']);
      const badOutcome = await call('caseworker', 'POST', '/accessions/30/review', { outcome: 'vielleicht' });
      expect(badOutcome.status).toBe(422);
      expect((await errorsOf(badOutcome))[0]).toMatch(/^outcome: /);

      const revision = await call('caseworker', 'POST', '/accessions/30/review', { outcome: 'request-changes', comment: 'Bitte Meilensteine mit Datum ergänzen.' });
      expect(revision.status).toBe(200);
      expect(await revision.json()).toMatchObject({ phase: 'changes_requested' });
      await untilIdle(solingen30());

      const partner = await partnerSession(30, 'declaration');
      const revised = await declaration();
      (revised['measures'] as Record<string, unknown>[])[0]!['milestones'] = [{ text: 'Informationsveranstaltung durchgeführt', due: { year: 2028, part: 'fruehjahr', bound: 'bis', text: 'bis Frühjahr 2028' } }];
      expect((await call(partner, 'POST', '/partner/accession/declaration', revised)).status).toBe(201);
      expect(await versionsOf(30)).toEqual([
        { version: 1, review: 'changes_requested' },
        { version: 2, review: null },
      ]);
      await untilIdle(solingen30());

      const accepted = await call('admin', 'POST', '/accessions/30/review', { outcome: 'accept' });
      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toMatchObject({ phase: 'awaiting_signatures' });
      await untilIdle(solingen30());

      // Only a signatory records the ministry's signature; a caseworker may record the partner's paper one.
      expect((await call('caseworker', 'POST', '/accessions/30/signatures', { party: 'ministry', signer: 'Serap Güler', role: 'Staatssekretärin' })).status).toBe(403);
      const unsigned = await call('signatory', 'POST', '/accessions/30/signatures', { party: 'ministry', signer: '', role: 'Staatssekretärin', date: '2099-01-01' });
      expect(unsigned.status).toBe(422);
      expect(await errorsOf(unsigned)).toEqual(['signer: must not be empty']);
      const ministry = await call('signatory', 'POST', '/accessions/30/signatures', { party: 'ministry', signer: 'Serap Güler', role: 'Staatssekretärin für Integration' });
      expect(ministry.status).toBe(200);
      expect(((await ministry.json()) as { signatures: { party: string; signer: string }[] }).signatures).toEqual([expect.objectContaining({ party: 'ministry', signer: 'Serap Güler' })]);
      expect((await call('signatory', 'POST', '/accessions/30/signatures', { party: 'ministry', signer: 'Serap Güler', role: 'Staatssekretärin für Integration' })).status).toBe(409);
      await untilIdle(solingen30());

      const signer = await partnerSession(30, 'agreement');
      const unconfirmed = await call(signer, 'POST', '/partner/accession/signature', { signer: 'Tim Kurzbach', role: 'Oberbürgermeister' });
      expect(unconfirmed.status).toBe(422);
      expect((await errorsOf(unconfirmed))[0]).toMatch(/^confirm: /);
      const signed = await call(signer, 'POST', '/partner/accession/signature', { signer: 'Tim Kurzbach', role: 'Oberbürgermeister', confirm: true });
      expect(signed.status).toBe(200);
      expect(await signed.json()).toMatchObject({ phase: 'completed' });

      const [solingenRow] = await world.database.db.select().from(organisations).where(eq(organisations.number, 30));
      expect(solingenRow?.status).toBe('active');
      expect(await stageOf(30)).toBe('active');

      // The partnership follows the declared milestone; the partner answers it through its link.
      const milestones = await partnerSession(30, 'milestone', 'partner');
      let lifecycle: { milestones: { id: string; status: string }[] } | undefined;
      for (let attempt = 0; attempt < 50 && !lifecycle?.milestones.length; attempt += 1) {
        const response = await call(milestones, 'GET', '/partner/milestones');
        if (response.status === 200) lifecycle = (await response.json()) as typeof lifecycle;
        else await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(lifecycle?.milestones.map((m) => [m.id, m.status])).toEqual([['SG-1/1', 'open']]);
      await untilIdle(world.env.client.workflow.getHandle(lifecycleWorkflowId(30)));
      const badDate = await call(milestones, 'POST', '/partner/milestones/SG-1%2F1/answer', { outcome: 'delayed', newDate: 'Herbst' });
      expect(badDate.status).toBe(422);
      expect(await errorsOf(badDate)).toEqual(['newDate: must be a calendar date as YYYY-MM-DD']);
      const delayed = await call(milestones, 'POST', '/partner/milestones/SG-1%2F1/answer', { outcome: 'delayed', newDate: '2028-10-31', newDueText: 'bis Herbst 2028' });
      expect(delayed.status).toBe(200);
      expect(((await delayed.json()) as { milestones: { status: string; revisedDueDate?: string }[] }).milestones[0]).toMatchObject({ status: 'delayed', revisedDueDate: '2028-10-31' });

      // Years later it leaves the network: a staff member may not record that, a caseworker with a reason may.
      expect((await call('staff', 'POST', '/accessions/30/partnership/withdrawal', { reason: 'Umstrukturierung' })).status).toBe(403);
      const noReason = await call('caseworker', 'POST', '/accessions/30/partnership/withdrawal', {});
      expect(noReason.status).toBe(422);
      expect((await errorsOf(noReason))[0]).toMatch(/^reason: /);
      const left = await call('caseworker', 'POST', '/accessions/30/partnership/withdrawal', { reason: 'Umstrukturierung der Verwaltung' });
      expect(left.status).toBe(200);
      expect(await left.json()).toMatchObject({ phase: 'withdrawn', withdrawal: { reason: 'Umstrukturierung der Verwaltung', by: 'Jana Becker' } });
      await expect.poll(() => stageOf(30), { timeout: 20_000 }).toBe('withdrawn');
      expect((await call(milestones, 'POST', '/partner/milestones/SG-1%2F1/answer', { outcome: 'reached' })).status).toBe(409);
    });
  });

  it('ends an accession with a reason: a rejection by a caseworker, after which nothing changes', async () => {
    await world.withWorker(async () => {
      expect((await call('caseworker', 'POST', '/accessions', { ...solingen, number: 31, name: 'Stadt Gelsenkirchen' })).status).toBe(201);
      // The rejection once the invitation is out: ending the accession calls off a mail in flight, which
      // the test server can refuse for good (untilIdle). This test timed out in CI without the wait.
      await untilIdle(world.env.client.workflow.getHandle(accessionWorkflowId(31)));
      expect((await call('signatory', 'POST', '/accessions/31/end', { outcome: 'rejected', reason: 'Keine Mittel' })).status).toBe(403);
      const noReason = await call('caseworker', 'POST', '/accessions/31/end', { outcome: 'rejected' });
      expect(noReason.status).toBe(422);
      expect((await errorsOf(noReason))[0]).toMatch(/^reason: /);
      const rejected = await call('caseworker', 'POST', '/accessions/31/end', { outcome: 'rejected', reason: 'Die Organisation gehört nicht zur Zielgruppe.' });
      expect(rejected.status).toBe(200);
      expect(await rejected.json()).toMatchObject({ phase: 'rejected', endReason: 'Die Organisation gehört nicht zur Zielgruppe.' });
      expect((await call('caseworker', 'POST', '/accessions/31/end', { outcome: 'withdrawn', reason: 'noch einmal' })).status).toBe(409);
      await expect.poll(() => stageOf(31), { timeout: 20_000 }).toBe('rejected');
    });
  });
});

describe('the accession pages’ server side', () => {
  it('shows the declaration form with German field messages and keeps what was typed; staff pages by role', async () => {
    await world.withWorker(async () => {
      const started = await call('caseworker', 'POST', '/accessions', { ...solingen, number: 32, name: 'Kreis Mettmann' });
      expect(started.status).toBe(201);
      await untilIdle(world.env.client.workflow.getHandle(accessionWorkflowId(32)));
      const { token } = await linkFor(32, 'declaration', 'accession');
      const opened = await request(`/link/${token}`, { method: 'POST', headers: form, body: '' });
      const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const page = (path: string, init: RequestInit = {}) => request(path, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } });
      expect((await page('/portal/accession/declaration')).status).toBe(200);
      const typed = new URLSearchParams({
        'measures[0].id': 'ME-1',
        'measures[0].title': 'Fortbildung Interkulturelle Kompetenz',
        'measures[0].fieldOfAction': 'FORTBILDUNG',
        'measures[0].description': '',
        'measures[0].milestones[0].text': 'Alle Führungskräfte geschult',
        'measures[0].milestones[0].due': 'irgendwann',
        action: 'submit',
      });
      const refused = await page('/portal/accession/declaration', { method: 'POST', headers: form, body: typed.toString() });
      expect(refused.status).toBe(422);
      const text = await refused.text();
      expect(text).toContain('Bitte prüfen Sie Ihre Angaben');
      expect(text).toContain('Maßnahme 1: Beschreibung');
      expect(text).toContain('Dieses Datum kann nicht gelesen werden');
      expect(text).toContain('value="Fortbildung Interkulturelle Kompetenz"');
      expect(await versionsOf(32)).toEqual([]);

      typed.set('measures[0].description', 'Zweitägige Schulung für alle Führungskräfte.');
      typed.set('measures[0].milestones[0].due', 'bis Frühjahr 2028');
      const sent = await page('/portal/accession/declaration', { method: 'POST', headers: form, body: typed.toString() });
      expect(sent.status).toBe(303);
      expect(sent.headers.get('location')).toBe('/portal/accession/declaration/receipts/1');
      expect(await (await page('/portal/accession/declaration/receipts/1')).text()).toContain('Fassung 1 Ihrer Erklärung ist eingegangen.');
      // The receipt of another organisation's version is not this session's to see.
      expect((await page('/portal/accession/agreement')).status).toBe(403);

      const staffPage = (who: Who, path: string) => request(path, { token: sessions[who] });
      expect((await staffPage('staff', '/staff/accessions')).status).toBe(200);
      expect(await (await staffPage('staff', '/staff/accessions')).text()).toContain('Erklärung eingereicht');
      expect((await staffPage('staff', '/staff/accessions/new')).status).toBe(403);
      const detail = await (await staffPage('caseworker', '/staff/accessions/32')).text();
      expect(detail).toContain('Erklärung annehmen');
      expect(detail).toContain('Alle Führungskräfte geschult');
      expect(await (await staffPage('staff', '/staff/accessions/32')).text()).not.toContain('Erklärung annehmen');

      // A signature that came on paper: a caseworker records the organisation's, never the ministry's.
      expect((await call('caseworker', 'POST', '/accessions/32/review', { outcome: 'accept' })).status).toBe(200);
      const staffPost = (who: Who, path: string, fields: Record<string, string>) =>
        request(path, { method: 'POST', token: sessions[who], headers: form, body: new URLSearchParams(fields).toString() });
      const ministry = await staffPost('caseworker', '/staff/accessions/32/signatures/ministry', { 'sign-ministry-signer': 'Serap Güler', 'sign-ministry-role': 'Staatssekretärin' });
      expect(ministry.status).toBe(403);
      const early = await staffPost('caseworker', '/staff/accessions/32/signatures/partner', { 'sign-partner-signer': 'Thomas Hendele', 'sign-partner-role': 'Landrat', 'sign-partner-date': '01.01.2099' });
      expect(early.status).toBe(422);
      expect(await early.text()).toContain('Unterschrift der Organisation festhalten (auf Papier eingegangen): Datum der Unterschrift');
      const paper = await staffPost('caseworker', '/staff/accessions/32/signatures/partner', { 'sign-partner-signer': 'Thomas Hendele', 'sign-partner-role': 'Landrat', 'sign-partner-date': '' });
      expect(paper.status).toBe(303);
      const after = (await (await call('staff', 'GET', '/accessions/32')).json()) as { status: { signatures: { party: string; signer: string }[] }; timeline: { action?: string; by?: string }[] };
      expect(after.status.signatures).toEqual([expect.objectContaining({ party: 'partner', signer: 'Thomas Hendele' })]);
      expect(after.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'signed-by-partner', by: 'staff:Jana Becker' })]));
    });
  });
});

