/**
 * An organisation's whole accession in a real browser (Debian's Chromium, headless, offline), on
 * real parts: PostgreSQL, SMTP into the mail catcher, the time-skipping Temporal server with the
 * product's worker, and the web server over HTTP. A caseworker invites; the partner follows the
 * invitation's link from the email, declares (an error first, then corrected); staff ask for a
 * revision, the partner revises, staff accept; the partner's leadership signs through the
 * agreement email's link, the signatory records the state secretary's signature, and the
 * organisation is an active partner whose lifecycle runs. axe-core checks every page; every page
 * is photographed.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertAccount } from '../../src/db/queries/sessions';
import { issuePartnerLink } from '../../src/email/partner-links';
import { createApp } from '../../src/http/app';
import { hashPassword } from '../../src/http/secrets';
import { lifecycleStatusQuery, lifecycleWorkflowId } from '../../workflows/contracts/lifecycle';
import { launchChromium, logIn as logInAt, look as lookAt, screenshotRoot } from '../support/browser';
import { freePorts } from '../support/ports';
import { createWebWorld, password, type WebWorld } from '../support/web-world';
import { sleepUntil } from '../support/workflow-story';

const screenshotDir = join(screenshotRoot, 'accession');
const mainContact = 'integration@solingen.example';
const leadership = 'ob@solingen.example';

let world: WebWorld;
let browser: Browser;
let base: string;
let stopServer: () => Promise<void>;

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  const [port] = await freePorts(1);
  base = `http://localhost:${port}`;
  world = await createWebWorld();
  // The worker issues the emails' links under the public address: the one this test serves on.
  Object.assign(world.config, { publicBaseUrl: base, temporal: { ...world.config.temporal, taskQueue: world.taskQueue } });
  const hash = await hashPassword(password);
  await upsertAccount(world.database.db, { email: 'staatssekretariat@mkffi.example', name: 'Büro der Staatssekretärin', roles: ['signatory'], passwordHash: hash, totpSecret: null });
  const app = createApp({ db: world.database.db, config: world.config, temporal: world.env.client, rateLimitPerMinute: 1000 });
  const server = serve({ fetch: app.fetch, port: port!, hostname: '127.0.0.1' });
  stopServer = () => new Promise((resolve) => server.close(() => resolve()));
  // Tuesday 04.05.2027, 11:00 in Düsseldorf: a working day inside the sending window.
  await sleepUntil(world, '2027-05-04T09:00:00Z');
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stopServer?.();
  await world?.teardown();
}, 60_000);

const look = (page: Page, name: string) => lookAt(page, name, { dir: screenshotDir });

/** The personal link in the next email to `address` (after the `seen` first ones) as it arrived over SMTP. */
async function linkInMail(address: string, seen: number): Promise<{ link: string; subject: string }> {
  const mail = await world.mail.waitFor((m) => m.envelope.to.includes(address) && world.mail.messages.filter((o) => o.envelope.to.includes(address)).indexOf(m) >= seen, 60_000);
  const link = /https?:\/\/\S+\/link\/[\w-]+/.exec(mail.text ?? '')?.[0];
  if (!link) throw new Error(`the mail "${mail.subject}" carries no link`);
  return { link, subject: mail.subject ?? '' };
}
const mailsTo = (address: string) => world.mail.messages.filter((m) => m.envelope.to.includes(address)).length;

const logIn = (email: string): Promise<Page> => logInAt({ browser, web: base }, email, password);

