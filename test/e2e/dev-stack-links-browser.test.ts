/**
 * The links in `npm run dev`'s own accession emails, followed in a real browser (Debian's
 * Chromium, headless, offline) on the running dev stack: PostgreSQL, the Temporal dev server, the
 * worker, the dev mail catcher and the web server, in real time. Staff invite an organisation
 * with the CLI; every email is opened in the dev mail viewer and its button clicked, as a person
 * would: the invitation's leads to the declaration form, the agreement email's to the signing
 * page, and once the partner is active the milestone request's to the milestone answer. Each lands
 * on its page for this organisation; axe-core checks every page; every page is photographed.
 *
 * Real time is compressed by policy, not by a clock: the accession policy (`accession start
 * --policy`) sends around the clock on every day, and its milestone policy asks about a milestone
 * due within four weeks at once (`sendIfLate`), so each email comes within seconds of its step.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Client } from '@temporalio/client';
import { DateTime } from 'luxon';
import { simpleParser } from 'mailparser';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createDb, type Database } from '../../src/db/client';
import { partnerDataKeyStore } from '../../src/db/queries/partner-data-keys';
import { upsertAccount } from '../../src/db/queries/sessions';
import { startStack, type RunningStack } from '../../src/dev/stack';
import { accessionPolicySchema, type AccessionPolicyInput } from '../../src/domain/accession-policy';
import { defaultAccessionPolicyInput, defaultMilestonePolicyInput } from '../../src/domain/default-policy';
import { hashPassword } from '../../src/http/secrets';
import { connectClient } from '../../src/temporal/client';
import { lifecycleStatusQuery, lifecycleWorkflowId } from '../../workflows/contracts/lifecycle';
import { partnerflowOn } from '../support/cli-on-stack';
import { freePorts } from '../support/ports';

const screenshotDir = join(process.env.SCREENSHOT_DIR ?? join(process.cwd(), '.screenshots'), 'dev-links');
const password = 'ein-langes-Passwort-fuer-Tests';
/** The dev stack's demo caseworker (src/dev/stack.ts), who gets an account to log in with. */
const caseworker = 'miriam.hoffmann@ministerium.example.org';
const signatoryAccount = 'staatssekretariat@mkffi.example';
const mainContact = 'integration@solingen.example';
const leadership = 'ob@solingen.example';
const zone = 'Europe/Berlin';

let dataDir: string;
let stack: RunningStack;
let db: Database;
let closeDb: () => Promise<void>;
let client: Client;
let browser: Browser;

/** Every step of the standard policies, sent at any hour of any day: the test runs whenever CI does. */
const aroundTheClock = { sendTime: '00:00', sendingWindow: { start: '00:00', end: '24:00' }, sendingDays: 'every' } as const;
const compressedPolicy = {
  declaration: { ...defaultAccessionPolicyInput.declaration, deadline: { ...defaultAccessionPolicyInput.declaration.deadline, ...aroundTheClock } },
  revision: { ...defaultAccessionPolicyInput.revision, deadline: { ...defaultAccessionPolicyInput.revision.deadline, ...aroundTheClock } },
  signature: { ...defaultAccessionPolicyInput.signature, deadline: { ...defaultAccessionPolicyInput.signature.deadline, ...aroundTheClock } },
  milestones: {
    ...defaultMilestonePolicyInput,
    ...aroundTheClock,
    // Four weeks before the milestone, as the standard policy asks; one due sooner is asked at once.
    steps: defaultMilestonePolicyInput.steps.map((step) => (step.id === 'request' ? { ...step, sendIfLate: true } : step)),
  },
} satisfies AccessionPolicyInput;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'partnerflow-dev-links-'));
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
    TEMPORAL_TASK_QUEUE: 'e2e-dev-links',
  });
  stack = await startStack(config, { temporalPort: temporal, web: true, logFor: () => () => undefined });
  ({ db, close: closeDb } = createDb(stack.config.database.url));
  client = await connectClient(stack.config, partnerDataKeyStore(db, stack.config.payloadKeys));
  const hash = await hashPassword(password);
  await upsertAccount(db, { email: caseworker, name: 'Miriam Hoffmann', passwordHash: hash, roles: ['caseworker'], totpSecret: null });
  await upsertAccount(db, { email: signatoryAccount, name: 'Büro der Staatssekretärin', passwordHash: hash, roles: ['signatory'], totpSecret: null });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await client?.connection.close();
  await closeDb?.();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

