/**
 * Admin and board operations on real parts (PostgreSQL, SMTP catcher, the time-skipping Temporal
 * server with the product's worker): the board's last email and its delivery outcome; resending
 * an email through the report workflow's Update (a new ledger row under a key of its own);
 * the Temporal Web UI's summaries on workflows, timers and sends. Each with bad input (4xx with
 * field lines) and the roles that may not.
 */
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, like } from 'drizzle-orm';
import { createCompilationActivities } from '../../activities/compilation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailLedger } from '../../src/db/schema';
import { partnerDataKeyStore } from '../../src/db/queries/partner-data-keys';
import { PayloadEncryptionCodec } from '../../src/temporal/codec';
import { createApp } from '../../src/http/app';
import { decodeHistoryPayloads } from '../../src/temporal/history-decoding';
import { reportTimelineQuery } from '../../workflows/contracts/annual-report';
import { cycleWorkflowId } from '../../workflows/contracts/cycle';
import { auditOf } from '../support/audit';
import { loadedStatus } from '../support/workflow-story';
import { partner } from '../support/reporting-world';
import { createWebWorld, origin, type WebWorld } from '../support/web-world';

let world: WebWorld;
const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

beforeAll(async () => {
  world = await createWebWorld();
}, 120_000);

afterAll(async () => {
  await world?.teardown();
});

type BoardRow = { partner: number; phase: string; escalation: number; lastEmail?: { ledgerId: number; template: string; outcome: string; idempotencyKey: string } };

const sessions = new Map<string, string>();
/** One login per role: logging in hashes a password, which is slow on purpose. */
async function sessionOf(who: 'staff' | 'caseworker' | 'admin'): Promise<string> {
  const known = sessions.get(who);
  if (known) return known;
  const token = await world.sessionOf(who);
  sessions.set(who, token);
  return token;
}

/** Due in three weeks: the invitation is late and goes out at once, the two-week reminder waits. */
const dueDate = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);

async function board(year: number, who: 'staff' | 'caseworker' | 'admin' = 'staff'): Promise<BoardRow[]> {
  const response = await world.request(`/api/v1/reports/${year}`, { token: await sessionOf(who) });
  expect(response.status).toBe(200);
  return (await response.json()) as BoardRow[];
}

const audit = (entityType: string, entityId: string) => auditOf(world.database.db, entityType, entityId);

async function until<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the board’s last email', () => {
  it('shows each report’s newest email with its delivery outcome, in the API and on the page', async () => {
    await world.openCycle(2027, dueDate);
    await world.withWorker(async () => {
      const handle = await world.startReport({ year: 2027 });
      await loadedStatus(handle);
      // The invitation goes out at once, or at the next sending hour: skip the clock hour by hour till then.
      const sent = await until(async () => {
        const row = (await board(2027)).find((r) => r.partner === partner.number && r.lastEmail?.outcome === 'sent');
        if (!row) await world.env.sleep('1 hour');
        return row;
      }, 'the invitation');
      expect(sent.lastEmail).toMatchObject({ template: 'report-invitation', outcome: 'sent' });
      expect(sent.escalation).toBe(0);

      // What the ledger says is what the board says: a possible duplicate, a deferral, a failure.
      const id = sent.lastEmail!.ledgerId;
      const setRow = (values: Partial<typeof emailLedger.$inferInsert>) => world.database.db.update(emailLedger).set(values).where(eq(emailLedger.id, id));
      await setRow({ possibleDuplicate: true });
      expect((await board(2027)).find((row) => row.partner === partner.number)?.lastEmail?.outcome).toBe('possible-duplicate');
      await setRow({ status: 'pending', possibleDuplicate: false, lastError: '421 try again later' });
      expect((await board(2027)).find((row) => row.partner === partner.number)?.lastEmail?.outcome).toBe('on-hold');
      await setRow({ status: 'failed', lastError: '550 mailbox unavailable' });
      expect((await board(2027)).find((row) => row.partner === partner.number)?.lastEmail?.outcome).toBe('failed');

      const page = await world.request('/staff/reports/2027', { headers: { cookie: `pf_session=${await sessionOf('staff')}` } });
      const text = await page.text();
      expect(text).toContain('<th scope="col">Letzte E-Mail</th>');
      expect(text).toMatch(/report-invitation, [^<]+<\/span><br><span class="kern-badge kern-badge--danger"><span class="kern-label">fehlgeschlagen<\/span>/);
      await setRow({ status: 'sent', lastError: null });
    });
  }, 120_000);
});

