/**
 * Resending any workflow's email, and reading a workflow's decoded history, on real parts
 * (PostgreSQL, the SMTP catcher, the time-skipping Temporal server with the product's worker):
 * an accession's invitation while the accession runs (its Update) and after it ended (from its
 * history, by a resend workflow); a milestone question of a partner's lifecycle; an erased
 * partner's history and email. Each with bad input (4xx with field lines) and roles that may not.
 */
import { like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyPartnerDataKeys } from '../../src/db/queries/partner-data-keys';
import { emailLedger } from '../../src/db/schema';
import { defaultMilestonePolicy } from '../../src/domain/default-policy';
import { startLifecycle } from '../../src/temporal/accession-client';
import { accessionTimelineQuery } from '../../workflows/contracts/accession';
import { lifecycleTimelineQuery } from '../../workflows/contracts/lifecycle';
import { accessionStart } from '../support/accession-start';
import { auditOf } from '../support/audit';
import { partner } from '../support/reporting-world';
import { createWebWorld, type WebWorld } from '../support/web-world';

let world: WebWorld;
let request: WebWorld['request'];
let sessions: Record<'staff' | 'caseworker' | 'admin', string>;
const json = { 'content-type': 'application/json' };

const velbert = accessionStart({ number: 41, name: 'Stadt Velbert', leadership: { role: 'Bürgermeister' } });

beforeAll(async () => {
  world = await createWebWorld({ onWorkerQueue: true });
  request = world.request;
  sessions = { staff: await world.sessionOf('staff'), caseworker: await world.sessionOf('caseworker'), admin: await world.sessionOf('admin') };
}, 120_000);

afterAll(async () => {
  await world?.teardown();
});

const resend = (id: number | string, body: unknown, token = sessions.admin) =>
  request(`/api/v1/emails/${id}/resend`, { method: 'POST', token, headers: json, body: JSON.stringify(body) });

async function until<T>(read: () => Promise<T | undefined>, what: string, skip?: string): Promise<T> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    const value = await read();
    if (value !== undefined) return value;
    // Sends wait for sending hours: skip the clock when asked, else give the worker a moment.
    if (skip) await world.env.sleep(skip);
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function sentRow(keyLike: string) {
  const [row] = await world.database.db.select().from(emailLedger).where(like(emailLedger.idempotencyKey, keyLike));
  return row?.status === 'sent' ? row : undefined;
}

const audit = (entityType: string, entityId: string) => auditOf(world.database.db, entityType, entityId);

/** How many copies of `subject` reached `address` over SMTP. */
const copies = (address: string, subject: string) => world.sentTo(address).filter((s) => s === subject).length;

