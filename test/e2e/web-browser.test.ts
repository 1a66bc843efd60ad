/**
 * The web interface in a real browser (Debian's Chromium, headless, offline) on the running dev
 * stack: PostgreSQL, the Temporal dev server with its Web UI, the mail catcher, the worker and the
 * web server. A partner follows the link from an email that arrived over SMTP, submits with an
 * error first, then corrected; staff accept on the board; an admin reads the history and follows
 * the link into the Temporal Web UI. axe-core checks every page; every page is photographed.
 */
import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCycle } from '../../src/db/queries/reporting';
import { organisations } from '../../src/db/schema';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import { issuePartnerLink } from '../../src/email/partner-links';
import { createMailer } from '../../src/email/transport';
import { startAnnualReport } from '../../src/temporal/annual-report-client';
import { browserAccounts, browserPassword as password, look, startBrowserStack, type BrowserStack } from '../support/browser';
import { loadedStatus } from '../support/workflow-story';

const partnerMail = 'ikoe@kreis-lippe.example';

let on: BrowserStack;

beforeAll(async () => {
  on = await startBrowserStack('web');
}, 240_000);

afterAll(async () => {
  await on?.stop();
}, 60_000);

/** The link in the email as it arrived at the mail catcher over SMTP. */
async function linkFromMail(subject: string): Promise<string> {
  const viewer = on.stack.urls.mailViewer!;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const list = (await (await fetch(`${viewer}/messages.json`)).json()) as { seq: number; subject: string }[];
    const found = list.find((m) => m.subject === subject);
    if (found) {
      const mail = await simpleParser(Buffer.from(await (await fetch(`${viewer}/messages/${found.seq}.eml`)).arrayBuffer()));
      const link = /https?:\/\/\S+\/link\/[\w-]+/.exec(mail.text ?? '')?.[0];
      if (link) return link;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail "${subject}" with a link arrived`);
}

describe('the web interface in a browser', () => {
  it('takes a partner from the email to the receipt, staff to acceptance and an admin into the history', async () => {
    const { stack, db, client, browser } = on;
    await upsertCycle(db, { year: 2027, periodStart: '2026-01-01', periodEnd: '2026-12-31', dueDate: '2027-03-31', policy: defaultReportingPolicy, open: true });
    await loadedStatus(await startAnnualReport(client, stack.config.temporal.taskQueue, { partnerNumber: 2, year: 2027 }));
    const [lippe] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.number, 2));
    const link = await issuePartnerLink(db, stack.config, { organisationId: lippe!.id, purpose: 'annual-report', subject: '2027', expiresAt: new Date(Date.now() + 7 * 86_400_000) });
    const mailer = createMailer(stack.config.smtp);
    const subject = 'Jahresbericht 2027: Ihr persönlicher Link';
    await mailer.send({
      to: { name: 'Petra Schmidt', address: partnerMail },
      subject,
      text: `Guten Tag,\n\nIhr Formular: ${link.url}\n`,
      html: `<p>Guten Tag,</p><p><a href="${link.url}">Zum Formular</a></p>`,
      messageId: `<e2e-web-${Date.now()}@partnerflow.test>`,
    });
    mailer.close();
    const url = await linkFromMail(subject);
    expect(url).toBe(link.url);

    // The partner.
    const partner = await (await browser.newContext()).newPage();
    await partner.goto(stack.urls.web!);
    await look(partner, '01-home');
    await partner.goto(url);
    await expect.poll(() => partner.textContent('h1')).toBe('Ihr persönlicher Zugang');
    await look(partner, '02-link');
    await partner.getByRole('button', { name: 'Weiter zum Bericht' }).click();
    await partner.waitForURL(/\/portal\/reports\/2027$/);
    expect(partner.url()).not.toContain(link.url.split('/').at(-1)!);
    await look(partner, '03-form-empty');

    // Period stated, author explicitly not stated; figures typed as printed.
    await partner.getByLabel('Ja, Berichtszeitraum angeben').check();
    await partner.getByLabel('Berichtszeitraum, wie Sie ihn nennen').fill('2026');
    await partner.getByLabel('Beginn').fill('Januar 2026');
    await partner.locator('#f-reportingPeriod-to').fill('Dezember 2026');
    await partner.locator('#f-author-stated-nein').check();
    await partner.locator('#f-blocks-0-text').fill('Ein Jahr mit vielen Schulungen.\n\n- Seminar\n- Aktionstag');
    await partner.getByLabel('Überschrift').fill('1. Fortbildung der Beschäftigten');
    await partner.locator('#f-sections-0-blocks-0-text').fill('Alle neuen Beschäftigten wurden geschult.');
    await partner.locator('#f-sections-0-blocks-1-description').fill('Zweitägig, für alle neuen Beschäftigten.');
    await partner.locator('#f-sections-0-blocks-1-status').selectOption('laufend');
    // "Add a figure" posts and re-renders: what was typed stays.
    await partner.getByRole('button', { name: 'Kennzahl hinzufügen' }).click();
    await expect.poll(() => partner.locator('#f-sections-0-blocks-1-figures-0-label').count()).toBe(1);
    expect(await partner.locator('#f-sections-0-blocks-1-description').inputValue()).toBe('Zweitägig, für alle neuen Beschäftigten.');
    expect(await partner.locator('#f-author-stated-nein').isChecked()).toBe(true);
    await partner.locator('#f-sections-0-blocks-1-figures-0-label').fill('Teilnehmende je Seminar');
    await partner.locator('#f-sections-0-blocks-1-figures-0-value').fill('19 bis 30');
    await partner.locator('#f-sections-0-blocks-1-figures-0-referenceDate').fill('Ende des Jahres');
    await partner.locator('#f-sections-0-blocks-1-figures-0-status').selectOption('erhoben');
    await partner.locator('#f-sections-0-blocks-1-figures-0-category').selectOption('training');
    await look(partner, '03b-form-filled');
    await partner.getByRole('button', { name: 'Bericht einreichen' }).click();
    await expect.poll(() => partner.locator('.error-summary').isVisible()).toBe(true);
    expect(await partner.locator('#f-sections-0-blocks-1-figures-0-referenceDate-error').textContent()).toContain('Dieses Datum kann nicht gelesen werden');
    expect(await partner.locator('#f-blocks-0-text').inputValue()).toBe('Ein Jahr mit vielen Schulungen.\n\n- Seminar\n- Aktionstag');
    expect(await partner.locator('#f-sections-0-blocks-1-figures-0-value').inputValue()).toBe('19 bis 30');
    expect(await partner.locator('#f-sections-0-blocks-1-status').inputValue()).toBe('laufend');
    await look(partner, '04-form-error');

    await partner.getByRole('link', { name: /Abschnitt 1, Maßnahme 1, Kennzahl 1: Stichtag/ }).click();
    await expect.poll(() => partner.locator('#f-sections-0-blocks-1-figures-0-referenceDate').evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    await partner.locator('#f-sections-0-blocks-1-figures-0-referenceDate').fill('Ende 2026');
    await partner.getByRole('button', { name: 'Bericht einreichen' }).click();
    await partner.waitForURL(/\/receipts\/JB-2027-02-V1$/);
    const receipt = (await partner.textContent('main')) ?? '';
    for (const part of ['Ein Jahr mit vielen Schulungen.', '1. Fortbildung der Beschäftigten', 'Alle neuen Beschäftigten wurden geschult.', 'Titel nicht angegeben', 'Teilnehmende je Seminar', '19 bis 30', 'Ende 2026']) {
      expect(receipt).toContain(part);
    }
    expect(receipt.indexOf('Alle neuen Beschäftigten wurden geschult.')).toBeLessThan(receipt.indexOf('Zweitägig'));
    expect(receipt.match(/nicht angegeben/g)?.length).toBeGreaterThanOrEqual(4); // author, field of action twice, unit
    await look(partner, '05-receipt');
    await partner.goto(`${stack.urls.web}/portal/reports/2027/status`);
    expect(await partner.textContent('main')).toContain('JB-2027-02-V1');
    await look(partner, '06-status');
    await partner.getByRole('link', { name: 'Switch to English' }).click();
    await expect.poll(() => partner.textContent('h1')).toBe('Annual report 2027');
    await look(partner, '07-status-english');
    await partner.goto(`${stack.urls.web}/portal/reports/2027`);
    await expect.poll(() => partner.locator('#f-reportingPeriod-stated').count()).toBe(1);
    expect(await partner.getByLabel('Yes, state the reporting period').count()).toBe(1);
    await look(partner, '07b-form-english');

    // Staff.
    const staff = await (await browser.newContext()).newPage();
    await staff.goto(`${stack.urls.web}/staff/login`);
    await staff.getByLabel('E-Mail-Adresse').fill(browserAccounts.caseworker.email);
    await staff.getByLabel('Passwort').fill('falsch');
    await staff.getByRole('button', { name: 'Anmelden' }).click();
    await expect.poll(() => staff.locator('.error-summary').isVisible()).toBe(true);
    await look(staff, '08-login-error');
    await staff.getByLabel('Passwort').fill(password);
    await staff.getByRole('button', { name: 'Anmelden' }).click();
    await staff.waitForURL(/\/staff\/reports\/\d{4}$/);
    await staff.goto(`${stack.urls.web}/staff/reports/2027`);
    await look(staff, '09-board');
    // The board leads to the report's page: what the partner sent, beside the decisions.
    await staff.getByRole('link', { name: '2 – Kreis Lippe' }).click();
    await staff.waitForURL(/\/staff\/reports\/2027\/2$/);
    expect(await staff.locator('#copy').textContent()).toContain('JB-2027-02-V1');
    await look(staff, '09b-report');
    // A submitted report is accepted or sent back (or waived); its due date is past moving.
    expect(await staff.locator('form[action="/staff/reports/2027/2/extension"]').count()).toBe(0);
    const revisionForm = staff.locator('form[action="/staff/reports/2027/2/revision"]');
    await revisionForm.getByLabel('Was überarbeitet werden soll').fill('   ');
    await revisionForm.getByRole('button', { name: 'Überarbeitung anfordern' }).click();
    await expect.poll(() => staff.locator('.error-summary').isVisible()).toBe(true);
    expect(await staff.locator('#f-2-revision-comments-error').textContent()).toContain('Bitte füllen Sie dieses Feld aus.');
    await look(staff, '10-board-error');
    await staff.locator('form[action="/staff/reports/2027/2/accept"]').getByRole('button', { name: 'Annehmen' }).click();
    await staff.waitForURL(/done=2$/);
    expect(await staff.textContent('tbody')).toContain('angenommen');
    await look(staff, '11-board-accepted');
    await staff.goto(`${stack.urls.web}/staff/reports/2027/2`);
    expect(await staff.locator('section[aria-labelledby="decide"]').textContent()).toContain('Im Stand „angenommen“ ist nichts zu entscheiden.');
    expect(await staff.locator('section[aria-labelledby="decide"] form').count()).toBe(0);
    expect(await staff.locator('section[aria-labelledby="versions"]').textContent()).toContain('angenommen');

    // The admin.
    const admin = await (await browser.newContext()).newPage();
    await admin.goto(`${stack.urls.web}/staff/login`);
    await admin.getByLabel('E-Mail-Adresse').fill(browserAccounts.admin.email);
    await admin.getByLabel('Passwort').fill(password);
    await admin.getByRole('button', { name: 'Anmelden' }).click();
    await admin.waitForURL(/second-factor$/);
    await look(admin, '12-second-factor');
    await admin.getByLabel('Sechsstelliger Code aus Ihrer Authenticator-App').fill(on.totpCode());
    await admin.getByRole('button', { name: 'Bestätigen' }).click();
    await admin.waitForURL(/\/admin\/workflows$/);
    await expect.poll(async () => (await admin.reload(), await admin.textContent('main')), { timeout: 15_000 }).toContain('annual-report/2/2027');
    await look(admin, '13-workflows');
    await admin.getByRole('link', { name: 'annual-report/2/2027' }).click();
    await admin.waitForURL(/\/admin\/workflow\?id=/);
    expect(await admin.textContent('tbody')).toContain('WorkflowExecutionStarted');
    await look(admin, '14-history');
    const deepLink = await admin.getByRole('link', { name: /In der Temporal Web UI öffnen/ }).getAttribute('href');
    expect(deepLink).toBe(`http://localhost:${on.temporalUiPort}/namespaces/default/workflows/annual-report%2F2%2F2027`);
    const temporalUi = await admin.context().newPage();
    const response = await temporalUi.goto(deepLink!);
    expect(response?.status()).toBe(200);
    await expect.poll(() => temporalUi.textContent('body'), { timeout: 20_000 }).toContain('annual-report/2/2027');
    await look(temporalUi, '15-temporal-ui', { axe: false });

    // The same list through the API, on the dev server's visibility store.
    const api = (path: string, init: RequestInit = {}) => fetch(`${stack.urls.web}/api/v1${path}`, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
    const session = (await (await api('/session/login', { method: 'POST', body: JSON.stringify({ email: browserAccounts.admin.email, password }) })).json()) as { sessionToken: string };
    const bearer = { authorization: `Bearer ${session.sessionToken}` };
    expect((await api('/session/second-factor', { method: 'POST', headers: bearer, body: JSON.stringify({ code: on.totpCode() }) })).status).toBe(200);
    const listed = (await (await api('/workflows?year=2027&partner=2', { headers: bearer })).json()) as { workflowId: string; status: string; temporalUiUrl: string }[];
    expect(listed.map((row) => [row.workflowId, row.status, row.temporalUiUrl])).toEqual([['annual-report/2/2027', 'COMPLETED', deepLink]]);
    expect(await (await api('/workflows?year=2026', { headers: bearer })).json()).toEqual([]);

    const docs = await (await browser.newContext()).newPage();
    await docs.goto(`${stack.urls.web}/api/docs`);
    await expect.poll(() => docs.textContent('body'), { timeout: 30_000 }).toContain('Partnerflow API'); // Swagger UI renders the whole report schema: slow on a busy machine
    await look(docs, '16-api-docs', { axe: false });
  }, 240_000);
});