describe('resending an email', () => {
  it('asks the workflow to send it again as a new ledger row, with a reason, audited; refuses bad input and other roles', async () => {
    await world.withWorker(async () => {
      const handle = world.env.client.workflow.getHandle('annual-report/2/2027');
      await loadedStatus(handle);
      const last = (await board(2027)).find((row) => row.partner === partner.number)?.lastEmail;
      expect(last).toBeDefined();
      const original = last!;
      const [row] = await world.database.db.select().from(emailLedger).where(eq(emailLedger.id, original.ledgerId));
      const admin = await sessionOf('admin');
      const resend = (id: number | string, body: unknown, token = admin) =>
        world.request(`/api/v1/emails/${id}/resend`, { method: 'POST', token, headers: json, body: JSON.stringify(body) });

      expect((await resend(original.ledgerId, { reason: 'Adresse korrigiert' }, await sessionOf('caseworker'))).status).toBe(403);
      const empty = await resend(original.ledgerId, { reason: '  ' });
      expect(empty.status).toBe(422);
      expect(await empty.json()).toEqual({ errors: ['reason: must not be empty'] });
      expect((await resend('abc', { reason: 'x' })).status).toBe(422);
      const unknown = await resend(999_999, { reason: 'x' });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ errors: ['id: no such email'] });

      const accepted = await resend(original.ledgerId, { reason: 'Adresse korrigiert' });
      expect(accepted.status).toBe(202);
      const prefix = row!.idempotencyKey.replace(/\/[a-z_]+\/\d+$/, '');
      expect(await accepted.json()).toMatchObject({ ledgerId: original.ledgerId, workflowId: 'annual-report/2/2027', keyPrefix: `${prefix}/resend-1`, attempt: 1 });
      const role = /\/([a-z_]+)\/\d+$/.exec(row!.idempotencyKey)?.[1];
      const again = await until(async () => {
        const [resent] = await world.database.db.select().from(emailLedger).where(like(emailLedger.idempotencyKey, `${prefix}/resend-1/%`));
        return resent?.status === 'sent' ? resent : undefined;
      }, 'the resent email');
      expect(again.idempotencyKey).toBe(`${prefix}/resend-1/${role}/${row!.idempotencyKey.split('/').at(-1)}`);
      expect(again.messageId).not.toBe(row!.messageId);
      expect(again.template).toBe(row!.template);
      expect(again.recipientEmail).toBe(row!.recipientEmail);
      expect(world.sentTo(row!.recipientEmail).filter((subject) => subject === row!.subject)).toHaveLength(2);

      expect(await audit('email', String(original.ledgerId))).toEqual([expect.objectContaining({ action: 'resend', actor: 'Ada Admin', details: expect.objectContaining({ reason: 'Adresse korrigiert', workflowId: 'annual-report/2/2027' }) })]);
      const timeline = await handle.query(reportTimelineQuery);
      expect(timeline).toContainEqual(expect.objectContaining({ kind: 'event', action: 'notice-resend', by: 'staff:Ada Admin', details: expect.objectContaining({ reason: 'Adresse korrigiert', keyPrefix: `${prefix}/resend-1` }) }));

      // A second resend is a second attempt, of the original, under its own key.
      expect((await resend(again.id, { reason: 'nochmal' })).status).toBe(202);
      await until(async () => {
        const [second] = await world.database.db.select().from(emailLedger).where(like(emailLedger.idempotencyKey, `${prefix}/resend-2/%`));
        return second?.status === 'sent' ? second : undefined;
      }, 'the second resend');

      // A key this workflow never sent is refused by the Update's validator, before anything is written.
      const [foreign] = await world.database.db
        .insert(emailLedger)
        .values({ idempotencyKey: 'annual-report/2/2027/initial/nothing#0/partner_main_contact/1', messageId: '<x@test>', workflowId: 'annual-report/2/2027', recipientEmail: 'x@example.org', template: 'report-invitation', subject: 'x', status: 'failed' })
        .returning();
      const refused = await resend(foreign!.id, { reason: 'Test' });
      expect(refused.status).toBe(422);
      expect(await refused.json()).toEqual({ errors: ['idempotencyKey: this report sent no email under that key'] });
      expect(await audit('email', String(foreign!.id))).toEqual([]);

      // The admin's workflow page lists the emails with their outcome and a resend form that needs a reason.
      const cookie = `pf_session=${admin}`;
      const page = await (await world.request(`/admin/workflow?id=${encodeURIComponent('annual-report/2/2027')}`, { headers: { cookie } })).text();
      expect(page).toContain('<h2 class="kern-heading-medium" id="emails">E-Mails</h2>');
      expect(page).toContain(`action="/admin/emails/${original.ledgerId}/resend"`);
      const noReason = await world.request(`/admin/emails/${original.ledgerId}/resend`, { method: 'POST', headers: { ...form, cookie }, body: 'reason=' });
      expect(noReason.status).toBe(422);
      expect(await noReason.text()).toContain('Bitte füllen Sie dieses Feld aus.');
      const byPage = await world.request(`/admin/emails/${original.ledgerId}/resend`, { method: 'POST', headers: { ...form, cookie }, body: 'reason=Partner+fragt+nach' });
      expect(byPage.status).toBe(303);
      expect(byPage.headers.get('location')).toBe('/admin/workflow?id=annual-report%2F2%2F2027&done=resend#emails');
      const staffPost = await world.request(`/admin/emails/${original.ledgerId}/resend`, { method: 'POST', headers: { ...form, cookie: `pf_session=${await sessionOf('caseworker')}` }, body: 'reason=x' });
      expect(staffPost.status).toBe(403);
      expect((await audit('email', String(original.ledgerId))).map((entry) => entry.action)).toEqual(['resend', 'resend']);
    });
  }, 180_000);

  it('lists a workflow’s emails for admins only', async () => {
    const id = encodeURIComponent('annual-report/2/2027');
    expect((await world.request(`/api/v1/workflows/${id}/emails`, { token: await sessionOf('caseworker') })).status).toBe(403);
    const emails = (await (await world.request(`/api/v1/workflows/${id}/emails`, { token: await sessionOf('admin') })).json()) as { template: string; outcome: string; idempotencyKey: string }[];
    expect(emails[0]).toMatchObject({ template: 'report-invitation' });
    expect(emails.filter((email) => email.idempotencyKey.includes('/resend-')).length).toBeGreaterThanOrEqual(2);
  });
});

