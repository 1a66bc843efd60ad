/**
 * The staff's and admin's operations in a real browser (Debian's Chromium, headless, offline) on
 * the running dev stack (PostgreSQL, the Temporal dev server, mail catcher, worker, web server):
 * the board's last email and its outcome, a cycle's dry run and compiled versions, resending an
 * email, and retrying a failed report with Temporal's reset (which the time-skipping server lacks).
 * axe-core checks every page; every page is photographed. The summaries the Temporal Web UI
 * shows are read back through the client.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Client } from '@temporalio/client';
import { and, eq, like } from 'drizzle-orm';
import * as OTPAuth from 'otpauth';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createDb, type Database } from '../../src/db/client';
import { partnerDataKeyStore } from '../../src/db/queries/partner-data-keys';
import { upsertCycle } from '../../src/db/queries/reporting';
import { upsertAccount } from '../../src/db/queries/sessions';
import { auditLog, emailLedger } from '../../src/db/schema';
import { startStack, type RunningStack } from '../../src/dev/stack';
import { defaultReportingPolicyFor } from '../../src/domain/default-policy';
import { hashPassword } from '../../src/http/secrets';
import { startAnnualReport } from '../../src/temporal/annual-report-client';
import { connectClient } from '../../src/temporal/client';
import { freePorts } from '../support/ports';
import { loadedStatus } from '../support/workflow-story';

const screenshotDir = process.env.SCREENSHOT_DIR ?? join(process.cwd(), '.screenshots');
const totpSecret = new OTPAuth.Secret({ size: 20 }).base32;
const password = 'ein-langes-Passwort-fuer-Tests';
// Sends at any hour, so the invitation goes out while the test runs, whatever the time of day.
const anyHourPolicy = defaultReportingPolicyFor({ timezone: 'Europe/Berlin', sendingWindow: { start: '00:00', end: '24:00' } });
const dueDate = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);

let dataDir: string;
let stack: RunningStack;
let db: Database;
let closeDb: () => Promise<void>;
let client: Client;
let browser: Browser;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'partnerflow-web-ops-'));
  chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user and must enter the folder
  mkdirSync(screenshotDir, { recursive: true });
  const [postgres, temporal, ui, smtp, mailWeb, web, codec] = await freePorts(7);
  const config = loadConfig({
    PARTNERFLOW_CACHE: process.env.PARTNERFLOW_CACHE,
    PARTNERFLOW_DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(postgres),
    TEMPORAL_UI_PORT: String(ui),
    MAIL_CATCHER_PORT: String(smtp),
    MAIL_CATCHER_WEB_PORT: String(mailWeb),
    CODEC_SERVER_PORT: String(codec),
    PUBLIC_BASE_URL: `http://localhost:${web}`,
    TEMPORAL_TASK_QUEUE: 'e2e-web-ops',
  });
  stack = await startStack(config, { temporalPort: temporal, web: true, logFor: () => () => undefined });
  ({ db, close: closeDb } = createDb(stack.config.database.url));
  client = await connectClient(stack.config, partnerDataKeyStore(db, stack.config.payloadKeys));
  const hash = await hashPassword(password);
  await upsertAccount(db, { email: 'jana.becker@mkffi.example', name: 'Jana Becker', passwordHash: hash, roles: ['caseworker'], totpSecret: null });
  await upsertAccount(db, { email: 'admin@mkffi.example', name: 'Ada Admin', passwordHash: hash, roles: ['admin'], totpSecret });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await client?.connection.close();
  await closeDb?.();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

async function look(page: Page, name: string, options: { axe?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
  if (options.axe === false) return;
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${name}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function eventually<T>(read: () => Promise<T | undefined>, what: string, tries = 150): Promise<T> {
  for (let attempt = 0; attempt < tries; attempt += 1) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function logIn(email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${stack.urls.web}/staff/login`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  if (email.startsWith('admin')) {
    await page.waitForURL(/second-factor$/);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(totpSecret), digits: 6, period: 30 });
    await page.getByLabel('Sechsstelliger Code aus Ihrer Authenticator-App').fill(totp.generate());
    await page.getByRole('button', { name: 'Bestätigen' }).click();
    await page.waitForURL(/\/admin\/workflows$/);
  } else {
    await page.waitForURL(/\/staff\/reports\/\d{4}$/);
  }
  return page;
}

describe('operations in a browser', () => {
  it('shows the last email on the board, previews and compiles a cycle, resends an email and retries a failed report', async () => {
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
    const staff = await logIn('jana.becker@mkffi.example');
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
    // The cycle workflow compiles; the page says "wird erstellt …" and follows until the version is there.
    await expect.poll(() => staff.textContent('main'), { timeout: 60_000 }).toContain('Fassung 1 zusammengestellt.');
    expect(await staff.locator('#versions + div').textContent()).toContain('.pdf');
    await look(staff, '23-cycle-versions');

    // The admin: the workflow's emails with a resend that needs a reason.
    const admin = await logIn('admin@mkffi.example');
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
