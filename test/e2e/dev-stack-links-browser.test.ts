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
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staff } from '../../src/db/schema';
import { accessionPolicySchema, type AccessionPolicyInput } from '../../src/domain/accession-policy';
import { defaultAccessionPolicyInput, defaultMilestonePolicyInput } from '../../src/domain/default-policy';
import { lifecycleStatusQuery, lifecycleWorkflowId } from '../../workflows/contracts/lifecycle';
import { browserAccounts, logIn, look as lookAt, screenshotRoot, startBrowserStack, type BrowserStack } from '../support/browser';
import { partnerflowOn } from '../support/cli-on-stack';

const screenshotDir = join(screenshotRoot, 'dev-links');
const look = (page: Page, name: string, options: { axe?: boolean } = {}) => lookAt(page, name, { ...options, dir: screenshotDir });
const mainContact = 'integration@solingen.example';
const leadership = 'ob@solingen.example';
const zone = 'Europe/Berlin';

let on: BrowserStack;

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
  on = await startBrowserStack('dev-links');
  // The caseworker who logs in is also on the ministry's staff, so the organisation can name her
  // as its caseworker (the dev stack's staff are the demo's, without accounts).
  const { email, name } = browserAccounts.caseworker;
  await on.db.insert(staff).values({ email, name, role: 'caseworker' });
}, 240_000);

afterAll(async () => {
  await on?.stop();
}, 60_000);

type CaughtSummary = { seq: number; subject: string; envelope: { to: string[] } };

/** The first mail to `address` whose subject matches, as the dev mail catcher lists it; waits for it to arrive. */
async function mailTo(address: string, subject: RegExp, timeoutMs = 60_000): Promise<CaughtSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = (await (await fetch(`${on.stack.urls.mailViewer}/messages.json`)).json()) as CaughtSummary[];
    const found = list.find((m) => m.envelope.to.includes(address) && subject.test(m.subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${address} matching ${subject} within ${timeoutMs} ms; caught: ${list.map((m) => `${m.envelope.to.join(',')}: ${m.subject}`).join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The personal link in the mail's text part, as it arrived over SMTP. */
async function textLinkOf(mail: CaughtSummary): Promise<string> {
  const parsed = await simpleParser(Buffer.from(await (await fetch(`${on.stack.urls.mailViewer}/messages/${mail.seq}.eml`)).arrayBuffer()));
  const link = /https?:\/\/\S+\/link\/[\w-]+/.exec(parsed.text ?? '')?.[0];
  if (!link) throw new Error(`the mail "${mail.subject}" carries no link in its text part`);
  return link;
}

/**
 * Opens the mail in the dev mail viewer (as its list shows it), photographs it, and clicks the
 * HTML part's button: the page that opens, in `reader`'s browser context, as in a mail client.
 */
async function followButton(reader: Page, mail: CaughtSummary, name: string, button: string): Promise<Page> {
  await reader.goto(on.stack.urls.mailViewer!);
  await reader.locator(`a[href="/messages/${mail.seq}"]`).click(); // the list shows the subject; the same mail may go to two people
  await reader.waitForURL(new RegExp(`/messages/${mail.seq}$`));
  await expect.poll(() => reader.frameLocator('iframe[title="HTML part"]').getByRole('link', { name: button, exact: true }).count()).toBe(1);
  // Photographed, not checked by axe: the viewer is a dev tool, and axe cannot enter the mail's
  // sandboxed frame (no scripts allowed there), so it waits until the test times out.
  await look(reader, name, { axe: false });
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
    const orgFile = join(on.stack.config.dataDir, 'solingen.json');
    const policyFile = join(on.stack.config.dataDir, 'policy.json');
    writeFileSync(
      orgFile,
      JSON.stringify({
        number: 40,
        name: 'Stadt Solingen',
        kind: 'municipality',
        mainContact: { name: 'Jörg Müller', email: mainContact },
        leadership: { name: 'Tim Kurzbach', email: leadership, role: 'Oberbürgermeister' },
        caseworker: browserAccounts.caseworker.email,
        agreement: {
          ministry: 'Ministerium für Kinder, Familie, Flüchtlinge und Integration des Landes Nordrhein-Westfalen',
          initiative: '„Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“',
          ministrySignatory: { name: 'Serap Güler', role: 'Staatssekretärin für Integration' },
        },
      }),
    );
    expect(accessionPolicySchema.safeParse(compressedPolicy).error).toBeUndefined();
    writeFileSync(policyFile, JSON.stringify(compressedPolicy));
    const started = await partnerflowOn(on.stack, 'accession', 'start', '--file', orgFile, '--policy', policyFile);
    expect(started.stderr).toBe('');
    expect(started.stdout).toBe('Started accession/40: Stadt Solingen is invited to declare.\n');

    // The invitation, from the mail viewer to the declaration form of this organisation.
    const invitation = await mailTo(mainContact, /^Beitritt zum Partnernetzwerk: Ihre Absichtserklärung/);
    const invitationLink = await textLinkOf(invitation);
    expect(invitationLink.startsWith(`${on.web}/link/`)).toBe(true);
    const partnerMailbox = await (await on.browser.newContext()).newPage();
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
    const staff = await logIn(on, 'caseworker');
    await staff.goto(`${on.web}/staff/accessions/40`);
    expect(await staff.textContent('main')).toContain('Zweitägige Seminare');
    await staff.getByRole('button', { name: /^Erklärung annehmen/ }).click();
    await staff.waitForURL(/done=1$/);
    expect(await staff.textContent('main')).toContain('Unterschriften ausstehend');
    await look(staff, '05-staff-accepted');

    // The agreement email to the leadership, from the mail viewer to the signing page.
    const agreementMail = await mailTo(leadership, /^Ihre Partnervereinbarung zur Unterzeichnung/);
    const agreementLink = await textLinkOf(agreementMail);
    expect(agreementLink.startsWith(`${on.web}/link/`)).toBe(true);
    const signerMailbox = await (await on.browser.newContext()).newPage();
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
    const signatory = await logIn(on, 'signatory');
    await signatory.goto(`${on.web}/staff/accessions/40`);
    expect(await signatory.textContent('main')).toContain('Tim Kurzbach');
    await signatory.getByRole('button', { name: 'Unterschrift des Ministeriums festhalten' }).click();
    await signatory.waitForURL(/done=1$/);
    expect(await signatory.textContent('main')).toContain('abgeschlossen');
    const lifecycle = on.client.workflow.getHandle(lifecycleWorkflowId(40));
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
    await signatory.goto(`${on.web}/staff/accessions/40`);
    const timeline = (await signatory.textContent('main')) ?? '';
    expect(timeline).toContain('E-Mail: Frage zum Meilenstein (request)');
    // Invitation and agreement went out at once when their step began: on time, not caught up.
    expect(timeline).not.toContain('Nachricht nachgeholt');
    expect(timeline).toContain('Meilenstein erreicht (partner)');
  }, 300_000);
});