describe('retrying a failed workflow', () => {
  // The reset itself needs a full Temporal server (the time-skipping one lacks it): test/e2e/web-ops-browser.test.ts.
  it('is for admins, with a reason, and only for a run that failed or timed out', async () => {
    await world.withWorker(async () => {
      const id = encodeURIComponent('annual-report/2/2027');
      const admin = await sessionOf('admin');
      const retry = (body: unknown, token = admin) => world.request(`/api/v1/workflows/${id}/retry`, { method: 'POST', token, headers: json, body: JSON.stringify(body) });
      expect((await retry({ reason: 'Zyklus angelegt' }, await sessionOf('caseworker'))).status).toBe(403);
      const noReason = await retry({ reason: '' });
      expect(noReason.status).toBe(422);
      expect(await noReason.json()).toEqual({ errors: ['reason: must not be empty'] });
      const running = await retry({ reason: 'nochmal' });
      expect(running.status).toBe(409);
      expect(await running.json()).toEqual({ errors: ['id: the workflow is running, not failed or timed out'] });
      expect((await world.request(`/api/v1/workflows/${encodeURIComponent('no/such')}/retry`, { method: 'POST', token: admin, headers: json, body: JSON.stringify({ reason: 'x' }) })).status).toBe(404);
      expect(await audit('workflow', 'annual-report/2/2027')).toEqual([]);
    });
  }, 60_000);
});