// Browser set-up, as in web-browser.test.ts: to be replaced by the shared module in test/support
// once it lands (launchBrowser, look, logIn have the same shape there).
function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

async function look(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${name}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function logIn(email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${stack.urls.web}/staff/login`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL(/\/staff\/reports/);
  return page;
}

type CaughtSummary = { seq: number; subject: string; envelope: { to: string[] } };

/** The first mail to `address` whose subject matches, as the dev mail catcher lists it; waits for it to arrive. */
async function mailTo(address: string, subject: RegExp, timeoutMs = 60_000): Promise<CaughtSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = (await (await fetch(`${stack.urls.mailViewer}/messages.json`)).json()) as CaughtSummary[];
    const found = list.find((m) => m.envelope.to.includes(address) && subject.test(m.subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${address} matching ${subject} within ${timeoutMs} ms; caught: ${list.map((m) => `${m.envelope.to.join(',')}: ${m.subject}`).join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The personal link in the mail's text part, as it arrived over SMTP. */
async function textLinkOf(mail: CaughtSummary): Promise<string> {
  const parsed = await simpleParser(Buffer.from(await (await fetch(`${stack.urls.mailViewer}/messages/${mail.seq}.eml`)).arrayBuffer()));
  const link = /https?:\/\/\S+\/link\/[\w-]+/.exec(parsed.text ?? '')?.[0];
  if (!link) throw new Error(`the mail "${mail.subject}" carries no link in its text part`);
  return link;
}

/**
 * Opens the mail in the dev mail viewer (as its list shows it), photographs it, and clicks the
 * HTML part's button: the page that opens, in `reader`'s browser context, as in a mail client.
 */
async function followButton(reader: Page, mail: CaughtSummary, name: string, button: string): Promise<Page> {
  await reader.goto(stack.urls.mailViewer!);
  await reader.locator(`a[href="/messages/${mail.seq}"]`).click(); // the list shows the subject; the same mail may go to two people
  await reader.waitForURL(new RegExp(`/messages/${mail.seq}$`));
  await expect.poll(() => reader.frameLocator('iframe[title="HTML part"]').getByRole('link', { name: button, exact: true }).count()).toBe(1);
  // Photographed, not checked by axe: the viewer is a dev tool, and axe cannot enter the mail's
  // sandboxed frame (no scripts allowed there), so it waits until the test times out.
  await reader.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
  const [opened] = await Promise.all([
    reader.context().waitForEvent('page'),
    reader.frameLocator('iframe[title="HTML part"]').getByRole('link', { name: button, exact: true }).click(),
  ]);
  await opened.waitForLoadState();
  return opened;
}

describe("the links in the dev stack's accession emails", () => {
  it('lead from the invitation to the declaration form, from the agreement email to signing, and from the milestone request to the answer', async () => {
    // Staff invite the organisation with the CLI, under the compressed policy.
    const orgFile = join(dataDir, 'solingen.json');
    const policyFile = join(dataDir, 'policy.json');
    writeFileSync(
      orgFile,
      JSON.stringify({
        number: 40,
        name: 'Stadt Solingen',
        kind: 'municipality',
        mainContact: { name: 'Jörg Müller', email: mainContact },
        leadership: { name: 'Tim Kurzbach', email: leadership, role: 'Oberbürgermeister' },
        caseworker,
        agreement: {
          ministry: 'Ministerium für Kinder, Familie, Flüchtlinge und Integration des Landes Nordrhein-Westfalen',
          initiative: '„Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“',
          ministrySignatory: { name: 'Serap Güler', role: 'Staatssekretärin für Integration' },
        },
      }),
    );
    expect(accessionPolicySchema.safeParse(compressedPolicy).error).toBeUndefined();
    writeFileSync(policyFile, JSON.stringify(compressedPolicy));
    const started = await partnerflowOn(stack, 'accession', 'start', '--file', orgFile, '--policy', policyFile);
    expect(started.stderr).toBe('');
    expect(started.stdout).toBe('Started accession/40: Stadt Solingen is invited to declare.\n');

    // The invitation, from the mail viewer to the declaration form of this organisation.
    const invitation = await mailTo(mainContact, /^Beitritt zum Partnernetzwerk: Ihre Absichtserklärung/);
    const invitationLink = await textLinkOf(invitation);
    expect(invitationLink.startsWith(`${stack.urls.web}/link/`)).toBe(true);
    const partnerMailbox = await (await browser.newContext()).newPage();
    const partner = await followButton(partnerMailbox, invitation, '01-invitation-mail', 'Zum Formular');
    expect(partner.url()).toBe(invitationLink);
    await expect.poll(() => partner.textContent('h1')).toBe('Ihr persönlicher Zugang');
    expect(await partner.textContent('main')).toContain('Stadt Solingen');
    await look(partner, '02-invitation-link');
    await partner.getByRole('button', { name: 'Weiter zur Erklärung' }).click();
    await partner.waitForURL(/\/portal\/accession\/declaration$/);
    expect(await partner.textContent('main')).toContain('Stadt Solingen');
    await look(partner, '03-declaration-form');

    // One measure with a milestone due in two weeks: within the four weeks before which it is asked about.
    const milestoneDue = DateTime.now().setZone(zone).plus({ days: 14 }).toFormat('dd.MM.yyyy');
    await partner.getByLabel('Kürzel der Maßnahme').fill('SG-1');
    await partner.getByLabel('Titel', { exact: true }).fill('Fortbildung der Beschäftigten in interkultureller Kompetenz');
    await partner.getByLabel('Handlungsfeld').selectOption('FORTBILDUNG');
    await partner.locator('#f-measures-0-description').fill('Zweitägige Seminare für alle Beschäftigten mit Publikumsverkehr.');
    await partner.locator('#f-measures-0-milestones-0-text').fill('Alle Führungskräfte sind geschult');
    await partner.locator('#f-measures-0-milestones-0-due').fill(milestoneDue);
    await partner.getByRole('button', { name: 'Erklärung einreichen' }).click();
    await partner.waitForURL(/\/receipts\/1$/);
    expect(await partner.textContent('main')).toContain('Fassung 1 Ihrer Erklärung ist eingegangen.');
    await look(partner, '04-declaration-receipt');

    // Staff accept in the browser: the agreement is made and sent.
    const staff = await logIn(caseworker);
    await staff.goto(`${stack.urls.web}/staff/accessions/40`);
    expect(await staff.textContent('main')).toContain('Zweitägige Seminare');
    await staff.getByRole('button', { name: /^Erklärung annehmen/ }).click();
    await staff.waitForURL(/done=1$/);
    expect(await staff.textContent('main')).toContain('Unterschriften ausstehend');
    await look(staff, '05-staff-accepted');

    // The agreement email to the leadership, from the mail viewer to the signing page.
    const agreementMail = await mailTo(leadership, /^Ihre Partnervereinbarung zur Unterzeichnung/);
    const agreementLink = await textLinkOf(agreementMail);
    expect(agreementLink.startsWith(`${stack.urls.web}/link/`)).toBe(true);
    const signerMailbox = await (await browser.newContext()).newPage();
    const signer = await followButton(signerMailbox, agreementMail, '06-agreement-mail', 'Zur Vereinbarung');
    expect(signer.url()).toBe(agreementLink);
    expect(await signer.textContent('main')).toContain('Stadt Solingen');
    await signer.getByRole('button', { name: 'Weiter zur Vereinbarung' }).click();
    await signer.waitForURL(/\/portal\/accession\/agreement$/);
    const agreementText = (await signer.textContent('main')) ?? '';
    for (const part of ['Stadt Solingen', 'Fortbildung der Beschäftigten in interkultureller Kompetenz', 'Alle Führungskräfte sind geschult', 'Serap Güler']) expect(agreementText).toContain(part);
    await look(signer, '07-agreement');
    await signer.getByLabel('Vor- und Nachname').fill('Tim Kurzbach');
    await signer.getByLabel(/Ich bin berechtigt, für meine Organisation zu unterzeichnen/).check();
    await signer.getByRole('button', { name: 'Vereinbarung unterzeichnen' }).click();
    await signer.waitForURL(/signed=1$/);
    expect(await signer.textContent('main')).toContain('Ihre Unterschrift ist festgehalten.');
    await look(signer, '08-signed');

    // The signatory records the ministry's signature; the organisation becomes an active partner.
    const signatory = await logIn(signatoryAccount);
    await signatory.goto(`${stack.urls.web}/staff/accessions/40`);
    expect(await signatory.textContent('main')).toContain('Tim Kurzbach');
    await signatory.getByRole('button', { name: 'Unterschrift des Ministeriums festhalten' }).click();
    await signatory.waitForURL(/done=1$/);
    expect(await signatory.textContent('main')).toContain('abgeschlossen');
    const lifecycle = client.workflow.getHandle(lifecycleWorkflowId(40));
    await expect.poll(async () => (await lifecycle.query(lifecycleStatusQuery).catch(() => undefined))?.phase, { timeout: 30_000 }).toBe('active');
    await signatory.reload();
    expect(await signatory.textContent('main')).toContain('aktiver Partner');
    await look(signatory, '09-active-partner');

    // The milestone request comes within seconds; its link leads to this milestone's answer.
    const request = await mailTo(mainContact, /^Meilenstein „Alle Führungskräfte sind geschult“: erreicht\?/, 30_000);
    const requestLink = await textLinkOf(request);
    const answering = await followButton(partnerMailbox, request, '10-milestone-mail', 'Rückmeldung geben');
    expect(answering.url()).toBe(requestLink);
    expect(await answering.textContent('main')).toContain('Stadt Solingen');
    await answering.getByRole('button', { name: 'Weiter zu den Meilensteinen' }).click();
    await answering.waitForURL(/\/portal\/milestones$/);
    const milestonesText = (await answering.textContent('main')) ?? '';
    for (const part of ['Stadt Solingen', 'Alle Führungskräfte sind geschult', 'Fortbildung der Beschäftigten in interkultureller Kompetenz']) expect(milestonesText).toContain(part);
    await look(answering, '11-milestone');
    const answeredOn = [DateTime.now().setZone(zone).toISODate()];
    await answering.getByLabel('erreicht', { exact: true }).check();
    await answering.getByRole('button', { name: 'Antwort senden' }).click();
    await answering.waitForURL(/answered=/);
    expect(await answering.textContent('main')).toContain('Ihre Antwort ist festgehalten.');
    await look(answering, '12-milestone-answered');
    answeredOn.push(DateTime.now().setZone(zone).toISODate()); // either day, should the answer cross midnight
    const milestone = (await lifecycle.query(lifecycleStatusQuery)).milestones[0];
    expect(milestone?.status).toBe('reached');
    expect(answeredOn).toContain(milestone?.reachedOn);
    await signatory.goto(`${stack.urls.web}/staff/accessions/40`);
    const timeline = (await signatory.textContent('main')) ?? '';
    expect(timeline).toContain('E-Mail: Frage zum Meilenstein (request)');
    // Invitation and agreement went out at once when their step began: on time, not caught up.
    expect(timeline).not.toContain('Nachricht nachgeholt');
    expect(timeline).toContain('Meilenstein erreicht (partner)');
  }, 300_000);
});
