/**
 * The partner-token matrix, table-driven over every partner-facing route (the portal pages and
 * /api/v1/partner: report form, drafts, submission, receipts, declaration, agreement signing,
 * milestone answers): a session that is missing, malformed, of a link for another purpose, of
 * another partner, of a link that expired or was revoked, or whose action was done already.
 * Each gets its status and message (German on the pages), changes nothing of the link's owner
 * (rows and workflow state) and is audited. Then the link exchange itself, and scanner GETs.
 * On real parts: PostgreSQL, the time-skipping Temporal server with the product's worker.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { and, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokePartnerLink } from '../../src/db/queries/partner-links';
import { accessions, annualReports, auditLog, declarationVersions, organisations, partnerLinks, reportDrafts, reportVersions, signatures, webSessions } from '../../src/db/schema';
import { issuePartnerLink, type LinkPurpose } from '../../src/email/partner-links';
import { isPartnerPath } from '../../src/http/partner-audit';
import { tokenHash } from '../../src/http/secrets';
import { accessionStatusQuery, accessionWorkflowId } from '../../workflows/contracts/accession';
import { reportStatusQuery } from '../../workflows/contracts/annual-report';
import { lifecycleStatusQuery, lifecycleWorkflowId } from '../../workflows/contracts/lifecycle';
import { accessionStart } from '../support/accession-start';
import { routeKey } from '../support/route-tests';
import { createWebWorld, origin, type WebWorld } from '../support/web-world';
import { loadedStatus, readReportFixture, untilIdle } from '../support/workflow-story';

let world: WebWorld;
let app: WebWorld['app'];
const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const lippe = 2; // the reporting partner of the world
const other = 7; // another active partner
const joining = 60; // an organisation through its accession, signed and with a milestone answered
const milestoneId = 'SG-1/1';
const noSessionText = 'Bitte öffnen Sie den Link aus Ihrer E-Mail erneut.';
const draftMarker = 'Entwurf von Kreis Lippe, nur für Kreis Lippe';
const markersOf: Record<Owner, string[]> = { report: [draftMarker, 'Kreis Lippe'], accession: ['Stadt Marl'] };

type Owner = 'report' | 'accession';
type Credential = { token?: string; malformed?: true };
type Route = {
  key: string;
  purpose: LinkPurpose | 'any';
  owner: Owner;
  send(credential: Credential): Promise<Response>;
  /** The status when the link's action was done already; absent where repeating it is the design (drafts, new report versions) or it only reads. */
  used?: number;
  /** The status another partner's session gets with the same purpose: its own record, never the owner's. */
  otherPartner: number;
};

function call(method: string, path: string, body?: unknown, surface: 'api' | 'page' = path.startsWith('/api/') ? 'api' : 'page') {
  return async ({ token, malformed }: Credential): Promise<Response> => {
    const headers = new Headers(body === undefined ? {} : surface === 'api' ? json : form);
    if (malformed) headers.set(surface === 'api' ? 'authorization' : 'cookie', surface === 'api' ? 'Bearer not%a%session' : 'pf_session=%E0%A4%A');
    else if (token) headers.set(surface === 'api' ? 'authorization' : 'cookie', surface === 'api' ? `Bearer ${token}` : `pf_session=${token}`);
    if (method !== 'GET') headers.set('origin', origin);
    const encoded = body === undefined ? undefined : surface === 'api' ? JSON.stringify(body) : new URLSearchParams(body as Record<string, string>).toString();
    return app.request(`${origin}${path}`, { method, headers, ...(encoded !== undefined && { body: encoded }) });
  };
}

const reportFields = { 'blocks[0].kind': 'text', 'blocks[0].text': 'Überschrieben?', action: 'save' };
const declarationFields = {
  'measures[0].id': 'ME-1',
  'measures[0].title': 'Fortbildung Interkulturelle Kompetenz',
  'measures[0].fieldOfAction': 'FORTBILDUNG',
  'measures[0].description': 'Zweitägige Schulung für alle Führungskräfte.',
  'measures[0].milestones[0].text': 'Alle Führungskräfte geschult',
  'measures[0].milestones[0].due': 'bis Frühjahr 2028',
  action: 'submit',
};
let declaration: Record<string, unknown>;
let report: unknown;

