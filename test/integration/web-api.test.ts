/**
 * The HTTP API and the pages' server side, on real parts: PostgreSQL, the time-skipping Temporal
 * server with a worker, the annual report workflow. Happy paths, bad input (4xx with field lines),
 * the authorisation matrix, and scanner-style GETs that change nothing.
 */
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations, partnerLinks, reportVersions, webSessions } from '../../src/db/schema';
import { createApp } from '../../src/http/app';
import { auditActionsOf } from '../support/audit';
import { partner } from '../support/reporting-world';
import { loadedHandle, loadedStatus, readReportFixture, untilIdle } from '../support/workflow-story';
import { createWebWorld, origin, people, password, type WebWorld } from '../support/web-world';

let world: WebWorld;
const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

beforeAll(async () => {
  world = await createWebWorld();
  for (const year of [2027, 2028, 2029, 2030]) await world.openCycle(year, `${year}-03-31`);
});

afterAll(async () => {
  await world.teardown();
});

const partnerSession = (year = 2027) => world.partnerSessionOf(partner.number, 'annual-report', String(year));

const auditActions = (entityType: string, entityId: string) => auditActionsOf(world.database.db, entityType, entityId);

describe('the server itself', () => {
  it('serves an OpenAPI document generated from the route schemas, its docs, and KERN from local files', async () => {
    const document = (await (await world.request('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/partner/reports/{year}/submission',
        '/api/v1/reports/{year}/{partner}/decisions/{decision}',
        '/api/v1/workflows/{id}/history',
        '/api/v1/session/link',
      ]),
    );
    expect(JSON.stringify(document.paths['/api/v1/partner/reports/{year}/submission'])).toContain('#/components/schemas/ReportSubmission');
    expect(JSON.stringify(document)).toContain('"reportingPeriod"');
    const docs = await world.request('/api/docs');
    expect(await docs.text()).toContain('/assets/swagger/swagger-ui-bundle.js');
    expect((await world.request('/assets/swagger/swagger-ui-bundle.js')).status).toBe(200);
    const css = await world.request('/assets/kern/kern.min.css');
    expect(css.headers.get('content-type')).toContain('text/css');
    expect((await world.request('/assets/kern/fonts/fira-sans/FiraSans-Regular.woff2')).status).toBe(200);
    expect((await world.request('/assets/kern/..%2F..%2Fpackage.json')).status).toBe(404);
  });

  it('sends security headers and refuses a form post from another origin', async () => {
    const home = await world.request('/');
    expect(home.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(home.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(home.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await home.text()).toContain('lang="de"');
    const english = await world.request('/?lang=en');
    expect(await english.text()).toContain('lang="en"');

    const { token } = await world.issueLink();
    const forged = await world.request(`/link/${token}`, { method: 'POST', headers: { ...form, origin: 'https://evil.example' }, body: '' });
    expect(forged.status).toBe(403);
    const [link] = await world.database.db.select().from(partnerLinks).where(eq(partnerLinks.tokenHash, (await import('../../src/http/secrets')).tokenHash(token)));
    expect(link?.useCount).toBe(0);
  });
});

describe('partner links', () => {
  it('a scanner’s GET shows a button and changes nothing; the person’s POST opens a session and leaves the token behind', async () => {
    const { token, tokenId } = await world.issueLink();
    for (let i = 0; i < 3; i += 1) {
      const scanned = await world.request(`/link/${token}`);
      expect(scanned.status).toBe(200);
      expect(scanned.headers.get('set-cookie')).toBeNull();
      expect(await scanned.text()).toContain('Weiter zum Bericht');
    }
    const [untouched] = await world.database.db.select().from(partnerLinks).where(eq(partnerLinks.id, tokenId));
    expect(untouched?.useCount).toBe(0);
    expect(await auditActions('partner_link', String(tokenId))).toEqual(['issued']);

    const opened = await world.request(`/link/${token}`, { method: 'POST', headers: form, body: '' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/portal/reports/2027');
    const cookie = opened.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^pf_session=[\w-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    const [used] = await world.database.db.select().from(partnerLinks).where(eq(partnerLinks.id, tokenId));
    expect(used?.useCount).toBe(1);
    expect(await auditActions('partner_link', String(tokenId))).toEqual(['issued', 'used']);
    // The token is stored only as its hash.
    expect(JSON.stringify(used)).not.toContain(token);
  });

  it('refuses expired, revoked and unknown links, and a revoked link ends the sessions it opened', async () => {
    const expired = await world.issueLink({ expiresAt: new Date(Date.now() - 1000) });
    expect((await world.request(`/link/${expired.token}`)).status).toBe(404);
    const refused = await world.request(`/link/${expired.token}`, { method: 'POST', headers: form, body: '' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Dieser Link ist nicht gültig');
    expect(await auditActions('partner_link', String(expired.tokenId))).toEqual(['issued', 'refused-expired']);
    expect((await world.request('/api/v1/session/link', { method: 'POST', headers: json, body: JSON.stringify({ token: 'x'.repeat(43) }) })).status).toBe(404);
    const hmacLink = await world.request('/reports/2027/2?token=c2lnbmVk');
    expect(hmacLink.status).toBe(404);
    expect(await hmacLink.text()).toContain('Ansprechperson im Ministerium');

    const link = await world.issueLink();
    const session = ((await (await world.request('/api/v1/session/link', { method: 'POST', headers: json, body: JSON.stringify({ token: link.token }) })).json()) as { sessionToken: string }).sessionToken;
    expect((await world.request('/api/v1/partner/reports/2027/draft', { token: session })).status).toBe(200);
    const caseworker = await world.sessionOf('caseworker');
    const staffOnly = await world.request(`/api/v1/links/${link.tokenId}`, { method: 'DELETE', token: await world.sessionOf('staff') });
    expect(staffOnly.status).toBe(403);
    expect((await world.request(`/api/v1/links/${link.tokenId}`, { method: 'DELETE', token: caseworker })).status).toBe(204);
    expect((await world.request(`/api/v1/links/${link.tokenId}`, { method: 'DELETE', token: caseworker })).status).toBe(404);
    expect((await world.request('/api/v1/partner/reports/2027/draft', { token: session })).status).toBe(401);
    const reused = await world.request('/api/v1/session/link', { method: 'POST', headers: json, body: JSON.stringify({ token: link.token }) });
    expect(reused.status).toBe(403);
    expect(await auditActions('partner_link', String(link.tokenId))).toEqual(['issued', 'used', 'revoked', 'refused-request', 'refused-revoked']);
  });

  it('lets staff issue a new link for a partner’s report, for the future only', async () => {
    const caseworker = await world.sessionOf('caseworker');
    const past = await world.request('/api/v1/reports/2027/2/links', { method: 'POST', token: caseworker, headers: json, body: JSON.stringify({ expiresAt: '2020-01-01T00:00:00Z' }) });
    expect(past.status).toBe(422);
    expect(await past.json()).toEqual({ errors: ['expiresAt: must be in the future'] });
    const malformed = await world.request('/api/v1/reports/2027/2/links', { method: 'POST', token: caseworker, headers: json, body: JSON.stringify({ expiresAt: 'tomorrow' }) });
    expect(malformed.status).toBe(422);
    expect(((await malformed.json()) as { errors: string[] }).errors[0]).toMatch(/^expiresAt: /);
    const issued = await world.request('/api/v1/reports/2027/2/links', { method: 'POST', token: caseworker, headers: json, body: JSON.stringify({ expiresAt: new Date(Date.now() + 86_400_000).toISOString() }) });
    expect(issued.status).toBe(201);
    const { url } = (await issued.json()) as { url: string };
    expect(url).toMatch(/^http:\/\/localhost:3000\/link\/[\w-]{43}$/);
    expect((await world.request(new URL(url).pathname)).status).toBe(200);
    expect((await world.request('/api/v1/reports/2027/99/links', { method: 'POST', token: caseworker, headers: json, body: JSON.stringify({ expiresAt: new Date(Date.now() + 86_400_000).toISOString() }) })).status).toBe(404);
  });
});

describe('links on the staff board', () => {
  it('issues a link shown once and revokes every link of a partner’s report', async () => {
    const cookie = `pf_session=${await world.sessionOf('caseworker')}`;
    const post = (path: string, body: Record<string, string>) => world.request(path, { method: 'POST', headers: { ...form, cookie }, body: new URLSearchParams(body).toString() });
    const past = await post('/staff/reports/2027/2/links', { '2-links-expiresOn': '2020-01-01' });
    expect(past.status).toBe(422);
    expect(await past.text()).toContain('Bitte ein Datum in der Zukunft als JJJJ-MM-TT eingeben.');
    const issued = await post('/staff/reports/2027/2/links', { '2-links-expiresOn': `${new Date().getUTCFullYear() + 1}-12-31` });
    expect(issued.status).toBe(200);
    const url = /http:\/\/localhost:3000(\/link\/[\w-]{43})/.exec(await issued.text())?.[1];
    expect(url).toBeDefined();
    expect((await world.request(url!)).status).toBe(200);
    const staffCookie = `pf_session=${await world.sessionOf('staff')}`;
    expect((await world.request('/staff/reports/2027/2/links/revoke', { method: 'POST', headers: { ...form, cookie: staffCookie }, body: '' })).status).toBe(403);
    const revoked = await post('/staff/reports/2027/2/links/revoke', {});
    expect(await revoked.text()).toMatch(/[1-9]\d* Link\(s\) widerrufen\./);
    expect((await world.request(url!)).status).toBe(404);
  });
});

describe('the partner API', () => {
  it('submits a report once per idempotency key, with field errors for bad input and nothing stored', async () => {
    await world.withWorker(async () => {
      await untilIdle(await loadedHandle(world.startReport({ year: 2027 })));
      const session = await partnerSession(2027);
      const status = (await (await world.request('/api/v1/partner/reports/2027', { token: session })).json()) as { phase: string; partnerName: string };
      expect(status).toMatchObject({ phase: 'awaiting_submission', partnerName: 'Kreis Lippe' });

      const bad = await world.request('/api/v1/partner/reports/2027/submission', {
        method: 'POST',
        token: session,
        headers: json,
        body: JSON.stringify({
          reportingPeriod: { stated: false },
          author: { name: 'N.N.', role: 'Leitung' },
          blocks: [],
          sections: [{ heading: 'Fortbildung', level: 1, fieldOfAction: { stated: false }, blocks: [{ kind: 'measure', title: { stated: false }, fieldOfAction: { stated: false }, status: 'laufend', description: 'Seminar.', figures: [{ label: 'Teilnehmende', category: 'training', value: { kind: 'number', printed: '1.500', number: 15 }, unit: { stated: false }, referenceDate: { stated: false }, status: 'erhoben' }] }] }],
        }),
      });
      expect(bad.status).toBe(422);
      expect(((await bad.json()) as { errors: string[] }).errors).toEqual([
        'author.name: looks like a placeholder; if it was not stated, give { "stated": false }',
        'sections[0].blocks[0].figures[0].value.number: must be 1500, the number printed in "1.500"',
      ]);
      expect(await world.database.db.select().from(reportVersions)).toEqual([]);

      const report = await readReportFixture('02-kreis-lippe.json');
      const submit = () =>
        world.request('/api/v1/partner/reports/2027/submission', { method: 'POST', token: session, headers: { ...json, 'Idempotency-Key': 'submit-2027-first' }, body: JSON.stringify(report) });
      const first = await submit();
      expect(first.status).toBe(201);
      const receipt = (await first.json()) as { reference: string; version: number };
      expect(receipt).toMatchObject({ reference: 'JB-2027-02-V1', version: 1 });
      const retried = await submit();
      expect(retried.status).toBe(201);
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect(await retried.json()).toEqual(receipt);
      expect(await world.database.db.select().from(reportVersions)).toHaveLength(1);
      const otherBody = await world.request('/api/v1/partner/reports/2027/submission', {
        method: 'POST',
        token: session,
        headers: { ...json, 'Idempotency-Key': 'submit-2027-first' },
        body: JSON.stringify({ ...(report as object), author: { name: 'Petra Schmidt', role: { stated: false } } }),
      });
      expect(otherBody.status).toBe(422);
      expect(((await otherBody.json()) as { errors: string[] }).errors).toEqual(['Idempotency-Key: was used before for a different request']);

      const timeline = (await (await world.request('/api/v1/partner/reports/2027/timeline', { token: session })).json()) as { kind: string; action?: string }[];
      expect(timeline.some((entry) => entry.kind === 'event' && entry.action === 'submitted')).toBe(true);
    });
  });

  it('keeps a partner to its own organisation and year', async () => {
    const [other] = await world.database.db.insert(organisations).values({ number: 7, name: 'Stadt Solingen', kind: 'municipality', status: 'active', accessionDate: '2013-01-10' }).returning();
    const otherSession = await (async () => {
      const { token } = await world.issueLink({ partnerNumber: other?.number });
      return ((await (await world.request('/api/v1/session/link', { method: 'POST', headers: json, body: JSON.stringify({ token }) })).json()) as { sessionToken: string }).sessionToken;
    })();
    const saved = await world.request('/api/v1/partner/reports/2027/draft', { method: 'PUT', token: otherSession, headers: json, body: JSON.stringify({ fields: { 'blocks[0].text': 'Solingen' } }) });
    expect(saved.status).toBe(200);
    const notText = await world.request('/api/v1/partner/reports/2027/draft', { method: 'PUT', token: otherSession, headers: json, body: JSON.stringify({ fields: { 'blocks[0].text': 7 } }) });
    expect(notText.status).toBe(422);
    expect(((await notText.json()) as { errors: string[] }).errors[0]).toMatch(/^fields\["blocks\[0\]\.text"\]: /);
    const notJson = await world.request('/api/v1/partner/reports/2027/draft', { method: 'PUT', token: otherSession, headers: json, body: '{' });
    expect(notJson.status).toBeGreaterThanOrEqual(400);
    expect(notJson.status).toBeLessThan(500);
    const mine = await partnerSession(2027);
    expect(await (await world.request('/api/v1/partner/reports/2027/draft', { token: mine })).json()).toEqual({ fields: {} });
    expect((await world.request('/api/v1/partner/reports/2028/draft', { token: mine })).status).toBe(403);
    expect((await world.request('/api/v1/partner/reports/2028', { token: mine })).status).toBe(403);
    expect((await world.request('/api/v1/reports/2027', { token: mine })).status).toBe(401);
    expect((await world.request('/api/v1/workflows', { token: mine })).status).toBe(401);
    expect((await world.request('/portal/reports/2028', { headers: { cookie: `pf_session=${mine}` } })).status).toBe(403);
    expect((await world.request('/api/v1/partner/reports/2027')).status).toBe(401);
  });
});

describe('staff decisions', () => {
  it('accepts on the board through the workflow’s Update; bad input gets field lines and a 4xx, the wrong role a 403', async () => {
    await world.withWorker(async () => {
      await untilIdle(await loadedHandle(world.startReport({ year: 2028 })));
      const partner = await partnerSession(2028);
      const report = await readReportFixture('02-kreis-lippe.json');
      expect((await world.request('/api/v1/partner/reports/2028/submission', { method: 'POST', token: partner, headers: json, body: JSON.stringify(report) })).status).toBe(201);

      const staff = await world.sessionOf('staff');
      const board = (await (await world.request('/api/v1/reports/2028', { token: staff })).json()) as { partner: number; phase: string }[];
      expect(board).toContainEqual(expect.objectContaining({ partner: 2, phase: 'submitted' }));
      expect((await world.request('/api/v1/reports/2028/2/decisions/accept', { method: 'POST', token: staff, headers: json, body: '{}' })).status).toBe(403);

      const caseworker = await world.sessionOf('caseworker');
      const badDate = await world.request('/api/v1/reports/2028/2/decisions/extension', { method: 'POST', token: caseworker, headers: json, body: JSON.stringify({ dueDate: '2028-02-30', reason: 'Krankheit' }) });
      expect(badDate.status).toBe(422);
      expect(await badDate.json()).toEqual({ errors: ['dueDate: must be a real date as YYYY-MM-DD'] });
      const noComments = await world.request('/api/v1/reports/2028/2/decisions/revision', { method: 'POST', token: caseworker, headers: json, body: '{}' });
      expect(noComments.status).toBe(422);
      expect(((await noComments.json()) as { errors: string[] }).errors).toEqual([expect.stringMatching(/^comments: /)]);
      expect((await world.request('/api/v1/reports/2028/2/decisions/approve', { method: 'POST', token: caseworker, headers: json, body: '{}' })).status).toBe(422);
      expect((await world.request('/api/v1/reports/2028/55/decisions/accept', { method: 'POST', token: caseworker, headers: json, body: '{}' })).status).toBe(404);

      const accepted = await world.request('/api/v1/reports/2028/2/decisions/accept', { method: 'POST', token: caseworker, headers: { ...json, 'Idempotency-Key': 'accept-2028-2' }, body: JSON.stringify({ comment: 'Danke' }) });
      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toMatchObject({ phase: 'accepted' });
      const again = await world.request('/api/v1/reports/2028/2/decisions/accept', { method: 'POST', token: caseworker, headers: json, body: '{}' });
      expect(again.status).toBe(409);
    });
  });
});

describe('the admin API', () => {
  it('lists workflows by filter, shows a history with its Temporal UI link, and terminates with a reason, audited', async () => {
    await world.withWorker(async () => {
      await loadedStatus(await world.startReport({ year: 2029 }));
      const caseworker = await world.sessionOf('caseworker');
      expect((await world.request('/api/v1/workflows', { token: caseworker })).status).toBe(403);
      const half = ((await (await world.request('/api/v1/session/login', { method: 'POST', headers: json, body: JSON.stringify({ email: people.admin.email, password }) })).json()) as { sessionToken: string; secondFactorPending: boolean });
      expect(half.secondFactorPending).toBe(true);
      expect((await world.request('/api/v1/workflows', { token: half.sessionToken })).status).toBe(401);
      expect((await world.request('/api/v1/session/second-factor', { method: 'POST', token: half.sessionToken, headers: json, body: JSON.stringify({ code: '000000' === world.totpNow() ? '111111' : '000000' }) })).status).toBe(422);

      const admin = await world.sessionOf('admin');
      const badFilter = await world.request('/api/v1/workflows?year=abc', { token: admin });
      expect(badFilter.status).toBe(422);
      expect(((await badFilter.json()) as { errors: string[] }).errors[0]).toMatch(/^year: /);
      const id = 'annual-report/2/2029';
      // Listing needs a visibility store, which the time-skipping server lacks: test/e2e covers it on the dev server.
      const history = (await (await world.request(`/api/v1/workflows/${encodeURIComponent(id)}/history`, { token: admin })).json()) as { temporalUiUrl: string; events: { event: string }[] };
      expect(history.temporalUiUrl).toBe('http://localhost:8233/namespaces/default/workflows/annual-report%2F2%2F2029');
      expect(history.events[0]?.event).toBe('WorkflowExecutionStarted');
      expect((await world.request(`/api/v1/workflows/${encodeURIComponent('no/such')}/history`, { token: admin })).status).toBe(404);

      const noReason = await world.request(`/api/v1/workflows/${encodeURIComponent(id)}/terminate`, { method: 'POST', token: admin, headers: json, body: JSON.stringify({ reason: ' ' }) });
      expect(noReason.status).toBe(422);
      expect(await noReason.json()).toEqual({ errors: ['reason: must not be empty'] });
      const done = await world.request(`/api/v1/workflows/${encodeURIComponent(id)}/terminate`, { method: 'POST', token: admin, headers: json, body: JSON.stringify({ reason: 'Testlauf beenden' }) });
      expect(done.status).toBe(200);
      expect(await auditActions('workflow', id)).toEqual(['terminate']);
      expect((await world.request(`/api/v1/workflows/${encodeURIComponent(id)}/cancel`, { method: 'POST', token: admin, headers: json, body: JSON.stringify({ reason: 'nochmal' }) })).status).toBe(409);
    });
  });

  it('cancels a workflow from the admin page only with a reason, and only for admins', async () => {
    await world.openCycle(2031, '2031-03-31');
    await world.withWorker(async () => {
      await loadedStatus(await world.startReport({ year: 2031 }));
      const id = 'annual-report/2/2031';
      const post = (cookie: string, reason: string) =>
        world.request('/admin/workflow/cancel', { method: 'POST', headers: { ...form, cookie }, body: new URLSearchParams({ id, reason }).toString() });
      expect((await post(`pf_session=${await world.sessionOf('caseworker')}`, 'Test')).status).toBe(403);
      const admin = `pf_session=${await world.sessionOf('admin')}`;
      const page = await world.request(`/admin/workflow?id=${encodeURIComponent(id)}`, { headers: { cookie: admin } });
      expect(await page.text()).toContain('href="http://localhost:8233/namespaces/default/workflows/annual-report%2F2%2F2031"');
      const empty = await post(admin, '  ');
      expect(empty.status).toBe(422);
      expect(await empty.text()).toContain('Bitte füllen Sie dieses Feld aus.');
      const done = await post(admin, 'Partner ist ausgetreten');
      expect(done.status).toBe(303);
      expect(await auditActions('workflow', id)).toEqual(['cancel']);
    });
  });

  it('ends a session on logout', async () => {
    const token = await world.sessionOf('staff');
    expect((await world.request('/api/v1/reports/2027', { token })).status).toBe(200);
    expect((await world.request('/api/v1/session', { method: 'DELETE', token })).status).toBe(204);
    expect((await world.request('/api/v1/reports/2027', { token })).status).toBe(401);
    expect((await world.request('/api/v1/session', { method: 'DELETE', token })).status).toBe(401);
  });

  it('limits login attempts per client', async () => {
    const app = createApp({ db: world.database.db, config: world.config, temporal: world.env.client, rateLimitPerMinute: 2 });
    const attempt = () => app.request(`${origin}/api/v1/session/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: people.staff.email, password: 'falsch' }) });
    expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('the partner’s form, server side', () => {
  it('shows German field messages next to the fields and keeps what was typed; a good submission leads to the receipt', async () => {
    await world.withWorker(async () => {
      await untilIdle(await loadedHandle(world.startReport({ year: 2030 })));
      const { token } = await world.issueLink({ year: 2030 });
      const opened = await world.request(`/link/${token}`, { method: 'POST', headers: form, body: '' });
      const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const fields = {
        'reportingPeriod.stated': 'ja',
        'reportingPeriod.text': '2029/30',
        'author.stated': 'ja',
        'author.name': 'Petra Schmidt',
        'author.role': '',
        'blocks[0].kind': 'text',
        'blocks[0].text': 'Ein gutes Jahr <mit> Sonderzeichen & mehr.',
        'sections[0].heading': '1. Fortbildung',
        'sections[0].fieldOfAction': '',
        'sections[0].blocks[0].kind': 'text',
        'sections[0].blocks[0].text': '',
        'sections[0].blocks[1].kind': 'measure',
        'sections[0].blocks[1].title': 'Seminar',
        'sections[0].blocks[1].description': '',
        'sections[0].blocks[1].status': 'laufend',
        'sections[0].blocks[1].fieldOfAction': '',
        'sections[0].blocks[1].figures[0].label': 'Teilnehmende',
        'sections[0].blocks[1].figures[0].value': 'unter 25',
        'sections[0].blocks[1].figures[0].unit': '',
        'sections[0].blocks[1].figures[0].referenceDate': 'irgendwann',
        'sections[0].blocks[1].figures[0].status': 'erhoben',
        'sections[0].blocks[1].figures[0].category': 'training',
      };
      const send = (values: Record<string, string>, action: string) =>
        world.request('/portal/reports/2030', { method: 'POST', headers: { ...form, cookie }, body: new URLSearchParams({ ...values, action }).toString() });
      const post = (values: Record<string, string>) => send(values, 'submit');

      // "Add a measure" re-renders with one more slot and everything typed still there.
      const added = await send(fields, 'add-measure:sections[0].');
      expect(added.status).toBe(200);
      const addedPage = await added.text();
      expect(addedPage).toContain('name="sections[0].blocks[2].kind" value="measure"');
      expect(addedPage).toContain('value="unter 25"');
      expect(addedPage).not.toContain('Bitte prüfen Sie Ihre Angaben');

      // No choice made on the author: one message at the choice, not a second one from the schema.
      const { ['author.stated']: _choice, ['author.name']: _name, ...undecided } = fields;
      const unchosen = await (await post({ ...undecided, 'sections[0].blocks[1].description': 'Zweitägig.', 'sections[0].blocks[1].figures[0].referenceDate': '' })).text();
      expect(unchosen.match(/<li><a class="kern-link" href="#[^"]+">/g)).toEqual(['<li><a class="kern-link" href="#f-author-stated">']);
      expect(unchosen).toContain('Verfasst von: Bitte wählen Sie, ob Sie dies angeben oder nicht.');
      expect(unchosen).toMatch(/<fieldset class="kern-fieldset kern-fieldset--error" aria-describedby="f-author-stated-error">/);

      const wrong = await post(fields);
      expect(wrong.status).toBe(422);
      const page = await wrong.text();
      expect(page).toContain('Bitte prüfen Sie Ihre Angaben');
      expect(page).toMatch(/<p class="kern-error" id="f-sections-0-blocks-1-description-error">.*Bitte füllen Sie dieses Feld aus\./s);
      expect(page).toContain('aria-describedby="f-sections-0-blocks-1-description-error"');
      expect(page).toMatch(/<p class="kern-error" id="f-sections-0-blocks-1-figures-0-referenceDate-error">.*Dieses Datum kann nicht gelesen werden/s);
      expect(page).toContain('href="#f-sections-0-blocks-1-description">Abschnitt 1, Maßnahme 1: Beschreibung');
      expect(page).toContain('value="Petra Schmidt"');
      expect(page).toContain('value="irgendwann"');
      expect(page).toContain('Ein gutes Jahr &lt;mit&gt; Sonderzeichen &amp; mehr.');
      expect(await world.database.db.select().from(reportVersions).where(eq(reportVersions.reference, 'JB-2030-02-V1'))).toEqual([]);

      // A saved draft comes back exactly as typed, in the form and through the API.
      const saved = await send(fields, 'save');
      expect(saved.status).toBe(200);
      expect(await saved.text()).toContain('Ihr Entwurf wurde gespeichert.');
      expect(await (await world.request('/portal/reports/2030', { headers: { cookie } })).text()).toContain('value="Petra Schmidt"');
      const apiDraft = (await (await world.request('/api/v1/partner/reports/2030/draft', { headers: { cookie } })).json()) as { fields: Record<string, string> };
      expect(apiDraft.fields['blocks[0].text']).toBe(fields['blocks[0].text']);

      const right = await post({ ...fields, 'sections[0].blocks[1].description': 'Zweitägig.', 'sections[0].blocks[1].figures[0].referenceDate': 'Ende 2029' });
      expect(right.status).toBe(303);
      expect(right.headers.get('location')).toBe('/portal/reports/2030/receipts/JB-2030-02-V1');
      const [stored] = await world.database.db.select().from(reportVersions).where(eq(reportVersions.reference, 'JB-2030-02-V1'));
      const content = stored?.content as { author: unknown; sections: { fieldOfAction: unknown; blocks: { figures?: unknown[] }[] }[] };
      expect(content.author).toEqual({ name: 'Petra Schmidt', role: { stated: false } });
      expect(content.sections[0]?.fieldOfAction).toEqual({ stated: false });
      expect(content.sections[0]?.blocks).toHaveLength(1); // the empty text slot is not sent
      expect(content.sections[0]?.blocks[0]?.figures).toEqual([
        { label: 'Teilnehmende', category: 'training', value: { kind: 'threshold', printed: 'unter 25', comparator: 'unter', number: 25 }, unit: { stated: false }, referenceDate: { year: 2029, phase: 'ende', text: 'Ende 2029' }, status: 'erhoben' },
      ]);
      const receipt = await (await world.request('/portal/reports/2030/receipts/JB-2030-02-V1', { headers: { cookie } })).text();
      expect(receipt).toContain('JB-2030-02-V1');
      expect(receipt).toContain('1. Fortbildung');
      expect(receipt).toContain('unter 25');
      expect(receipt).toContain('Ende 2029');
      expect(receipt).toContain('nicht angegeben');
      // Submitted: the draft is gone; a receipt of another year is not found with this year's link.
      expect(await (await world.request('/api/v1/partner/reports/2030/draft', { headers: { cookie } })).json()).toEqual({ fields: {} });
      expect((await world.request('/portal/reports/2030/receipts/JB-2027-02-V1', { headers: { cookie } })).status).toBe(404);
      const sessions = await world.database.db.select().from(webSessions);
      expect(sessions.length).toBeGreaterThan(0);
    });
  });
});

/**
 * Requests to the same world through an app that waits 1.5 s for a worker instead of 20 s. `waitLonger` switches to
 * one that waits 30 s, for the repeat sent once a worker runs: a worker that just started replays the run from its
 * history before it answers, which on a busy machine takes longer than the first post was allowed.
 */
function impatientApp() {
  const withWait = (workflowWaitMs: number) =>
    createApp({ db: world.database.db, config: { ...world.config, web: { workflowWaitMs } }, temporal: world.env.client, rateLimitPerMinute: 1000 });
  let app = withWait(1_500);
  return {
    ask: (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
      app.request(`${origin}${path}`, { ...init, headers: { origin, ...init.headers } }),
    waitLonger: () => {
      app = withWait(30_000);
    },
  };
}

describe('while no worker runs', () => {
  it('answers 503 within the configured wait, and a repeat with the same Idempotency-Key joins the first Update: stored once', async () => {
    const { ask, waitLonger } = impatientApp();
    await world.openCycle(2035, '2035-03-31');
    await world.withWorker(async () => untilIdle(await loadedHandle(world.startReport({ year: 2035 }))));
    const session = await partnerSession(2035);
    const { token } = await world.issueLink({ year: 2035 });
    const cookie = ((await ask(`/link/${token}`, { method: 'POST', headers: form, body: '' })).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const report = await readReportFixture('02-kreis-lippe.json');
    const submit = () =>
      ask('/api/v1/partner/reports/2035/submission', {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${session}`, 'Idempotency-Key': 'submit-2035-no-worker' },
        body: JSON.stringify(report),
      });
    const stored = () => world.database.db.select({ reference: reportVersions.reference }).from(reportVersions).where(like(reportVersions.reference, 'JB-2035-%'));

    const before = Date.now();
    const unanswered = await submit();
    expect(unanswered.status).toBe(503);
    expect(Date.now() - before).toBeLessThan(10_000);
    expect(unanswered.headers.get('retry-after')).toBe('30');
    expect(((await unanswered.json()) as { errors: string[] }).errors).toEqual([expect.stringMatching(/^workflow: no worker answered within 2 s; .*same Idempotency-Key$/)]);
    expect(await stored()).toEqual([]);
    // A page that asks the workflow says so in the person's language, instead of loading for ever.
    const portal = await ask('/portal/reports/2035/status', { headers: { cookie } });
    expect(portal.status).toBe(503);
    expect(await portal.text()).toContain('Der Arbeitsablauf hat nicht innerhalb von 2 Sekunden geantwortet.');

    waitLonger();
    await world.withWorker(async () => {
      const repeated = await submit();
      expect(repeated.status).toBe(201);
      expect(((await repeated.json()) as { reference: string }).reference).toBe('JB-2035-02-V1');
      expect(await stored()).toEqual([{ reference: 'JB-2035-02-V1' }]);
    });
  });
});

describe('while no worker runs, the partner’s form', () => {
  it('answers with a page saying so, keeps the draft, and the same form posted again gets the receipt of version 1', async () => {
    const { ask, waitLonger } = impatientApp();
    await world.openCycle(2036, '2036-03-31');
    await world.withWorker(async () => untilIdle(await loadedHandle(world.startReport({ year: 2036 }))));
    const { token } = await world.issueLink({ year: 2036 });
    const cookie = ((await ask(`/link/${token}`, { method: 'POST', headers: form, body: '' })).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const fields = {
      'reportingPeriod.stated': 'nein',
      'author.stated': 'ja',
      'author.name': 'Petra Schmidt',
      'author.role': '',
      'blocks[0].kind': 'text',
      'blocks[0].text': 'Ein gutes Jahr.',
    };
    const post = () => ask('/portal/reports/2036', { method: 'POST', headers: { ...form, cookie }, body: new URLSearchParams({ ...fields, action: 'submit' }).toString() });
    const stored = () => world.database.db.select({ reference: reportVersions.reference }).from(reportVersions).where(like(reportVersions.reference, 'JB-2036-%'));

    const unanswered = await post();
    expect(unanswered.status).toBe(503);
    expect(await unanswered.text()).toContain('Bitte prüfen Sie den Stand, bevor Sie sie wiederholen.');
    expect(await stored()).toEqual([]);
    expect(await (await ask('/portal/reports/2036', { headers: { cookie } })).text()).toContain('value="Petra Schmidt"');

    waitLonger();
    await world.withWorker(async () => {
      // The browser's "send again": the same form joins the Update the first post left with the server.
      const repeated = await post();
      expect(repeated.status).toBe(303);
      expect(repeated.headers.get('location')).toBe('/portal/reports/2036/receipts/JB-2036-02-V1');
      expect(await stored()).toEqual([{ reference: 'JB-2036-02-V1' }]);
    });
  });
});

describe('while no worker runs, a decision on the board', () => {
  it('answers with a page saying so, and the same form posted again makes the decision once; other content is another request', async () => {
    const { ask, waitLonger } = impatientApp();
    await world.openCycle(2037, '2037-03-31');
    await world.withWorker(async () => {
      await untilIdle(await loadedHandle(world.startReport({ year: 2037 })));
      const report = await readReportFixture('02-kreis-lippe.json');
      expect((await world.request('/api/v1/partner/reports/2037/submission', { method: 'POST', token: await partnerSession(2037), headers: json, body: JSON.stringify(report) })).status).toBe(201);
    });
    const cookie = `pf_session=${await world.sessionOf('caseworker')}`;
    const reportPage = await (await ask('/staff/reports/2037/2', { headers: { cookie } })).text();
    // The hidden value the accept form was rendered with, as a browser would send it.
    const formRequest = /action="\/staff\/reports\/2037\/2\/accept" novalidate><input type="hidden" name="formRequest" value="([0-9a-f-]{36})">/.exec(reportPage)?.[1];
    expect(formRequest).toBeDefined();
    const accept = (fields: Record<string, string>) => ask('/staff/reports/2037/2/accept', { method: 'POST', headers: { ...form, cookie }, body: new URLSearchParams(fields).toString() });
    const decisionsSent = async () => (await auditActions('annual_report', 'annual-report/2/2037')).filter((action) => action === 'accepted').length;

    const unanswered = await accept({ formRequest: formRequest!, '2-accept-comment': 'Danke' });
    expect(unanswered.status).toBe(503);
    expect(await unanswered.text()).toContain('Bitte prüfen Sie den Stand, bevor Sie sie wiederholen.');

    waitLonger();
    await world.withWorker(async () => {
      // The browser's "send again": it joins the Update the first post left, so the decision is made once and the repeat succeeds.
      const repeated = await accept({ formRequest: formRequest!, '2-accept-comment': 'Danke' });
      expect(repeated.status).toBe(303);
      expect(repeated.headers.get('location')).toBe('/staff/reports/2037?done=2');
      expect(await decisionsSent()).toBe(1);
      // The same rendered form with another comment is another request: the report is accepted already.
      const edited = await accept({ formRequest: formRequest!, '2-accept-comment': 'Vielen Dank' });
      expect(edited.status).toBe(409);
      // Without the hidden value the same post is another request too (what the repeat was before).
      expect((await accept({ '2-accept-comment': 'Danke' })).status).toBe(409);
      expect(await decisionsSent()).toBe(1);
    });
  });
});

describe('a report’s page for staff', () => {
  it('shows what was submitted beside the decisions the phase allows, and each version’s review; a decision from a page the phase has moved past is refused in the page’s language', async () => {
    await world.openCycle(2038, '2038-03-31');
    const cookie = `pf_session=${await world.sessionOf('caseworker')}`;
    const reportPage = async () => (await world.request('/staff/reports/2038/2', { headers: { cookie } })).text();
    const offered = (text: string) => [...text.matchAll(/action="\/staff\/reports\/2038\/2\/(accept|revision|extension|waiver)"/g)].map((match) => match[1]);
    const post = (decision: string, fields: Record<string, string>) =>
      world.request(`/staff/reports/2038/2/${decision}`, { method: 'POST', headers: { ...form, cookie }, body: new URLSearchParams(fields).toString() });
    await world.withWorker(async () => {
      await untilIdle(await loadedHandle(world.startReport({ year: 2038 })));
      // The board lists every partner and leads to the report's page, where staff read and act.
      const board = await (await world.request('/staff/reports/2038', { headers: { cookie } })).text();
      expect(board).toContain('<a class="kern-link" href="/staff/reports/2038/2">2 – Kreis Lippe</a>');
      expect(board).not.toContain('action="/staff/reports/2038/2/');
      const awaited = await reportPage();
      expect(offered(awaited)).toEqual(['extension', 'waiver']);
      expect(awaited).toContain('Noch keine Fassung eingereicht.');

      const report = await readReportFixture('02-kreis-lippe.json');
      expect((await world.request('/api/v1/partner/reports/2038/submission', { method: 'POST', token: await partnerSession(2038), headers: json, body: JSON.stringify(report) })).status).toBe(201);
      const submitted = await reportPage();
      expect(offered(submitted)).toEqual(['accept', 'revision', 'waiver']);
      expect(submitted).toContain('JB-2038-02-V1 (angezeigt)');
      expect(submitted).toContain('Die Zuwanderung aus den Kriegs- und Krisengebieten der Welt nach Lippe');
      // The extension form of a page loaded before the submission.
      const late = await post('extension', { '2-extension-dueDate': '2038-05-31', '2-extension-reason': 'Krankheit' });
      expect(late.status).toBe(409);
      const text = await late.text();
      expect(text).toContain('Partner 2, Frist verlängern: Im Stand „eingereicht“ ist das nicht möglich.');
      expect(text).not.toContain('error-summary');
      // A revision's comment stands beside the version it was about; the report is awaited again.
      const missing = await post('revision', { '2-revision-comments': '  ' });
      expect(missing.status).toBe(422);
      expect(await missing.text()).toContain('id="f-2-revision-comments-error"');
      expect((await post('revision', { '2-revision-comments': 'Bitte die Zahlen zu 2018 ergänzen.' })).status).toBe(303);
      const revised = await reportPage();
      expect(revised).toMatch(/Überarbeitung angefordert: Bitte die Zahlen zu 2018 ergänzen\./);
      expect(offered(revised)).toEqual(['extension', 'waiver']);
      expect((await world.request('/staff/reports/2038/999', { headers: { cookie } })).status).toBe(404);
    });
  });
});

describe('classification by staff', () => {
  it('classifies on the report page and through the API what the partner left open, marked as the ministry’s and audited', async () => {
    await world.openCycle(2039, '2039-03-31');
    const cookie = `pf_session=${await world.sessionOf('caseworker')}`;
    const caseworker = await world.sessionOf('caseworker');
    const reportPage = async (query = '') => (await world.request(`/staff/reports/2039/2${query}`, { headers: { cookie } })).text();
    await world.withWorker(async () => {
      await untilIdle(await loadedHandle(world.startReport({ year: 2039 })));
      const report = await readReportFixture('02-kreis-lippe.json');
      expect((await world.request('/api/v1/partner/reports/2039/submission', { method: 'POST', token: await partnerSession(2039), headers: json, body: JSON.stringify(report) })).status).toBe(201);
    });

    const page = await reportPage();
    expect(page).toContain('action="/staff/reports/2039/2/versions/JB-2039-02-V1/classifications"');
    expect(page).toContain('Handlungsfeld – Abschnitt „Steigerung der interkulturellen Kompetenz der Beschäftigten“');
    expect(page).toContain('Stand der Umsetzung – Maßnahme „Schlüsselkompetenzen in der Migrationsgesellschaft“ in Abschnitt „Steigerung der interkulturellen Kompetenz der Beschäftigten“');
    expect(page).toContain('<input type="hidden" name="classify-0-path" value="sections[0].fieldOfAction">');
    const classifyOnPage = (fields: Record<string, string>) =>
      world.request('/staff/reports/2039/2/versions/JB-2039-02-V1/classifications', { method: 'POST', headers: { ...form, cookie }, body: new URLSearchParams(fields).toString() });

    // A value of another kind is refused at its select, and nothing is stored.
    const wrong = await classifyOnPage({ 'classify-0-path': 'sections[0].blocks[0].status', 'classify-0': 'FORTBILDUNG', 'classify-0-was': '' });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('id="f-classify-0-error"');
    expect(await auditActions('report_version', 'JB-2039-02-V1')).toEqual([]);

    // The page's form: one select changed, one left empty; only the change is stored.
    const saved = await classifyOnPage({ 'classify-0-path': 'sections[0].fieldOfAction', 'classify-0': 'FORTBILDUNG', 'classify-0-was': '', 'classify-1-path': 'sections[0].blocks[0].fieldOfAction', 'classify-1': '', 'classify-1-was': '' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/staff/reports/2039/2?version=JB-2039-02-V1&classified=1#classify');
    const after = await reportPage('?version=JB-2039-02-V1&classified=1');
    expect(after).toContain('1 Zuordnung(en) gespeichert.');
    expect(after).toContain('Fortbildung <em>(vom Ministerium zugeordnet)</em>');
    expect(after).toMatch(/zugeordnet von Jana Becker am \d{2}\.\d{2}\.\d{4}/);

    // The API: the same, for a measure's status; refusals name their field.
    const classify = (reference: string, body: unknown, token = caseworker) =>
      world.request(`/api/v1/reports/2039/2/versions/${reference}/classifications`, { method: 'POST', token, headers: json, body: JSON.stringify(body) });
    const api = await classify('JB-2039-02-V1', { path: 'sections[0].blocks[0].status', value: 'laufend' });
    expect(api.status).toBe(200);
    expect(await api.json()).toEqual({ path: 'sections[0].blocks[0].status', assigned: { value: 'laufend', by: 'Jana Becker', at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }, changed: true });
    expect((await classify('JB-2039-02-V1', { path: 'reportingPeriod', value: 'laufend' })).status).toBe(422);
    expect((await classify('JB-2039-02-V9', { path: 'sections[0].blocks[0].status', value: 'laufend' })).status).toBe(404);
    expect((await classify('JB-2039-02-V1', { path: 'sections[0].blocks[0].status', value: 'laufend' }, await world.sessionOf('staff'))).status).toBe(403);
    const [stored] = await world.database.db.select({ content: reportVersions.content }).from(reportVersions).where(eq(reportVersions.reference, 'JB-2039-02-V1'));
    const measure = (stored?.content as { sections: { fieldOfAction: unknown; blocks: { status: unknown }[] }[] }).sections[0];
    expect(measure?.fieldOfAction).toEqual({ stated: false, assigned: { value: 'FORTBILDUNG', by: 'Jana Becker', at: expect.any(String) } });
    expect(measure?.blocks[0]?.status).toEqual({ stated: false, assigned: { value: 'laufend', by: 'Jana Becker', at: expect.any(String) } });
    expect(await auditActions('report_version', 'JB-2039-02-V1')).toEqual(['classified', 'classified']);

    // A slip is undone: "nicht zugeordnet" on the page, null through the API; the field reads
    // "not stated" again, and a second withdrawal changes nothing.
    const withdrawn = await classifyOnPage({ 'classify-0-path': 'sections[0].fieldOfAction', 'classify-0': '', 'classify-0-was': 'FORTBILDUNG' });
    expect(withdrawn.headers.get('location')).toBe('/staff/reports/2039/2?version=JB-2039-02-V1&classified=1#classify');
    expect(await reportPage()).not.toContain('Fortbildung <em>(vom Ministerium zugeordnet)</em>');
    const apiWithdrawal = await classify('JB-2039-02-V1', { path: 'sections[0].blocks[0].status', value: null });
    expect(await apiWithdrawal.json()).toEqual({ path: 'sections[0].blocks[0].status', assigned: null, changed: true });
    expect(await (await classify('JB-2039-02-V1', { path: 'sections[0].blocks[0].status', value: null })).json()).toEqual({ path: 'sections[0].blocks[0].status', assigned: null, changed: false });
    const [reverted] = await world.database.db.select({ content: reportVersions.content }).from(reportVersions).where(eq(reportVersions.reference, 'JB-2039-02-V1'));
    const revertedSection = (reverted?.content as { sections: { fieldOfAction: unknown; blocks: { status: unknown }[] }[] }).sections[0];
    expect(revertedSection?.fieldOfAction).toEqual({ stated: false });
    expect(revertedSection?.blocks[0]?.status).toEqual({ stated: false });
    expect(await auditActions('report_version', 'JB-2039-02-V1')).toEqual(['classified', 'classified', 'classification-withdrawn', 'classification-withdrawn']);
  });
});