describe('resending an accession’s email', () => {
  it('goes through the running accession’s Update, and after the accession ended through a resend workflow from its history; audited; bad input and other roles refused', async () => {
    await world.withWorker(async () => {
      expect((await request('/api/v1/accessions', { method: 'POST', token: sessions.caseworker, headers: json, body: JSON.stringify(velbert) })).status).toBe(201);
      const invitation = await until(() => sentRow('accession/41/declaration/%/partner_main_contact/%'), 'the invitation', '1 hour');
      const prefix = invitation.idempotencyKey.replace(/\/[a-z_]+\/\d+$/, '');

      // Refused: another role, no reason, a reason too long, an id that is no number.
      expect((await resend(invitation.id, { reason: 'Adresse korrigiert' }, sessions.caseworker)).status).toBe(403);
      expect((await resend(invitation.id, { reason: 'Adresse korrigiert' }, sessions.staff)).status).toBe(403);
      const empty = await resend(invitation.id, { reason: ' ' });
      expect(empty.status).toBe(422);
      expect(await empty.json()).toEqual({ errors: ['reason: must not be empty'] });
      const long = await resend(invitation.id, { reason: 'x'.repeat(2001) });
      expect(long.status).toBe(422);
      expect(((await long.json()) as { errors: string[] }).errors[0]).toMatch(/^reason: /);
      expect((await resend('abc', { reason: 'x' })).status).toBe(422);

      const accepted = await resend(invitation.id, { reason: 'Postfach war voll' });
      expect(accepted.status).toBe(202);
      expect(await accepted.json()).toMatchObject({ ledgerId: invitation.id, workflowId: 'accession/41', via: 'update', keyPrefix: `${prefix}/resend-1`, attempt: 1 });
      const again = await until(() => sentRow(`${prefix}/resend-1/partner_main_contact/%`), 'the resent invitation');
      expect(again.messageId).not.toBe(invitation.messageId);
      expect(again.recipientEmail).toBe(velbert.mainContact.email);
      expect(again.workflowId).toBe('accession/41');
      expect(copies(velbert.mainContact.email, invitation.subject)).toBe(2);
      expect(await audit('email', String(invitation.id))).toEqual([
        expect.objectContaining({ action: 'resend', actor: 'Ada Admin', details: expect.objectContaining({ reason: 'Postfach war voll', via: 'update', workflowId: 'accession/41' }) }),
      ]);
      const timeline = await world.env.client.workflow.getHandle('accession/41').query(accessionTimelineQuery);
      expect(timeline).toContainEqual(expect.objectContaining({ kind: 'event', action: 'notice-resend', by: 'staff:Ada Admin', details: expect.objectContaining({ reason: 'Postfach war voll', role: 'partner_main_contact' }) }));

      // The organisation withdraws: the accession's workflow ends. Its invitation can still be sent again.
      expect((await request('/api/v1/accessions/41/end', { method: 'POST', token: sessions.caseworker, headers: json, body: JSON.stringify({ outcome: 'withdrawn', reason: 'Kein Personal' }) })).status).toBe(200);
      await world.env.client.workflow.getHandle('accession/41').result();
      const afterEnd = await resend(again.id, { reason: 'Nachweis für die Akte' });
      expect(afterEnd.status).toBe(202);
      expect(await afterEnd.json()).toMatchObject({ via: 'resend-workflow', keyPrefix: `${prefix}/resend-2`, attempt: 2, resendWorkflowId: `${prefix}/resend-2` });
      const fromHistory = await until(() => sentRow(`${prefix}/resend-2/partner_main_contact/%`), 'the invitation resent from history');
      expect(fromHistory.template).toBe(invitation.template);
      expect(fromHistory.subject).toBe(invitation.subject);
      expect(fromHistory.workflowId).toBe('accession/41');
      expect(copies(velbert.mainContact.email, invitation.subject)).toBe(3);
      expect((await audit('email', String(again.id))).map((entry) => [entry.action, (entry.details as { via: string }).via])).toEqual([['resend', 'resend-workflow']]);
      // The admin's page offers the form on the ended workflow's emails too.
      const page = await (await request(`/admin/workflow?id=${encodeURIComponent('accession/41')}`, { headers: { cookie: `pf_session=${sessions.admin}` } })).text();
      expect(page).toContain(`action="/admin/emails/${invitation.id}/resend"`);

      // A key the history never held: refused, nothing written, nothing audited.
      const [foreign] = await world.database.db
        .insert(emailLedger)
        .values({ idempotencyKey: 'accession/41/declaration/nothing#0/partner_main_contact/1', messageId: '<nothing@test>', workflowId: 'accession/41', recipientEmail: 'x@example.org', template: 'declaration-invitation', subject: 'x', status: 'failed' })
        .returning();
      const unknown = await resend(foreign!.id, { reason: 'Test' });
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { errors: string[] }).errors[0]).toMatch(/^id: /);
      expect(await audit('email', String(foreign!.id))).toEqual([]);
    });
  }, 240_000);
});