const routes = (): Route[] => [
  { key: 'GET /api/v1/partner/reports/:year', purpose: 'annual-report', owner: 'report', send: call('GET', '/api/v1/partner/reports/2027'), otherPartner: 404 },
  { key: 'GET /api/v1/partner/reports/:year/timeline', purpose: 'annual-report', owner: 'report', send: call('GET', '/api/v1/partner/reports/2027/timeline'), otherPartner: 404 },
  { key: 'GET /api/v1/partner/reports/:year/draft', purpose: 'annual-report', owner: 'report', send: call('GET', '/api/v1/partner/reports/2027/draft'), otherPartner: 200 },
  { key: 'PUT /api/v1/partner/reports/:year/draft', purpose: 'annual-report', owner: 'report', send: call('PUT', '/api/v1/partner/reports/2027/draft', { fields: { 'blocks[0].text': 'Überschrieben?' } }), otherPartner: 200 },
  { key: 'POST /api/v1/partner/reports/:year/submission', purpose: 'annual-report', owner: 'report', send: call('POST', '/api/v1/partner/reports/2027/submission', report), otherPartner: 404 },
  { key: 'GET /api/v1/partner/accession', purpose: 'declaration', owner: 'accession', send: call('GET', '/api/v1/partner/accession'), otherPartner: 409 },
  { key: 'PUT /api/v1/partner/accession/declaration/draft', purpose: 'declaration', owner: 'accession', send: call('PUT', '/api/v1/partner/accession/declaration/draft', { draft: { 'measures[0].title': 'Überschrieben?' } }), otherPartner: 409, used: 409 },
  { key: 'POST /api/v1/partner/accession/declaration', purpose: 'declaration', owner: 'accession', send: call('POST', '/api/v1/partner/accession/declaration', declaration), otherPartner: 409, used: 409 },
  { key: 'POST /api/v1/partner/accession/signature', purpose: 'agreement', owner: 'accession', send: call('POST', '/api/v1/partner/accession/signature', { signer: 'Werner Arndt', role: 'Bürgermeister', confirm: true }), otherPartner: 409, used: 409 },
  { key: 'GET /api/v1/partner/milestones', purpose: 'milestone', owner: 'accession', send: call('GET', '/api/v1/partner/milestones'), otherPartner: 409 },
  { key: 'POST /api/v1/partner/milestones/:milestoneId/answer', purpose: 'milestone', owner: 'accession', send: call('POST', `/api/v1/partner/milestones/${encodeURIComponent(milestoneId)}/answer`, { outcome: 'reached', date: '2027-06-01' }), otherPartner: 409, used: 409 },

  { key: 'GET /portal', purpose: 'any', owner: 'report', send: call('GET', '/portal'), otherPartner: 303 },
  { key: 'GET /portal/reports/:year/status', purpose: 'annual-report', owner: 'report', send: call('GET', '/portal/reports/2027/status'), otherPartner: 404 },
  { key: 'GET /portal/reports/:year', purpose: 'annual-report', owner: 'report', send: call('GET', '/portal/reports/2027'), otherPartner: 200 },
  { key: 'POST /portal/reports/:year', purpose: 'annual-report', owner: 'report', send: call('POST', '/portal/reports/2027', reportFields), otherPartner: 200 },
  { key: 'GET /portal/reports/:year/receipts/:reference', purpose: 'annual-report', owner: 'report', send: call('GET', '/portal/reports/2027/receipts/JB-2027-02-V1'), otherPartner: 404 },
  { key: 'GET /portal/accession/declaration', purpose: 'declaration', owner: 'accession', send: call('GET', '/portal/accession/declaration'), otherPartner: 409 },
  { key: 'POST /portal/accession/declaration', purpose: 'declaration', owner: 'accession', send: call('POST', '/portal/accession/declaration', declarationFields), otherPartner: 409, used: 409 },
  { key: 'GET /portal/accession/declaration/receipts/:version', purpose: 'declaration', owner: 'accession', send: call('GET', '/portal/accession/declaration/receipts/1'), otherPartner: 404 },
  { key: 'GET /portal/accession/agreement', purpose: 'agreement', owner: 'accession', send: call('GET', '/portal/accession/agreement'), otherPartner: 409 },
  { key: 'GET /portal/accession/agreement.pdf', purpose: 'agreement', owner: 'accession', send: call('GET', '/portal/accession/agreement.pdf'), otherPartner: 404 },
  { key: 'POST /portal/accession/agreement/signature', purpose: 'agreement', owner: 'accession', send: call('POST', '/portal/accession/agreement/signature', { signer: 'Werner Arndt', role: 'Bürgermeister', confirm: 'yes' }), otherPartner: 409, used: 409 },
  { key: 'GET /portal/milestones', purpose: 'milestone', owner: 'accession', send: call('GET', '/portal/milestones'), otherPartner: 409 },
  { key: 'POST /portal/milestones/answer', purpose: 'milestone', owner: 'accession', send: call('POST', '/portal/milestones/answer', { milestoneId, 'm-SG-1-1-outcome': 'reached', 'm-SG-1-1-date': '01.06.2027' }), otherPartner: 409, used: 409 },
];

