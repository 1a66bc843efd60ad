/**
 * The staff's and admin's operations in a real browser (Debian's Chromium, headless, offline) on
 * the running dev stack (PostgreSQL, the Temporal dev server, mail catcher, worker, web server):
 * the board's last email and its outcome, a cycle's dry run and compiled versions, resending an
 * email, and retrying a failed report with Temporal's reset (which the time-skipping server lacks).
 * axe-core checks every page; every page is photographed. The summaries the Temporal Web UI
 * shows are read back through the client.
 */
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCycle } from '../../src/db/queries/reporting';
import { auditLog, emailLedger } from '../../src/db/schema';
import { defaultReportingPolicyFor } from '../../src/domain/default-policy';
import { startAnnualReport } from '../../src/temporal/annual-report-client';
import { eventually, logIn, look, startBrowserStack, type BrowserStack } from '../support/browser';
import { loadedStatus } from '../support/workflow-story';

// Sends at any hour, so the invitation goes out while the test runs, whatever the time of day.
const anyHourPolicy = defaultReportingPolicyFor({ timezone: 'Europe/Berlin', sendingWindow: { start: '00:00', end: '24:00' } });
const dueDate = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);

let on: BrowserStack;

beforeAll(async () => {
  on = await startBrowserStack('web-ops');
}, 240_000);

afterAll(async () => {
  await on?.stop();
}, 60_000);