describe('resending a milestone question of a partner’s lifecycle', () => {
  it('goes through the lifecycle’s Update: a new ledger row, received over SMTP, audited; after the year turned, from the earlier run’s history', async () => {
    await world.withWorker(async () => {
      // A month ahead of the server's clock (which earlier tests moved on): the question goes out in two days.
      const dueDate = new Date((await world.env.currentTimeMs()) + 30 * 86_400_000).toISOString().slice(0, 10);
      const lifecycle = await startLifecycle(world.env.client, world.taskQueue, {
        partnerNumber: partner.number,
        accessionDate: '2012-08-15',
        milestonePolicy: defaultMilestonePolicy,
        origin: 'import',
        milestones: [{ id: 'KL-1/1', measureTitle: 'Interkulturelle Trainings', text: 'Alle Führungskräfte geschult', dueText: 'in einem Monat', dueDate, status: 'open' }],
      });
      const question = await until(() => sentRow('lifecycle/2/milestone-KL-1/1/request#0/partner_main_contact/%'), 'the milestone question', '6 hours');
      expect(question.template).toBe('milestone-request');

      expect((await resend(question.id, { reason: 'Nachfrage der Kommune' }, sessions.caseworker)).status).toBe(403);
      const noReason = await resend(question.id, {});
      expect(noReason.status).toBe(422);
      expect(((await noReason.json()) as { errors: string[] }).errors[0]).toMatch(/^reason: /);

      const accepted = await resend(question.id, { reason: 'Nachfrage der Kommune' });
      expect(accepted.status).toBe(202);
      expect(await accepted.json()).toMatchObject({ via: 'update', workflowId: 'lifecycle/2', keyPrefix: 'lifecycle/2/milestone-KL-1/1/request#0/resend-1', attempt: 1 });
      const again = await until(() => sentRow('lifecycle/2/milestone-KL-1/1/request#0/resend-1/partner_main_contact/%'), 'the resent question');
      expect(again.messageId).not.toBe(question.messageId);
      expect(copies(partner.mainContact.email, question.subject)).toBe(2);
      expect(await audit('email', String(question.id))).toEqual([
        expect.objectContaining({ action: 'resend', actor: 'Ada Admin', details: expect.objectContaining({ reason: 'Nachfrage der Kommune', via: 'update', workflowId: 'lifecycle/2' }) }),
      ]);
      expect(await lifecycle.query(lifecycleTimelineQuery)).toContainEqual(expect.objectContaining({ kind: 'event', action: 'notice-resend', details: expect.objectContaining({ template: 'milestone-request' }) }));

      // The year turns: the lifecycle continues as new, and the new run never sent the question.
      // Its Update refuses the key; the question is read back from the earlier run's history.
      const firstRun = (await lifecycle.describe()).runId;
      await until(async () => ((await lifecycle.describe()).runId !== firstRun ? true : undefined), 'the next year’s run', '2 days');
      const lastYear = await resend(question.id, { reason: 'Kopie für die Akte' });
      expect(lastYear.status).toBe(202);
      expect(await lastYear.json()).toMatchObject({ via: 'resend-workflow', keyPrefix: 'lifecycle/2/milestone-KL-1/1/request#0/resend-2', attempt: 2 });
      await until(() => sentRow('lifecycle/2/milestone-KL-1/1/request#0/resend-2/partner_main_contact/%'), 'the question resent from last year’s run');
      expect(copies(partner.mainContact.email, question.subject)).toBe(3);
      await lifecycle.terminate('end of test');
    });
  }, 240_000);
});

describe('a workflow’s history for admins', () => {
  type History = { events: { event: string; details: string; payloads: unknown[] }[] };
  const history = async (id: string, token = sessions.admin) => request(`/api/v1/workflows/${encodeURIComponent(id)}/history`, { token });

  it('shows the payloads decoded as JSON, audits the read; other roles refused', async () => {
    expect((await history('accession/41', sessions.caseworker)).status).toBe(403);
    const response = await history('accession/41');
    expect(response.status).toBe(200);
    const { events } = (await response.json()) as History;
    const started = events.find((e) => e.event === 'WorkflowExecutionStarted');
    expect(started?.payloads).toEqual([expect.objectContaining({ partnerNumber: 41, partnerSignatoryRole: 'Bürgermeister' })]);
    const sends = events.filter((e) => e.event === 'ActivityTaskScheduled' && e.details.includes('activity=sendNotice'));
    expect(sends.length).toBeGreaterThan(0);
    expect(sends[0]?.payloads).toEqual([expect.objectContaining({ family: 'declaration', workflowId: 'accession/41' })]);
    expect(events.some((e) => e.details.includes('<binary>'))).toBe(false);
    const reads = await audit('workflow_history', 'accession/41');
    expect(reads.at(-1)).toEqual({ action: 'read', actor: 'Ada Admin', details: { decoded: true, partnerNumber: 41 } });

    const page = await (await request(`/admin/workflow?id=${encodeURIComponent('accession/41')}`, { headers: { cookie: `pf_session=${sessions.admin}` } })).text();
    expect(page).toContain('<details class="payloads"><summary>Daten</summary>');
    expect(page).toContain('&quot;partnerSignatoryRole&quot;: &quot;Bürgermeister&quot;');
  });

  it('shows an erased partner’s data as erased, and refuses to rebuild its email', async () => {
    const [row] = await world.database.db.select().from(emailLedger).where(like(emailLedger.idempotencyKey, 'accession/41/declaration/%/partner_main_contact/%'));
    await destroyPartnerDataKeys(world.database.db, row!.organisationId!);
    const response = await history('accession/41');
    expect(response.status).toBe(200);
    const { events } = (await response.json()) as History;
    const started = events.find((e) => e.event === 'WorkflowExecutionStarted');
    expect(started?.payloads).toEqual([{ erased: expect.stringMatching(/^partner 41: erased/) }]);
    const page = await (await request(`/admin/workflow?id=${encodeURIComponent('accession/41')}`, { headers: { cookie: `pf_session=${sessions.admin}` } })).text();
    expect(page).toContain('<summary>Daten (gelöscht)</summary>');

    await world.withWorker(async () => {
      const refused = await resend(row!.id, { reason: 'nach der Löschung' });
      expect(refused.status).toBe(409);
      expect(await refused.json()).toEqual({ errors: ['id: the partner’s data was erased with its key; this email cannot be rebuilt'] });
    });
  }, 120_000);
});