/** Per route, the sessions of each case (opened before any case runs). */
type Sessions = { valid: string; wrongPurpose: string; otherPartner: string; expired: string; revoked: string };
const sessionsOf = new Map<string, Sessions>();
// A purpose none of the route's accepts (the accession's status answers declaration and agreement links alike).
const wrongPurposeOf: Record<LinkPurpose, LinkPurpose> = { 'annual-report': 'declaration', declaration: 'milestone', agreement: 'milestone', milestone: 'annual-report' };
const subjectOf: Record<LinkPurpose, string> = { 'annual-report': '2027', declaration: 'accession', agreement: 'accession', milestone: milestoneId };

async function link(partnerNumber: number, purpose: LinkPurpose, expiresAt = new Date(Date.now() + 30 * 86_400_000)) {
  const issued = await issuePartnerLink(world.database.db, world.config, { organisationId: await world.organisationId(partnerNumber), purpose, subject: subjectOf[purpose], expiresAt });
  return { ...issued, token: issued.url.split('/').at(-1)! };
}

async function open(token: string): Promise<string> {
  const response = await app.request(`${origin}/api/v1/session/link`, { method: 'POST', headers: { ...json, origin }, body: JSON.stringify({ token }) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { sessionToken: string }).sessionToken;
}

const staffApi = async (method: string, path: string, body: unknown, who: 'caseworker' | 'signatory') =>
  app.request(`${origin}/api/v1${path}`, { method, headers: { ...json, origin, authorization: `Bearer ${who === 'signatory' ? signatorySession : await world.sessionOf(who)}` }, body: JSON.stringify(body) });
let signatorySession: string;

/** Everything of the owner a partner route could change: its rows, links and sessions, and its workflows' state. */
async function ownerState(owner: Owner) {
  const { db } = world.database;
  const organisationId = await world.organisationId(owner === 'report' ? lippe : joining);
  const accessionIds = (await db.select({ id: accessions.id }).from(accessions).where(eq(accessions.organisationId, organisationId))).map((row) => row.id);
  const reportIds = (await db.select({ id: annualReports.id }).from(annualReports).where(eq(annualReports.organisationId, organisationId))).map((row) => row.id);
  const client = world.env.client.workflow;
  return {
    drafts: await db.select().from(reportDrafts).where(eq(reportDrafts.organisationId, organisationId)),
    versions: reportIds.length ? await db.select().from(reportVersions).where(inArray(reportVersions.annualReportId, reportIds)) : [],
    accessions: await db.select().from(accessions).where(eq(accessions.organisationId, organisationId)),
    declarations: accessionIds.length ? await db.select().from(declarationVersions).where(inArray(declarationVersions.accessionId, accessionIds)) : [],
    signatures: await db.select().from(signatures),
    links: await db.select().from(partnerLinks).where(eq(partnerLinks.organisationId, organisationId)).orderBy(partnerLinks.id),
    sessions: (await db.select({ n: count() }).from(webSessions))[0]?.n,
    workflows:
      owner === 'report'
        ? await client.getHandle(`annual-report/${lippe}/2027`).query(reportStatusQuery)
        : [await client.getHandle(`accession/${joining}`).query(accessionStatusQuery), await client.getHandle(lifecycleWorkflowId(joining)).query(lifecycleStatusQuery)],
  };
}

async function refusalsAudited(): Promise<{ entityId: string; reason: unknown; status: unknown; path: unknown }[]> {
  const rows = await world.database.db.select().from(auditLog).where(eq(auditLog.action, 'refused-request')).orderBy(auditLog.id);
  return rows.map((row) => {
    const details = row.details as { reason?: unknown; status?: unknown; path?: unknown };
    return { entityId: row.entityId, reason: details.reason, status: details.status, path: details.path };
  });
}

const organisation = accessionStart({ number: joining, name: 'Stadt Marl', leadership: { name: 'Werner Arndt', role: 'Bürgermeister' } });

beforeAll(async () => {
  world = await createWebWorld({ onWorkerQueue: true, rateLimitPerMinute: 10_000 });
  app = world.app;
  await world.openCycle(2027, '2027-03-31');
  await world.database.db.insert(organisations).values({ number: other, name: 'Stadt Solingen', kind: 'municipality', status: 'active', accessionDate: '2013-01-10' });
  signatorySession = await world.sessionOf('signatory');
  declaration = JSON.parse(await readFile(join(process.cwd(), 'test/fixtures/declarations/solingen.json'), 'utf8')) as Record<string, unknown>;
  // One milestone with a date, so the partnership asks about it (the fixture's are open-ended).
  (declaration['measures'] as Record<string, unknown>[])[0]!['milestones'] = [{ text: 'Informationsveranstaltung durchgeführt', due: { year: 2028, part: 'fruehjahr', bound: 'bis', text: 'bis Frühjahr 2028' } }];
  report = await readReportFixture('02-kreis-lippe.json');
}, 120_000);

afterAll(async () => {
  await world?.teardown();
});

describe('the partner-token matrix', () => {
  it('covers every partner-facing route of the app', () => {
    const partnerRoutes = [...new Set(app.routes.filter((r) => r.method !== 'ALL' && isPartnerPath(r.path)).map((r) => routeKey(r.method, r.path)))].sort();
    expect(routes().map((route) => route.key).sort()).toEqual(partnerRoutes);
  });

  it('refuses a missing, malformed, other-purpose, expired or revoked session, keeps another partner to its own record and an action to once; changes nothing, audits each', async () => {
    await world.withWorker(async () => {
      // Kreis Lippe has submitted its report 2027 and since saved a draft; Stadt Marl declared, was accepted, signed and answered its milestone.
      // Each step once the mails of the one before are out (untilIdle: the test server's refused completion).
      const reportHandle = await world.startReport({ year: 2027 });
      await loadedStatus(reportHandle);
      await untilIdle(reportHandle);
      const lippeReport = await open((await link(lippe, 'annual-report')).token);
      expect((await call('POST', '/api/v1/partner/reports/2027/submission', report)({ token: lippeReport })).status).toBe(201);
      expect((await call('PUT', '/api/v1/partner/reports/2027/draft', { fields: { 'blocks[0].text': draftMarker } })({ token: lippeReport })).status).toBe(200);
      expect((await staffApi('POST', '/accessions', organisation, 'caseworker')).status).toBe(201);
      await expect.poll(async () => (await world.database.db.select({ status: organisations.status }).from(organisations).where(eq(organisations.number, joining)))[0]?.status, { timeout: 20_000 }).toBe('invited');
      const accession = world.env.client.workflow.getHandle(accessionWorkflowId(joining));
      await untilIdle(accession);
      expect((await call('POST', '/api/v1/partner/accession/declaration', declaration)({ token: await open((await link(joining, 'declaration')).token) })).status).toBe(201);
      await untilIdle(accession);
      expect((await staffApi('POST', `/accessions/${joining}/review`, { outcome: 'accept' }, 'caseworker')).status).toBe(200);
      await untilIdle(accession);
      expect((await call('POST', '/api/v1/partner/accession/signature', { signer: 'Werner Arndt', role: 'Bürgermeister', confirm: true })({ token: await open((await link(joining, 'agreement')).token) })).status).toBe(200);
      await untilIdle(accession);
      expect((await staffApi('POST', `/accessions/${joining}/signatures`, { party: 'ministry', signer: 'Serap Güler', role: 'Staatssekretärin für Integration' }, 'signatory')).status).toBe(200);
      const lifecycle = world.env.client.workflow.getHandle(lifecycleWorkflowId(joining));
      await expect.poll(async () => (await lifecycle.query(lifecycleStatusQuery).catch(() => undefined))?.milestones.length, { timeout: 30_000 }).toBe(1);
      await untilIdle(lifecycle);
      await untilIdle(accession);
      expect((await call('POST', `/api/v1/partner/milestones/${encodeURIComponent(milestoneId)}/answer`, { outcome: 'reached', date: '2027-05-01' })({ token: await open((await link(joining, 'milestone')).token) })).status).toBe(200);

      // Every route's sessions; the expiring links (opened first) run out together, the revoked ones are revoked.
      const purposeOf = (route: Route): LinkPurpose => (route.purpose === 'any' ? 'annual-report' : route.purpose);
      const ownerOf = (route: Route) => (route.owner === 'report' ? lippe : joining);
      const soon = new Date(Date.now() + 10_000);
      const expiring = new Map<string, string>();
      for (const route of routes()) expiring.set(route.key, await open((await link(ownerOf(route), purposeOf(route), soon)).token));
      for (const route of routes()) {
        const [purpose, owner] = [purposeOf(route), ownerOf(route)];
        const revocable = await link(owner, purpose);
        sessionsOf.set(route.key, {
          valid: await open((await link(owner, purpose)).token),
          wrongPurpose: await open((await link(owner, wrongPurposeOf[purpose])).token),
          otherPartner: await open((await link(route.owner === 'report' ? other : lippe, purpose)).token),
          expired: expiring.get(route.key)!,
          revoked: await open(revocable.token),
        });
        await revokePartnerLink(world.database.db, revocable.tokenId, 'Test');
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, soon.getTime() - Date.now() + 50)));

      const unexpected: string[] = [];
      const expectThat = (route: Route, what: string, ok: boolean, detail: unknown) => {
        if (!ok) unexpected.push(`${route.key} ${what}: ${JSON.stringify(detail)}`);
      };
      for (const route of routes()) {
        const sessions = sessionsOf.get(route.key)!;
        const api = route.key.includes(' /api/');
        const before = await ownerState(route.owner);
        const audited = (await refusalsAudited()).length;
        const cases: [string, Credential, number][] = [
          ['missing', {}, api ? 401 : 403],
          ['malformed', { malformed: true }, api ? 401 : 403],
          ['expired', { token: sessions.expired }, api ? 401 : 403],
          ['revoked', { token: sessions.revoked }, api ? 401 : 403],
          ...(route.purpose === 'any' ? [] : ([['wrong purpose', { token: sessions.wrongPurpose }, 403]] as [string, Credential, number][])),
          ['other partner', { token: sessions.otherPartner }, route.otherPartner],
          ...(route.used ? ([['already used', { token: sessions.valid }, route.used]] as [string, Credential, number][]) : []),
        ];
        // Why the audit log says it was refused: an expired link's session ran out with it.
        const reasonOf: Record<string, string> = { missing: 'no-session', malformed: 'no-session', expired: 'no-session', revoked: 'link-revoked', 'wrong purpose': 'out-of-scope' };
        let refused = 0;
        for (const [what, credential, status] of cases) {
          const response = await route.send(credential);
          const text = await response.text();
          expectThat(route, `${what} status`, response.status === status, [response.status, text.slice(0, 300)]);
          // The owner's data never reaches a refused session nor another partner.
          if (what !== 'already used') expectThat(route, `${what} leaks nothing`, markersOf[route.owner].every((marker) => !text.includes(marker)), text.slice(0, 300));
          if (status === 401 || status === 403) {
            const message = api ? /"errors":\["(\(session\)|year): / : new RegExp(noSessionText.replace('.', '\\.'));
            expectThat(route, `${what} message`, message.test(text) && (api || /<html lang="de">/.test(text)), text.slice(0, 300));
          }
          if (status === 409 && !api) expectThat(route, `${what} German page`, /<html lang="de">/.test(text) && /kern-alert|kern-error/.test(text), text.slice(0, 300));
          if ([401, 403, 404, 409].includes(status)) {
            refused += 1;
            const reason = reasonOf[what] ?? ({ 404: 'not-found', 409: 'state' } as Record<number, string>)[status];
            const last = (await refusalsAudited()).at(-1);
            expectThat(route, `${what} audited`, last?.reason === reason && last?.status === status, last);
          }
        }
        expectThat(route, 'refusals audited once each', (await refusalsAudited()).length - audited === refused, (await refusalsAudited()).slice(audited));
        expectThat(route, 'owner unchanged', JSON.stringify(await ownerState(route.owner)) === JSON.stringify(before), 'owner state changed');
        // The owner's own session still works: the refusals broke nothing.
        if (route.key.startsWith('GET ')) expectThat(route, 'valid session', (await route.send({ token: sessions.valid })).status < 400, 'refused');
      }
      expect(unexpected).toEqual([]);
    });
  }, 180_000);

  it('exchanges a token on a person’s POST only: unknown, malformed, expired and revoked tokens refused in German and audited, nothing opened; a link opens again, counted; a scanner’s GET changes nothing', async () => {
    const { db } = world.database;
    const sessionCount = async () => (await db.select({ n: count() }).from(webSessions))[0]?.n;
    const linkRows = () => db.select().from(partnerLinks).orderBy(partnerLinks.id);
    const auditRows = () => db.select().from(auditLog).orderBy(auditLog.id);
    const valid = await link(other, 'annual-report');
    const expired = await link(other, 'annual-report', new Date(Date.now() - 1_000));
    const revoked = await link(other, 'annual-report');
    await revokePartnerLink(db, revoked.tokenId, 'Test');
    const unknown = 'A'.repeat(43);
    const malformed = 'kein gültiger Link!';

    // A scanner opens every kind of link, as often as it likes: nothing is used, opened or written.
    const [links, sessions, audit] = [await linkRows(), await sessionCount(), await auditRows()];
    for (const [token, status] of [[valid.token, 200], [expired.token, 404], [revoked.token, 404], [unknown, 404], [encodeURIComponent(malformed), 404]] as const) {
      for (let i = 0; i < 2; i += 1) {
        const scanned = await app.request(`${origin}/link/${token}`);
        expect([token, scanned.status, scanned.headers.get('set-cookie')]).toEqual([token, status, null]);
        expect(await scanned.text()).toContain(status === 200 ? 'Weiter zum Bericht' : 'Dieser Link ist nicht gültig');
      }
    }
    expect([await linkRows(), await sessionCount(), await auditRows()]).toEqual([links, sessions, audit]);

    // The person's POST, on the page and through the API.
    const page = (token: string) => app.request(`${origin}/link/${token}`, { method: 'POST', headers: { ...form, origin }, body: '' });
    const api = (body: unknown) => app.request(`${origin}/api/v1/session/link`, { method: 'POST', headers: { ...json, origin }, body: JSON.stringify(body) });
    const cases = [
      { what: 'unknown', token: unknown, page: 404, api: 404, line: 'token: the link is not known', audited: ['unknown', 'refused-unknown'] },
      { what: 'malformed', token: malformed, page: 404, api: 404, line: 'token: the link is not known', audited: ['unknown', 'refused-unknown'] },
      { what: 'expired', token: expired.token, page: 403, api: 403, line: 'token: the link is expired', audited: [String(expired.tokenId), 'refused-expired'] },
      { what: 'revoked', token: revoked.token, page: 403, api: 403, line: 'token: the link is revoked', audited: [String(revoked.tokenId), 'refused-revoked'] },
    ];
    for (const refusal of cases) {
      const before = [await linkRows(), await sessionCount()];
      const onPage = await page(encodeURIComponent(refusal.token));
      expect([refusal.what, onPage.status, onPage.headers.get('set-cookie')]).toEqual([refusal.what, refusal.page, null]);
      const text = await onPage.text();
      expect(text).toContain('<html lang="de">');
      expect(text).toContain('Dieser Link ist nicht gültig');
      const onApi = await api({ token: refusal.token });
      expect([refusal.what, onApi.status, await onApi.json()]).toEqual([refusal.what, refusal.api, { errors: [refusal.line] }]);
      expect([await linkRows(), await sessionCount()]).toEqual(before);
      const last = (await auditRows()).slice(-2).map((row) => [row.entityId, row.action]);
      expect([refusal.what, last]).toEqual([refusal.what, [refusal.audited, refusal.audited]]);
    }
    // No token at all: the page has no such address, the API names the field.
    expect((await page('')).status).toBe(404);
    const missing = await api({});
    expect([missing.status, ((await missing.json()) as { errors: string[] }).errors[0]]).toEqual([422, expect.stringMatching(/^token: /)]);

    // Links are not single-use: the same email's link opens again (a new session), each use counted and audited.
    for (const expected of [1, 2]) {
      const opened = await page(valid.token);
      expect(opened.status).toBe(303);
      expect(opened.headers.get('location')).toBe('/portal/reports/2027');
      const [row] = await db.select().from(partnerLinks).where(eq(partnerLinks.id, valid.tokenId));
      expect(row?.useCount).toBe(expected);
    }
    const uses = await db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.entityType, 'partner_link'), eq(auditLog.entityId, String(valid.tokenId)))).orderBy(auditLog.id);
    expect(uses.map((row) => row.action)).toEqual(['issued', 'used', 'used']);
    // The hash alone is stored.
    expect(JSON.stringify(await linkRows())).not.toContain(valid.token);
    expect((await db.select().from(partnerLinks).where(eq(partnerLinks.tokenHash, tokenHash(valid.token)))).length).toBe(1);
  });
});