describe('summaries for the Temporal Web UI', () => {
  it('names the workflow by partner and year, and its timers and sends by the step they serve', async () => {
    await world.withWorker(async () => {
      const handle = world.env.client.workflow.getHandle('annual-report/2/2027');
      await loadedStatus(handle);
      const description = await handle.describe();
      expect(await description.staticSummary()).toBe('Annual report 2027 · partner 2');
      const codec = new PayloadEncryptionCodec(world.config.payloadKeys, { partnerKeys: partnerDataKeyStore(world.database.db, world.config.payloadKeys) });
      const history = await decodeHistoryPayloads(await handle.fetchHistory(), codec);
      const summaries = (history.events ?? []).flatMap((event) => {
        const summary = event.userMetadata?.summary;
        if (!summary?.data) return [];
        const kind = event.timerStartedEventAttributes ? 'timer' : event.activityTaskScheduledEventAttributes ? 'activity' : 'other';
        return [`${kind}: ${JSON.parse(Buffer.from(summary.data).toString()) as string}`];
      });
      expect(summaries).toContain('activity: invitation');
      expect(summaries).toContain('timer: reminder-2w');
      expect(summaries.some((s) => s.startsWith('activity: resend-1 invitation'))).toBe(true);
    });
  }, 120_000);
});