describe('operations in a browser', () => {
  it('shows the last email on the board, previews and compiles a cycle, resends an email and retries a failed report', async () => {
    const { stack, db, client } = on;
    await upsertCycle(db, { year: 2027, periodStart: '2026-01-01', periodEnd: '2026-12-31', dueDate, policy: anyHourPolicy, open: true });
    const report = await startAnnualReport(client, stack.config.temporal.taskQueue, { partnerNumber: 2, year: 2027 });
    await loadedStatus(report);
    // Started before its cycle exists: the report's first activity gives up, and the run fails.
    const failing = await startAnnualReport(client, stack.config.temporal.taskQueue, { partnerNumber: 2, year: 2033 });
    await expect(failing.result()).rejects.toThrow();
    const invitation = await eventually(async () => {
      const [row] = await db.select().from(emailLedger).where(and(eq(emailLedger.workflowId, 'annual-report/2/2027'), eq(emailLedger.status, 'sent')));
      return row;
    }, 'the invitation');

    // The summaries the Temporal Web UI shows: the workflow by partner and year, the timer by its step.
    expect(await (await report.describe()).staticSummary()).toBe('Annual report 2027 · partner 2');

    // Staff: the board's last email, then the cycle page with a dry run and a compiled version.
    const staff = await logIn(on, 'caseworker');
    await staff.goto(`${stack.urls.web}/staff/reports/2027`);
    expect(await staff.locator('tbody tr', { hasText: 'Kreis Lippe' }).textContent()).toContain('report-invitation');
    expect(await staff.locator('tbody tr', { hasText: 'Kreis Lippe' }).locator('.kern-badge').textContent()).toBe('zugestellt');
    await look(staff, '20-board-last-email');
    await staff.getByRole('link', { name: 'Berichtszyklen' }).click();
    await staff.goto(`${stack.urls.web}/staff/cycles/2027`);
    await expect.poll(() => staff.textContent('h1')).toBe('Berichtszyklus 2027');
    await staff.getByLabel('Fällig am (JJJJ-MM-TT)').fill('2027-02-30');
    await staff.getByRole('button', { name: 'Probelauf anzeigen' }).click();
    await expect.poll(() => staff.locator('.error-summary').isVisible()).toBe(true);
    await look(staff, '21-cycle-error');
    await staff.getByLabel('Fällig am (JJJJ-MM-TT)').fill(dueDate);
    await staff.getByRole('button', { name: 'Probelauf anzeigen' }).click();
    await expect.poll(() => staff.locator('#plan').count()).toBe(1);
    expect(await staff.locator('section[aria-labelledby="plan"]').textContent()).toContain('reminder-2w');
    await look(staff, '22-cycle-preview');
    await staff.getByRole('button', { name: 'Bericht zusammenstellen' }).click();
    // The cycle workflow compiles; the page says "wird erstellt …" and reloads until the version is there
    // (a while on a busy machine: the compile typesets PDF/A and DOCX).
    await expect.poll(() => staff.textContent('main'), { timeout: 150_000 }).toContain('Fassung 1 zusammengestellt.');
    expect(await staff.locator('#versions + div').textContent()).toContain('.pdf');
    await look(staff, '23-cycle-versions');

    // The admin: the workflow's emails with a resend that needs a reason.
    const admin = await logIn(on, 'admin');
    await admin.goto(`${stack.urls.web}/admin/workflow?id=${encodeURIComponent('annual-report/2/2027')}`);
    const resendForm = admin.locator(`form[action="/admin/emails/${invitation.id}/resend"]`);
    await resendForm.getByRole('button', { name: 'Erneut senden' }).click();
    await expect.poll(() => admin.locator('.error-summary').isVisible()).toBe(true);
    expect(await admin.locator('.error-summary').textContent()).toContain(`E-Mail ${invitation.id}: Begründung für das erneute Senden: Bitte füllen Sie dieses Feld aus.`);
    await look(admin, '24-resend-error');
    await resendForm.getByLabel('Begründung für das erneute Senden').fill('Partner hat die Einladung nicht erhalten');
    await resendForm.getByRole('button', { name: 'Erneut senden' }).click();
    await admin.waitForURL(/done=resend/);
    const resent = await eventually(async () => {
      const [row] = await db.select().from(emailLedger).where(like(emailLedger.idempotencyKey, 'annual-report/2/2027/initial/invitation#0/resend-1/%'));
      return row?.status === 'sent' ? row : undefined;
    }, 'the resent invitation');
    expect(resent.recipientEmail).toBe(invitation.recipientEmail);
    await admin.reload();
    expect(await admin.locator('#emails + div tbody tr').count()).toBe(2);
    await look(admin, '25-resent');

    // The failed report: the cause fixed (its cycle now exists), the admin retries it with a reason.
    await upsertCycle(db, { year: 2033, periodStart: '2032-01-01', periodEnd: '2032-12-31', dueDate: '2033-03-31', policy: anyHourPolicy, open: true });
    await admin.goto(`${stack.urls.web}/admin/workflow?id=${encodeURIComponent('annual-report/2/2033')}`);
    expect(await admin.textContent('main')).toContain('Status: FAILED');
    await look(admin, '26-failed-workflow');
    const retryForm = admin.locator('form[action="/admin/workflow/retry"]');
    await retryForm.getByLabel('Begründung').fill('Zyklus 2033 angelegt');
    await retryForm.getByRole('button', { name: 'Erneut versuchen (Reset)' }).click();
    await admin.waitForURL(/done=retry/);
    const retried = client.workflow.getHandle('annual-report/2/2033');
    expect(await loadedStatus(retried)).toMatchObject({ year: 2033, phase: 'awaiting_submission' });
    expect((await retried.describe()).status.name).toBe('RUNNING');
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.entityType, 'workflow'), eq(auditLog.entityId, 'annual-report/2/2033')));
    expect(audit).toMatchObject({ action: 'retry', actor: 'Ada Admin', details: expect.objectContaining({ reason: 'Zyklus 2033 angelegt' }) });
    await admin.reload();
    expect(await admin.textContent('main')).toContain('Status: RUNNING');
    await look(admin, '27-retried-workflow');

    const temporalUi = await admin.context().newPage();
    await temporalUi.goto(`${stack.urls.temporalUi}/namespaces/default/workflows/${encodeURIComponent('annual-report/2/2027')}`);
    await expect.poll(() => temporalUi.textContent('body'), { timeout: 20_000 }).toContain('annual-report/2/2027');
    await look(temporalUi, '28-temporal-ui', { axe: false });
    // The UI decodes the sealed summary through the stack's codec endpoint.
    // The UI decodes it asynchronously (slowly on a busy machine) and renders the summary as
    // markdown in a frame of its own: read every frame, reopening the tab until it shows.
    const everyFrame = async () => (await Promise.all(temporalUi.frames().map((frame) => frame.locator('body').textContent().catch(() => '')))).join('\n');
    await expect
      .poll(
        async () => {
          await temporalUi.getByRole('link', { name: 'User Metadata' }).or(temporalUi.getByText('User Metadata', { exact: true })).first().click();
          await temporalUi.waitForTimeout(2_000);
          const text = await everyFrame();
          if (!text.includes('Annual report 2027 · partner 2')) await temporalUi.reload();
          return text;
        },
        { timeout: 90_000, interval: 1_000 },
      )
      .toContain('Annual report 2027 · partner 2');
    const metadata = await everyFrame();
    expect(metadata).toMatch(/Activity\s*invitation/);
    expect(metadata).toMatch(/Timer\s*reminder-2w/);
    await look(temporalUi, '29-temporal-ui-summary', { axe: false });
  }, 400_000);
});
