/**
 * Happy paths of the routes no other test walked (see test/support/route-tests.ts): the stylesheet
 * and docs script, the landing redirects, logging out from a page, and the staff's accession
 * pages that download the agreement, reject an accession and record a partner leaving; and the
 * role matrix over every staff API route (staff, caseworker, signatory, admin, partner, nobody).
 * On real parts: PostgreSQL, the time-skipping Temporal server with the product's worker, the app.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations, webSessions } from '../../src/db/schema';
import type { LinkPurpose } from '../../src/email/partner-links';
import { tokenHash } from '../../src/http/secrets';
import { accessionWorkflowId } from '../../workflows/contracts/accession';
import { lifecycleStatusQuery, lifecycleWorkflowId } from '../../workflows/contracts/lifecycle';
import { accessionStart } from '../support/accession-start';
import { openApiKey } from '../support/route-tests';
import { createWebWorld, type WebWorld } from '../support/web-world';
import { untilIdle } from '../support/workflow-story';

let world: WebWorld;
let request: WebWorld['request'];
let sessions: Record<'staff' | 'caseworker' | 'admin' | 'signatory', string>;
const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const thisYear = new Date().getUTCFullYear();

beforeAll(async () => {
  world = await createWebWorld({ onWorkerQueue: true });
  request = world.request;
  sessions = await world.sessionsOfAll();
}, 120_000);

afterAll(async () => {
  await world?.teardown();
});

const cookieOf = (session: string) => ({ cookie: `pf_session=${session}` });
const api = (who: keyof typeof sessions | string, method: string, path: string, body?: unknown) =>
  request(`/api/v1${path}`, { method, token: who in sessions ? sessions[who as keyof typeof sessions] : who, headers: json, ...(body !== undefined && { body: JSON.stringify(body) }) });

const partnerSession = (partnerNumber: number, purpose: LinkPurpose, subject: string) => world.partnerSessionOf(partnerNumber, purpose, subject);

async function stageOf(partnerNumber: number): Promise<string | undefined> {
  const [row] = await world.database.db.select({ status: organisations.status }).from(organisations).where(eq(organisations.number, partnerNumber));
  return row?.status;
}

describe('routes no other test walked', () => {
  it('serves the stylesheet, the API docs’ script and the cycle page’s follow script', async () => {
    const css = await request('/assets/app.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toBe(await readFile(join(process.cwd(), 'src/web/app.css'), 'utf8'));
    const script = await request('/assets/docs.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    // The docs page's content security policy allows scripts from this origin only: the docs start from this file.
    expect(await script.text()).toContain("SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs' })");
    // Pages that wait for the cycle workflow (an opening, a compile) reload through this file: inline scripts are refused.
    const follow = await request('/assets/cycle-follow.js');
    expect(follow.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await follow.text()).toContain("getAttribute('data-follow')");
  });

  it('leads a partner from /portal to its report, and staff from /staff/reports and /staff/cycles to this year’s pages', async () => {
    const report = await partnerSession(2, 'annual-report', '2027');
    const toStatus = await request('/portal', { headers: cookieOf(report) });
    expect(toStatus.status).toBe(303);
    expect(toStatus.headers.get('location')).toBe('/portal/reports/2027/status');
    const declaring = await partnerSession(2, 'declaration', 'accession');
    expect((await request('/portal', { headers: cookieOf(declaring) })).headers.get('location')).toBe('/portal/accession/declaration');
    const nobody = await request('/portal');
    expect(nobody.status).toBe(403);
    expect(await nobody.text()).toContain('Bitte öffnen Sie den Link aus Ihrer E-Mail erneut.');

    for (const who of ['staff', 'caseworker', 'signatory', 'admin'] as const) {
      const staffHome = await request('/staff', { headers: cookieOf(sessions[who]) });
      expect([who, staffHome.status, staffHome.headers.get('location')]).toEqual([who, 303, '/staff/reports']);
      const board = await request('/staff/reports', { headers: cookieOf(sessions[who]) });
      expect([who, board.status, board.headers.get('location')]).toEqual([who, 303, `/staff/reports/${thisYear}`]);
      const cycles = await request('/staff/cycles', { headers: cookieOf(sessions[who]) });
      expect([who, cycles.status, cycles.headers.get('location')]).toEqual([who, 303, `/staff/cycles/${thisYear}`]);
    }
    expect((await request('/staff/reports?year=2027', { headers: cookieOf(sessions.staff) })).headers.get('location')).toBe('/staff/reports/2027');
    // A partner is no staff member; nobody logged in is sent to the login.
    expect((await request('/staff/reports', { headers: cookieOf(report) })).status).toBe(403);
    expect((await request('/staff/cycles', { headers: cookieOf(report) })).status).toBe(403);
    expect((await request('/staff/reports')).headers.get('location')).toBe('/staff/login');
  });

  it('ends the session on the logout button, clears the cookie, and the next page asks for a login', async () => {
    const session = await world.sessionOf('caseworker');
    expect((await request('/staff/reports/2027', { headers: cookieOf(session) })).status).toBe(200);
    const out = await request('/logout', { method: 'POST', headers: { ...form, ...cookieOf(session) }, body: '' });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/');
    expect(out.headers.get('set-cookie')).toMatch(/^pf_session=; Max-Age=0; Path=\//);
    const [row] = await world.database.db.select().from(webSessions).where(eq(webSessions.tokenHash, tokenHash(session)));
    expect(row?.endedAt).toBeInstanceOf(Date);
    const after = await request('/staff/reports/2027', { headers: cookieOf(session) });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/staff/login');

    // A partner logs out alike: the session its link opened ends, the link itself stays valid.
    const partner = await partnerSession(2, 'annual-report', '2027');
    expect((await request('/logout', { method: 'POST', headers: { ...form, ...cookieOf(partner) }, body: '' })).status).toBe(303);
    expect((await request('/portal', { headers: cookieOf(partner) })).status).toBe(403);
  });

  it('lets staff download the agreement, reject an accession and record a partner leaving, on the pages, by role', async () => {
    await world.withWorker(async () => {
      // Organisation 50 all the way to an active partner, through the API.
      expect((await api('caseworker', 'POST', '/accessions', accessionStart({ number: 50, name: 'Stadt Hamm' }))).status).toBe(201);
      await expect.poll(() => stageOf(50), { timeout: 20_000 }).toBe('invited');
      // Each decision once the mails of the step before are out (untilIdle: the test server's refused completion).
      const accession50 = world.env.client.workflow.getHandle(accessionWorkflowId(50));
      await untilIdle(accession50);
      const declaring = await partnerSession(50, 'declaration', 'accession');
      const declaration = JSON.parse(await readFile(join(process.cwd(), 'test/fixtures/declarations/solingen.json'), 'utf8')) as unknown;
      expect((await api(declaring, 'POST', '/partner/accession/declaration', declaration)).status).toBe(201);
      await untilIdle(accession50);
      expect((await api('caseworker', 'POST', '/accessions/50/review', { outcome: 'accept' })).status).toBe(200);
      await untilIdle(accession50);

      // The agreement PDF: every staff role reads it, a partner's session does not.
      for (const who of ['staff', 'caseworker', 'signatory', 'admin'] as const) {
        const pdf = await request('/staff/accessions/50/agreement.pdf', { headers: cookieOf(sessions[who]) });
        expect([who, pdf.status, pdf.headers.get('content-type')]).toEqual([who, 200, 'application/pdf']);
        expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
      }
      expect((await request('/staff/accessions/50/agreement.pdf', { headers: cookieOf(declaring) })).status).toBe(403);

      expect((await api('signatory', 'POST', '/accessions/50/signatures', { party: 'ministry', signer: 'Serap Güler', role: 'Staatssekretärin für Integration' })).status).toBe(200);
      await untilIdle(accession50);
      expect((await api('caseworker', 'POST', '/accessions/50/signatures', { party: 'partner', signer: 'Tim Kurzbach', role: 'Oberbürgermeister' })).status).toBe(200);
      const lifecycle = world.env.client.workflow.getHandle(lifecycleWorkflowId(50));
      await expect.poll(async () => (await lifecycle.query(lifecycleStatusQuery).catch(() => undefined))?.phase, { timeout: 30_000 }).toBe('active');
      await untilIdle(lifecycle);

      // The partner leaves: a staff member or signatory may not record it, a caseworker with a reason may.
      const leave = (who: keyof typeof sessions, fields: Record<string, string>) =>
        request('/staff/accessions/50/partnership/withdrawal', { method: 'POST', headers: { ...form, ...cookieOf(sessions[who]) }, body: new URLSearchParams(fields).toString() });
      for (const who of ['staff', 'signatory'] as const) expect([who, (await leave(who, { 'leave-reason': 'Umstrukturierung' })).status]).toEqual([who, 403]);
      expect((await lifecycle.query(lifecycleStatusQuery)).phase).toBe('active');
      const left = await leave('caseworker', { 'leave-reason': 'Umstrukturierung der Verwaltung', 'leave-date': '' });
      expect(left.status).toBe(303);
      expect(left.headers.get('location')).toBe('/staff/accessions/50?done=1');
      expect(await lifecycle.query(lifecycleStatusQuery)).toMatchObject({ phase: 'withdrawn', withdrawal: { reason: 'Umstrukturierung der Verwaltung', by: 'Jana Becker' } });
      await expect.poll(() => stageOf(50), { timeout: 20_000 }).toBe('left');

      // Organisation 51 is rejected from its page, with a reason; the admin may do it too, a staff member not.
      expect((await api('caseworker', 'POST', '/accessions', accessionStart({ number: 51, name: 'Stadt Herne' }))).status).toBe(201);
      await expect.poll(() => stageOf(51), { timeout: 20_000 }).toBe('invited');
      await untilIdle(world.env.client.workflow.getHandle(accessionWorkflowId(51)));
      const end = (who: keyof typeof sessions, reason: string) =>
        request('/staff/accessions/51/end/rejected', { method: 'POST', headers: { ...form, ...cookieOf(sessions[who]) }, body: new URLSearchParams({ 'end-rejected-reason': reason }).toString() });
      expect((await end('staff', 'Keine Zielgruppe')).status).toBe(403);
      const rejected = await end('admin', 'Die Organisation gehört nicht zur Zielgruppe.');
      expect(rejected.status).toBe(303);
      expect(rejected.headers.get('location')).toBe('/staff/accessions/51?done=1');
      const status = (await (await api('staff', 'GET', '/accessions/51')).json()) as { status: { phase: string; endReason?: string } };
      expect(status.status).toMatchObject({ phase: 'rejected', endReason: 'Die Organisation gehört nicht zur Zielgruppe.' });
      const page = await (await request('/staff/accessions/51', { headers: cookieOf(sessions.staff) })).text();
      expect(page).toContain('Die Organisation gehört nicht zur Zielgruppe.');
    });
  });

  it('lets each staff role do what its role may on every staff API route, refuses the others (403) and partners and strangers (401), and the refusals change nothing', async () => {
    type Role = 'staff' | 'caseworker' | 'signatory' | 'admin';
    const everyone: Role[] = ['staff', 'caseworker', 'signatory', 'admin'];
    const deciders: Role[] = ['caseworker', 'admin'];
    const future = new Date(Date.now() + 86_400_000).toISOString();
    // Bodies valid for the route, so the refusal is the role's, not the schema's. Written out rather than
    // read from the permissions table, so a route wired to the wrong list fails here.
    const matrix: { key: string; path: string; body?: unknown; may: Role[]; refusalsOnly?: true }[] = [
      { key: 'GET /api/v1/reports/:year', path: '/reports/2027', may: everyone },
      { key: 'POST /api/v1/reports/:year/:partner/decisions/:decision', path: '/reports/2027/2/decisions/accept', body: {}, may: deciders },
      { key: 'POST /api/v1/reports/:year/:partner/links', path: '/reports/2027/2/links', body: { expiresAt: future }, may: deciders },
      {
        key: 'POST /api/v1/reports/:year/:partner/versions/:reference/classifications',
        path: '/reports/2027/2/versions/JB-2027-02-V1/classifications',
        body: { path: 'sections[0].fieldOfAction', value: 'FORTBILDUNG' },
        may: deciders,
      },
      { key: 'DELETE /api/v1/links/:id', path: '/links/999999', may: deciders },
      // Listing needs a visibility store the time-skipping server lacks: the browser test lists on the dev server.
      { key: 'GET /api/v1/workflows', path: '/workflows', may: ['admin'], refusalsOnly: true },
      { key: 'GET /api/v1/workflows/:id/history', path: '/workflows/no-such/history', may: ['admin'] },
      { key: 'POST /api/v1/workflows/:id/:action', path: '/workflows/no-such/cancel', body: { reason: 'Test' }, may: ['admin'] },
      { key: 'GET /api/v1/workflows/:id/emails', path: '/workflows/no-such/emails', may: ['admin'] },
      { key: 'POST /api/v1/emails/:id/resend', path: '/emails/999999/resend', body: { reason: 'Test' }, may: ['admin'] },
      { key: 'GET /api/v1/accessions', path: '/accessions', may: everyone },
      { key: 'POST /api/v1/accessions', path: '/accessions', body: accessionStart({ number: 70, name: 'Stadt Bottrop' }), may: deciders },
      { key: 'GET /api/v1/accessions/:partner', path: '/accessions/2', may: everyone },
      { key: 'POST /api/v1/accessions/:partner/review', path: '/accessions/2/review', body: { outcome: 'accept' }, may: deciders },
      { key: 'POST /api/v1/accessions/:partner/signatures', path: '/accessions/2/signatures', body: { party: 'ministry', signer: 'Serap Güler', role: 'Staatssekretärin' }, may: ['signatory'] },
      { key: 'POST /api/v1/accessions/:partner/signatures', path: '/accessions/2/signatures', body: { party: 'partner', signer: 'Dr. Axel Lehmann', role: 'Landrat' }, may: deciders },
      { key: 'POST /api/v1/accessions/:partner/end', path: '/accessions/2/end', body: { outcome: 'rejected', reason: 'Test' }, may: deciders },
      { key: 'POST /api/v1/accessions/:partner/partnership/withdrawal', path: '/accessions/2/partnership/withdrawal', body: { reason: 'Test' }, may: deciders },
      { key: 'POST /api/v1/cycles/:year/preview', path: '/cycles/2040/preview', body: { dueDate: '2040-03-30' }, may: everyone },
      { key: 'POST /api/v1/cycles/:year/open', path: '/cycles/2040/open', body: { dueDate: '2040-03-30' }, may: deciders },
      { key: 'GET /api/v1/cycles/:year/status', path: '/cycles/2040/status', may: everyone },
      { key: 'GET /api/v1/cycles/:year/progress', path: '/cycles/2040/progress', may: everyone },
      { key: 'GET /api/v1/cycles/:year/compilations/requests/:requestId', path: '/cycles/2040/compilations/requests/no-such', may: everyone },
      { key: 'POST /api/v1/cycles/:year/compilations', path: '/cycles/2040/compilations', body: {}, may: deciders },
      { key: 'GET /api/v1/cycles/:year/compilations', path: '/cycles/2040/compilations', may: everyone },
      { key: 'GET /api/v1/cycles/:year/compilations/:version/:file', path: '/cycles/2040/compilations/1/bericht.pdf', may: everyone },
      { key: 'POST /api/v1/cycles/:year/compilations/:version/typesetting', path: '/cycles/2040/compilations/1/typesetting', may: deciders },
      { key: 'GET /api/v1/organisations', path: '/organisations', may: everyone },
      { key: 'GET /api/v1/organisations/:number', path: '/organisations/2', may: everyone },
      { key: 'GET /api/v1/organisations/:number/contacts', path: '/organisations/2/contacts', may: everyone },
    ];
    const document = (await (await request('/openapi.json')).json()) as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const staffOperations = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => !operation.tags?.some((tag) => tag === 'partner' || tag === 'session'))
        .map(([method]) => openApiKey(method, path.replace(/^\/api\/v1/, '/api/v1'))),
    );
    expect([...new Set(matrix.map((row) => row.key))].sort()).toEqual(staffOperations.sort());

    const partner = await partnerSession(2, 'annual-report', '2027');
    const digest = async () =>
      (await world.database.db.execute<{ digest: string }>(sql`select string_agg(t.n || ':' || t.d, ',' order by t.n) as digest from (
        select 'report_versions' as n, count(*)::text as d from report_versions union all select 'accessions', count(*)::text from accessions
        union all select 'organisations', md5(string_agg(o::text, '|' order by o.id)) from organisations o union all select 'partner_links', md5(string_agg(l::text, '|' order by l.id)) from partner_links l
        union all select 'reporting_cycles', count(*)::text from reporting_cycles union all select 'compiled_reports', count(*)::text from compiled_reports
        union all select 'signatures', count(*)::text from signatures union all select 'audit_log', count(*)::text from audit_log) t`))[0]?.digest;
    const before = await digest();
    const wrong: string[] = [];
    for (const row of matrix) {
      const method = row.key.split(' ')[0]!;
      for (const who of [...everyone, 'partner', 'nobody'] as const) {
        const allowed = (row.may as string[]).includes(who);
        // Mutations run only for the refused; the allowed ones are walked by the happy-path tests.
        if (allowed && (method !== 'GET' || row.refusalsOnly)) continue;
        const token = who === 'partner' ? partner : who === 'nobody' ? undefined : sessions[who];
        const response = await request(`/api/v1${row.path}`, { method, ...(token && { token }), headers: json, ...(row.body !== undefined && { body: JSON.stringify(row.body) }) });
        const expected = allowed ? 'answered' : who === 'partner' || who === 'nobody' ? 401 : 403;
        const got = allowed ? (response.status === 401 || response.status === 403 || response.status >= 500 ? response.status : 'answered') : response.status;
        if (got !== expected) wrong.push(`${row.key} (${row.path}) as ${who}: ${response.status} ${await response.text()}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await digest()).toBe(before);
  });
});