describe('an accession in the browser', () => {
  it('takes an organisation from the invitation to an active partner', async () => {
    await world.withWorker(async () => {
      // The caseworker invites the organisation.
      const staff = await logIn('jana.becker@mkffi.example');
      await staff.getByRole('link', { name: 'Beitritte' }).click();
      await staff.waitForURL(/\/staff\/accessions$/);
      await look(staff, '01-organisations');
      await staff.getByRole('link', { name: 'Beitritt beginnen (Organisation einladen)' }).click();
      await staff.getByLabel('Partnernummer').fill('40');
      await staff.getByLabel('Name der Organisation').fill('Stadt Solingen');
      await staff.getByLabel('Art der Organisation').selectOption('municipality');
      await staff.getByLabel('Zuständige Sachbearbeitung (E-Mail-Adresse)').fill('jana.becker@mkffi.example');
      await staff.getByLabel('Ansprechperson: Name').fill('Jörg Müller');
      await staff.getByLabel('Ansprechperson: E-Mail-Adresse').fill('integration(at)solingen');
      await staff.getByLabel('Leitung: Name').fill('Tim Kurzbach');
      await staff.getByLabel('Leitung: E-Mail-Adresse').fill(leadership);
      await staff.getByLabel('Leitung: Funktion (z. B. Landrat)').fill('Oberbürgermeister');
      await staff.getByLabel('Name der Initiative').fill('„Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!“');
      await staff.getByLabel('Unterzeichnet für das Ministerium: Name').fill('Serap Güler');
      await staff.getByLabel('Unterzeichnet für das Ministerium: Amt').fill('Staatssekretärin für Integration');
      await staff.getByRole('button', { name: 'Einladen' }).click();
      await expect.poll(() => staff.locator('.error-summary').isVisible()).toBe(true);
      expect(await staff.locator('#f-mainContact-email-error').textContent()).toContain('Bitte eine gültige E-Mail-Adresse eingeben.');
      expect(await staff.getByLabel('Leitung: Name').inputValue()).toBe('Tim Kurzbach');
      await look(staff, '02-start-error');
      await staff.getByLabel('Ansprechperson: E-Mail-Adresse').fill(mainContact);
      await staff.getByRole('button', { name: 'Einladen' }).click();
      await staff.waitForURL(/\/staff\/accessions\/40\?done=started$/);
      await look(staff, '03-organisation-invited');

      // The partner follows the invitation that arrived over SMTP.
      const invitation = await linkInMail(mainContact, 0);
      expect(invitation.link.startsWith(`${base}/link/`)).toBe(true);
      const partner = await (await browser.newContext()).newPage();
      await partner.goto(invitation.link);
      await expect.poll(() => partner.textContent('h1')).toBe('Ihr persönlicher Zugang');
      await look(partner, '04-link');
      await partner.getByRole('button', { name: /^Weiter/ }).click();
      await partner.waitForURL(/\/portal\/accession\/declaration$/);
      await look(partner, '05-declaration-empty');

      await partner.getByLabel('Kürzel der Maßnahme').fill('SG-1');
      await partner.getByLabel('Titel', { exact: true }).fill('Fortbildung der Beschäftigten in interkultureller Kompetenz');
      await partner.getByLabel('Handlungsfeld').selectOption('FORTBILDUNG');
      await partner.locator('#f-measures-0-milestones-0-text').fill('Alle Führungskräfte sind geschult');
      await partner.locator('#f-measures-0-milestones-0-due').fill('irgendwann bald');
      await partner.getByRole('button', { name: 'Erklärung einreichen' }).click();
      await expect.poll(() => partner.locator('.error-summary').isVisible()).toBe(true);
      expect(await partner.locator('#f-measures-0-description-error').textContent()).toContain('Bitte füllen Sie dieses Feld aus.');
      expect(await partner.locator('#f-measures-0-milestones-0-due-error').textContent()).toContain('Dieses Datum kann nicht gelesen werden');
      expect(await partner.getByLabel('Kürzel der Maßnahme').inputValue()).toBe('SG-1');
      await look(partner, '06-declaration-error');
      await partner.getByRole('link', { name: /Maßnahme 1: Beschreibung/ }).click();
      await partner.locator('#f-measures-0-description').fill('Zweitägige Seminare für alle Beschäftigten mit Publikumsverkehr.');
      await partner.locator('#f-measures-0-milestones-0-due').fill('bis Frühjahr 2028');
      await partner.getByRole('button', { name: 'Erklärung einreichen' }).click();
      await partner.waitForURL(/\/receipts\/1$/);
      expect(await partner.textContent('main')).toContain('Fassung 1 Ihrer Erklärung ist eingegangen.');
      expect(await partner.textContent('main')).toContain('bis Frühjahr 2028');
      await look(partner, '07-declaration-receipt');

      // Staff ask for a revision.
      await staff.goto(`${base}/staff/accessions/40`);
      expect(await staff.textContent('main')).toContain('Zweitägige Seminare');
      await look(staff, '08-review');
      await staff.getByLabel('Anmerkungen für die Organisation').fill('Bitte ergänzen Sie eine Maßnahme zur Personalgewinnung.');
      await staff.getByRole('button', { name: 'Überarbeitung anfordern' }).click();
      await staff.waitForURL(/done=1$/);
      expect(await staff.textContent('main')).toContain('Überarbeitung angefordert');

      // The partner revises from the revision email's link.
      const revision = await linkInMail(mainContact, 2);
      await partner.goto(revision.link);
      await partner.getByRole('button', { name: /^Weiter/ }).click();
      await partner.waitForURL(/\/portal\/accession\/declaration$/);
      expect(await partner.textContent('main')).toContain('Bitte ergänzen Sie eine Maßnahme zur Personalgewinnung.');
      expect(await partner.getByLabel('Kürzel der Maßnahme').inputValue()).toBe('SG-1');
      await look(partner, '09-declaration-revision');
      await partner.getByRole('button', { name: 'Weitere Maßnahme hinzufügen' }).click();
      await expect.poll(() => partner.locator('#f-measures-1-id').count()).toBe(1);
      await partner.locator('#f-measures-1-id').fill('SG-2');
      await partner.locator('#f-measures-1-title').fill('Direktansprache bei Stellenbesetzungen');
      await partner.locator('#f-measures-1-fieldOfAction').selectOption('PERSONALGEWINNUNG');
      await partner.locator('#f-measures-1-description').fill('Menschen mit Migrationsgeschichte werden gezielt angesprochen.');
      await partner.getByRole('button', { name: 'Entwurf speichern' }).click();
      await expect.poll(() => partner.textContent('main')).toContain('Ihr Entwurf wurde gespeichert.');
      await partner.getByRole('link', { name: 'English' }).click();
      await expect.poll(() => partner.textContent('h1')).toBe('Your declaration of accession');
      expect(await partner.locator('#f-measures-1-id').inputValue()).toBe('SG-2');
      await look(partner, '10-declaration-english');
      await partner.getByRole('link', { name: 'Deutsch' }).click();
      await partner.getByRole('button', { name: 'Erklärung einreichen' }).click();
      await partner.waitForURL(/\/receipts\/2$/);

      // Staff accept: the agreement is made and sent.
      await staff.goto(`${base}/staff/accessions/40`);
      expect(await staff.textContent('main')).toContain('Direktansprache bei Stellenbesetzungen');
      await staff.getByRole('button', { name: /^Erklärung annehmen/ }).click();
      await staff.waitForURL(/done=1$/);
      expect(await staff.textContent('main')).toContain('Unterschriften ausstehend');
      // A caseworker records no signature of the ministry.
      expect(await staff.getByRole('button', { name: 'Unterschrift des Ministeriums festhalten' }).count()).toBe(0);
      await look(staff, '11-awaiting-signatures');

      // The leadership signs through the agreement email's link.
      const agreement = await linkInMail(leadership, 0);
      const signer = await (await browser.newContext()).newPage();
      await signer.goto(agreement.link);
      await signer.getByRole('button', { name: /^Weiter/ }).click();
      await signer.waitForURL(/\/portal\/accession\/agreement$/);
      const text = (await signer.textContent('main')) ?? '';
      for (const part of ['Stadt Solingen', 'Fortbildung der Beschäftigten in interkultureller Kompetenz', 'Direktansprache bei Stellenbesetzungen', 'Alle Führungskräfte sind geschult', 'Serap Güler']) expect(text).toContain(part);
      const pdf = await signer.request.get(`${base}/portal/accession/agreement.pdf`);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
      await look(signer, '12-agreement');
      await signer.getByLabel('Vor- und Nachname').fill('Tim Kurzbach');
      await signer.getByRole('button', { name: 'Vereinbarung unterzeichnen' }).click();
      await expect.poll(() => signer.locator('.error-summary').isVisible()).toBe(true);
      expect(await signer.locator('#f-confirm-error').textContent()).toContain('Bitte bestätigen Sie die Unterzeichnung.');
      await look(signer, '13-sign-error');
      await signer.getByLabel(/Ich bin berechtigt, für meine Organisation zu unterzeichnen/).check();
      await signer.getByRole('button', { name: 'Vereinbarung unterzeichnen' }).click();
      await signer.waitForURL(/signed=1$/);
      expect(await signer.textContent('main')).toContain('Ihre Unterschrift ist festgehalten.');
      await look(signer, '14-signed');

      // The signatory records the state secretary's signature; the organisation joins.
      const signatory = await logIn('staatssekretariat@mkffi.example');
      await signatory.goto(`${base}/staff/accessions/40`);
      await look(signatory, '15-ministry-signature');
      expect(await signatory.getByLabel('Vor- und Nachname').inputValue()).toBe('Serap Güler');
      await signatory.getByRole('button', { name: 'Unterschrift des Ministeriums festhalten' }).click();
      await signatory.waitForURL(/done=1$/);
      expect(await signatory.textContent('main')).toContain('abgeschlossen');
      const lifecycle = world.env.client.workflow.getHandle(lifecycleWorkflowId(40));
      await expect.poll(async () => (await lifecycle.query(lifecycleStatusQuery).catch(() => undefined))?.phase, { timeout: 30_000 }).toBe('active');
      await signatory.reload();
      expect(await signatory.textContent('main')).toContain('aktiver Partner');
      expect(await signatory.textContent('main')).toContain('Partnerschaft begonnen');
      await look(signatory, '16-active-partner');
      await signatory.goto(`${base}/staff/accessions`);
      expect(await signatory.locator('tr', { hasText: 'Stadt Solingen' }).textContent()).toContain('aktiver Partner');

      // The welcome reaches the partner; its milestone can be answered from a milestone link.
      await expect.poll(() => mailsTo(mainContact), { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
      const milestoneLink = await issuePartnerLink(world.database.db, world.config, {
        organisationId: await world.organisationId(40),
        purpose: 'milestone',
        subject: 'SG-1/1',
        expiresAt: new Date(Date.now() + 7 * 86_400_000),
      });
      await partner.goto(milestoneLink.url);
      await partner.getByRole('button', { name: /^Weiter/ }).click();
      await partner.waitForURL(/\/portal\/milestones$/);
      expect(await partner.textContent('main')).toContain('Alle Führungskräfte sind geschult');
      await look(partner, '17-milestone');
      await partner.getByLabel('verschiebt sich').check();
      await partner.getByLabel('Neues Datum (TT.MM.JJJJ)').fill('31.10.2028');
      await partner.getByRole('button', { name: 'Antwort senden' }).click();
      await partner.waitForURL(/answered=/);
      expect(await partner.textContent('main')).toContain('Ihre Antwort ist festgehalten.');
      expect((await lifecycle.query(lifecycleStatusQuery)).milestones[0]).toMatchObject({ status: 'delayed', revisedDueDate: '2028-10-31' });
      await look(partner, '18-milestone-answered');
      await signatory.goto(`${base}/staff/accessions/40`);
      expect(await signatory.textContent('main')).toContain('Meilenstein verschoben (partner)');
    });
  }, 300_000);
});