describe('cycles', () => {
  let dataDir: string;
  let request: WebWorld['request'];

  beforeAll(() => {
    // Compiled versions go to a folder of this test's own; reports start on this world's queue.
    dataDir = mkdtempSync(join(tmpdir(), 'partnerflow-web-cycles-'));
    const config = { ...world.config, dataDir, temporal: { ...world.config.temporal, taskQueue: world.taskQueue } };
    const app = createApp({ db: world.database.db, config, temporal: world.env.client, rateLimitPerMinute: 1000 });
    request = async (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (init.token) headers.set('authorization', `Bearer ${init.token}`);
      if (init.method && init.method !== 'GET') headers.set('origin', origin);
      return app.request(`${origin}${path}`, { ...init, headers });
    };
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('previews the plan without storing anything, opens once, reports the status; bad input and roles refused', async () => {
    const caseworker = await sessionOf('caseworker');
    const staff = await sessionOf('staff');
    const post = (path: string, body: unknown, token = caseworker) => request(`/api/v1/cycles/2034/${path}`, { method: 'POST', token, headers: json, body: JSON.stringify(body) });

    const preview = await post('preview', { dueDate: '2034-03-31' }, staff);
    expect(preview.status).toBe(200);
    const plan = (await preview.json()) as { partners: number; groups: { dueDate: string; partners: { partner: number }[]; sends: { step: string; sendAt: string }[] }[] };
    expect(plan.partners).toBe(1);
    expect(plan.groups).toHaveLength(1);
    expect(plan.groups[0]).toMatchObject({ dueDate: '2034-03-31', partners: [{ partner: partner.number }] });
    expect(plan.groups[0]?.sends.map((s) => s.step).slice(0, 3)).toEqual(['invitation', 'reminder-2w', 'reminder-3d']);
    expect(plan.groups[0]?.sends[0]?.sendAt).toMatch(/^2034-02-17 09:00/);
    expect((await request('/api/v1/cycles/2034/status', { token: staff })).status).toBe(404);

    const badDate = await post('preview', { dueDate: '2034-02-30' });
    expect(badDate.status).toBe(422);
    expect(await badDate.json()).toEqual({ errors: ['dueDate: must be a real date as YYYY-MM-DD'] });
    const badPeriod = await post('preview', { dueDate: '2034-03-31', periodStart: '2034-12-01', periodEnd: '2034-01-01' });
    expect(await badPeriod.json()).toEqual({ errors: ['periodEnd: must not be before periodStart'] });
    expect((await post('open', { dueDate: '2034-03-31' }, staff)).status).toBe(403);
    expect((await request('/api/v1/cycles/2034/status')).status).toBe(401);

    await world.withWorker(async () => {
      // Opening returns at once; the cycle workflow starts the reports and GET …/progress follows it.
      const openedAndSwept = async () => {
        const opened = await post('open', { dueDate: '2034-03-31' });
        expect(opened.status).toBe(202);
        expect(opened.headers.get('location')).toBe('/api/v1/cycles/2034/progress');
        const { requestId, ...rest } = (await opened.json()) as { requestId: string };
        expect(rest).toEqual({ year: 2034, dueDate: '2034-03-31', partners: 1, workflowId: 'cycle/2034' });
        const deadline = Date.now() + 60_000;
        for (;;) {
          const answer = await request('/api/v1/cycles/2034/progress', { token: staff });
          // 404 while the workflow's answer takes longer than the page waits (a loaded machine): asked again.
          const progress = (await answer.json()) as { doneRequests?: string[]; sweep?: { starts: Record<string, number> }; errors?: string[] };
          if (progress.sweep && progress.doneRequests?.includes(requestId)) return progress.sweep.starts;
          if (Date.now() > deadline) throw new Error(`open request ${requestId} was not swept within 60 s: ${answer.status} ${JSON.stringify(progress)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      expect(await openedAndSwept()).toMatchObject({ startedDirectly: 1, alreadyStarted: 0 });
      await loadedStatus(world.env.client.workflow.getHandle('annual-report/2/2034'));
      expect(await openedAndSwept()).toMatchObject({ startedDirectly: 0, alreadyStarted: 1 });
      const status = (await (await request('/api/v1/cycles/2034/status', { token: staff })).json()) as { partners: number; phases: Record<string, number>; status: string };
      expect(status).toMatchObject({ partners: 1, status: 'open' });
      expect(status.phases['awaiting_submission']).toBe(1);
    });
  }, 120_000);

  it('compiles in the cycle workflow (202 at once, the outcome at its Location) and keeps every version; files download by name only', async () => {
    const caseworker = await sessionOf('caseworker');
    const compile = (year: number, body: unknown, token = caseworker) => request(`/api/v1/cycles/${year}/compilations`, { method: 'POST', token, headers: json, body: JSON.stringify(body) });
    expect((await compile(2034, {}, await sessionOf('staff'))).status).toBe(403);
    const badAsOf = await compile(2034, { asOf: 'gestern' });
    expect(badAsOf.status).toBe(422);
    expect(((await badAsOf.json()) as { errors: string[] }).errors).toEqual(['asOf: must be a real date as YYYY-MM-DD']);
    const noCycle = await compile(2090, {});
    expect(noCycle.status).toBe(404);
    expect(await noCycle.json()).toEqual({ errors: ['year: no reporting cycle for 2090'] });

    // The cycle workflow compiles (with this test's data folder); the request only queues it.
    type Version = { version: number; asOf: string; artefacts: { fileName: string; format: string; bytes: number }[]; formats: Record<string, { state: string; reason?: string }>; dir?: string };
    const compiled = async (asOf: string) => {
      const queued = await compile(2034, { asOf });
      expect(queued.status).toBe(202);
      const location = queued.headers.get('location') ?? '';
      expect(location).toMatch(/^\/api\/v1\/cycles\/2034\/compilations\/requests\//);
      const deadline = Date.now() + 120_000;
      for (;;) {
        const outcome = (await (await request(location, { token: caseworker })).json()) as { status: string; version?: Version; archive?: { state: string }; errors?: string[] };
        // A version that never gets ready fails with what it says, not at the test's timeout.
        if (Date.now() > deadline) throw new Error(`the compile did not finish within 120 s: ${JSON.stringify(outcome)}`);
        // Usable once 'compiled' (text formats); waited for here until its PDF and DOCX are ready too.
        if (outcome.status === 'compiled') expect(outcome.archive?.state).toMatch(/^(pending|ready)$/);
        if (outcome.status === 'compiled' && outcome.archive?.state === 'ready' && outcome.version?.formats['pdf']?.state === 'ready') return outcome.version;
        if (outcome.status === 'failed') throw new Error(outcome.errors?.join('\n'));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    const v1 = await world.withWorker(() => compiled('2034-04-01'), { config: { dataDir } });
    expect(v1.version).toBe(1);
    expect(v1.dir).toBeUndefined();
    expect(v1.artefacts.map((a) => a.format)).toEqual(expect.arrayContaining(['pdf', 'docx', 'html', 'csv']));
    // A second version as `cycle compile` makes it (in process); the list keeps both.
    const inProcess = createCompilationActivities({ db: world.database.db, config: { ...world.config, dataDir } });
    const v2 = await inProcess.compileAnnualReport({ year: 2034, asOf: '2034-04-02', archiveFormats: 'follow' });
    expect(v2.version).toBe(2);
    // Stored with its text formats, its PDF and DOCX pending: downloads of them say so (409), never a broken file.
    const pendingPdf = await request('/api/v1/cycles/2034/compilations/2/jahresbericht-2034.pdf', { token: caseworker });
    expect(pendingPdf.status).toBe(409);
    expect(pendingPdf.headers.get('retry-after')).toBe('60');
    expect(await pendingPdf.json()).toMatchObject({ errors: ['file: Die PDF-Fassung wird noch gesetzt. Bitte versuchen Sie es in einigen Minuten erneut.'], state: { state: 'pending' } });
    const pendingPage = await request('/staff/cycles/2034/versions/2/jahresbericht-2034.docx', { headers: { cookie: `pf_session=${caseworker}` } });
    expect(pendingPage.status).toBe(409);
    expect(await pendingPage.text()).toContain('Die DOCX-Fassung wird noch gesetzt.');
    expect((await request('/api/v1/cycles/2034/compilations/2/jahresbericht-2034.html', { token: caseworker })).status).toBe(200);
    expect((await request('/api/v1/cycles/2034/compilations/2/typesetting', { method: 'POST', token: caseworker })).status).toBe(409);
    // Typesetting fails (its input taken away): the version says why, and staff typeset it again.
    const input = join(v2.dir, '.archive-input');
    renameSync(input, `${input}.away`);
    await expect(inProcess.typesetArchiveFormats({ year: 2034, version: 2 })).rejects.toThrow('is missing');
    renameSync(`${input}.away`, input);
    const failedPage = await (await request('/staff/cycles/2034', { headers: { cookie: `pf_session=${caseworker}` } })).text();
    expect(failedPage).toContain('fehlgeschlagen: files:');
    expect(failedPage).toContain('action="/staff/cycles/2034/versions/2/typesetting"');
    expect((await request('/api/v1/cycles/2034/compilations/2/typesetting', { method: 'POST', token: await sessionOf('staff') })).status).toBe(403);
    await world.withWorker(
      async () => {
        const retried = await request('/api/v1/cycles/2034/compilations/2/typesetting', { method: 'POST', token: caseworker });
        expect(retried.status).toBe(202);
        expect(await retried.json()).toEqual({ year: 2034, version: 2, status: 'queued' });
        const deadline = Date.now() + 90_000;
        for (;;) {
          const listed = (await (await request('/api/v1/cycles/2034/compilations', { token: caseworker })).json()) as Version[];
          const state = listed.find((v) => v.version === 2)?.formats['pdf']?.state;
          if (Date.now() > deadline) throw new Error(`version 2 was not typeset again within 90 s: ${JSON.stringify(listed.find((v) => v.version === 2)?.formats)}`);
          if (state === 'ready') break;
          expect(state).toMatch(/^(pending|failed)$/);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        // The cycle goes on to the DOCX and the staff email after the PDF. The worker must not stop
        // before they are done: an activity it leaves behind holds the cycle's queue (the compile
        // request below) until its heartbeat times out, which the time-skipping server does not
        // skip while nothing awaits a workflow's result.
        await expect
          .poll(async () => {
            const mails = await world.database.db.select({ status: emailLedger.status }).from(emailLedger).where(like(emailLedger.idempotencyKey, 'compiled-report/2034/v2/%'));
            const pending = (await world.env.client.workflow.getHandle(cycleWorkflowId(2034)).describe()).raw.pendingActivities ?? [];
            return mails.length > 0 && mails.every((mail) => mail.status === 'sent') && pending.length === 0;
          }, { timeout: 90_000 })
          .toBe(true);
      },
      { config: { dataDir } },
    );
    expect((await request('/api/v1/cycles/2034/compilations/2/jahresbericht-2034.pdf', { token: caseworker })).status).toBe(200);
    const versions = (await (await request('/api/v1/cycles/2034/compilations', { token: await sessionOf('staff') })).json()) as { version: number; asOf: string }[];
    expect(versions.map((v) => [v.version, v.asOf])).toEqual([ // newest first
      [2, '2034-04-02'],
      [1, '2034-04-01'],
    ]);
    const pdf = v1.artefacts.find((a) => a.format === 'pdf')!;
    const download = await request(`/api/v1/cycles/2034/compilations/1/${encodeURIComponent(pdf.fileName)}`, { token: caseworker });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${pdf.fileName}"`);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.length).toBe(pdf.bytes);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await request(`/api/v1/cycles/2034/compilations/1/${encodeURIComponent('../../../package.json')}`, { token: caseworker })).status).toBe(404);
    expect((await request(`/api/v1/cycles/2034/compilations/9/${encodeURIComponent(pdf.fileName)}`, { token: caseworker })).status).toBe(404);

    // The page lists both versions with their files; its forms refuse empty and malformed dates.
    const cookie = `pf_session=${caseworker}`;
    const page = await (await request('/staff/cycles/2034', { headers: { cookie } })).text();
    expect(page).toContain('Zusammengestellte Fassungen');
    expect(page).toContain(`href="/staff/cycles/2034/versions/1/${encodeURIComponent(pdf.fileName)}"`);
    expect((await request(`/staff/cycles/2034/versions/1/${encodeURIComponent(pdf.fileName)}`, { headers: { cookie } })).status).toBe(200);
    // Compiling from the page: 202 at once with "wird erstellt …", then the page shows the new version.
    await world.withWorker(
      async () => {
        const queued = await request('/staff/cycles/2034/compilations', { method: 'POST', headers: { ...form, cookie }, body: 'asOf=2034-04-03' });
        expect(queued.status).toBe(202);
        const text = await queued.text();
        expect(text).toContain('Der Bericht wird erstellt …');
        const follow = /data-follow="([^"]+)"/.exec(text)?.[1]?.replaceAll('&amp;', '&') ?? '';
        expect(follow).toMatch(/^\/staff\/cycles\/2034\?compiling=/);
        expect((await request('/assets/cycle-follow.js')).headers.get('content-type')).toContain('javascript');
        const deadline = Date.now() + 90_000;
        for (;;) {
          const shown = await (await request(follow, { headers: { cookie } })).text();
          if (shown.includes('Fassung 3 zusammengestellt.')) break;
          if (Date.now() > deadline) throw new Error(`version 3 was not compiled and typeset within 90 s: ${JSON.stringify(await (await request(follow.replace('/staff/cycles/2034?compiling=', '/api/v1/cycles/2034/compilations/requests/').replace(/#.*$/, ''), { token: caseworker })).json())}`);
          // Compiling, then usable with PDF and DOCX still being typeset (the page keeps following), then done.
          expect(shown).toMatch(/Der Bericht wird erstellt …|Fassung 3: Textformate und Zahlen bereit \(HTML, Markdown, CSV, XLSX, JSON\); PDF und DOCX werden noch gesetzt …/);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      },
      { config: { dataDir } },
    );
    // A version whose PDF and DOCX failed is typeset again from the page too.
    const v4 = await inProcess.compileAnnualReport({ year: 2034, asOf: '2034-04-04', archiveFormats: 'follow' });
    renameSync(join(v4.dir, '.archive-input'), join(v4.dir, '.away'));
    await expect(inProcess.typesetArchiveFormats({ year: 2034, version: 4 })).rejects.toThrow('is missing');
    renameSync(join(v4.dir, '.away'), join(v4.dir, '.archive-input'));
    await world.withWorker(
      async () => {
        const queued = await request('/staff/cycles/2034/versions/4/typesetting', { method: 'POST', headers: { ...form, cookie } });
        expect(queued.status).toBe(202);
        expect(await queued.text()).toContain('PDF und DOCX der Fassung 4 werden erneut gesetzt');
        const deadline = Date.now() + 90_000;
        for (;;) {
          const listed = (await (await request('/api/v1/cycles/2034/compilations', { token: caseworker })).json()) as Version[];
          if (listed.find((v) => v.version === 4)?.formats['docx']?.state === 'ready') break;
          if (Date.now() > deadline) throw new Error(`version 4 was not typeset again within 90 s: ${JSON.stringify(listed.find((v) => v.version === 4)?.formats)}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      },
      { config: { dataDir } },
    );
    expect((await request('/staff/cycles/2034/versions/4/jahresbericht-2034.docx', { headers: { cookie } })).status).toBe(200);
    const empty = await request('/staff/cycles/2035/opening', { method: 'POST', headers: { ...form, cookie }, body: 'dueDate=&action=preview' });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Bitte füllen Sie dieses Feld aus.');
    const previewPage = await request('/staff/cycles/2035/opening', { method: 'POST', headers: { ...form, cookie }, body: 'dueDate=2035-03-30&action=preview' });
    expect(previewPage.status).toBe(200);
    expect(await previewPage.text()).toContain('1 Partner mit Frist 30.03.2035');
    expect((await request('/api/v1/cycles/2035/status', { token: caseworker })).status).toBe(404);
  }, 180_000);
});

describe('organisations and contacts', () => {
  it('lists organisations with their stage, reads one and its contacts; bad input 4xx, partners and strangers refused', async () => {
    const staff = await sessionOf('staff');
    const all = (await (await world.request('/api/v1/organisations', { token: staff })).json()) as { number: number; name: string; stage: string }[];
    expect(all).toContainEqual(expect.objectContaining({ number: partner.number, name: partner.name, stage: 'active' }));
    const active = (await (await world.request('/api/v1/organisations?stage=active', { token: staff })).json()) as { stage: string }[];
    expect(active.every((o) => o.stage === 'active')).toBe(true);
    expect(await (await world.request('/api/v1/organisations?stage=left', { token: staff })).json()).toEqual([]);
    const badStage = await world.request('/api/v1/organisations?stage=gone', { token: staff });
    expect(badStage.status).toBe(422);
    expect(((await badStage.json()) as { errors: string[] }).errors[0]).toMatch(/^stage: /);

    expect(await (await world.request(`/api/v1/organisations/${partner.number}`, { token: staff })).json()).toMatchObject({ number: partner.number, kind: 'district', stage: 'active', accessionDate: '2012-08-15' });
    expect((await world.request('/api/v1/organisations/999', { token: staff })).status).toBe(404);
    expect((await world.request('/api/v1/organisations/abc', { token: staff })).status).toBe(422);
    const contacts = (await (await world.request(`/api/v1/organisations/${partner.number}/contacts`, { token: staff })).json()) as { role: string; email: string }[];
    expect(contacts.map((c) => [c.role, c.email])).toEqual([
      ['main_contact', partner.mainContact.email],
      ['leadership_signatory', partner.leadership.email],
    ]);

    expect((await world.request('/api/v1/organisations')).status).toBe(401);
    const { token } = await world.issueLink({ year: 2027 });
    const link = await world.request('/api/v1/session/link', { method: 'POST', headers: json, body: JSON.stringify({ token }) });
    const partnerSession = ((await link.json()) as { sessionToken: string }).sessionToken;
    expect((await world.request(`/api/v1/organisations/${partner.number}/contacts`, { token: partnerSession })).status).toBe(401);
  });
});
