/**
 * Browser tests' shared set-up: headless Debian Chromium (offline flags), the dev stack on free
 * ports with a caseworker, a signatory and an admin account, `look` (screenshot plus axe-core WCAG 2.1 AA),
 * `eventually` and a staff login through the real login page.
 *
 * Use:
 *   const browserStack = await startBrowserStack('my-test');  // in beforeAll, 240 s timeout
 *   const page = await logIn(browserStack, 'caseworker');     // or 'signatory', or 'admin' (TOTP done for you)
 *   await look(page, '01-board');                             // photographed and checked by axe
 *   const row = await eventually(() => readRow(), 'the row');  // polls until not undefined
 *   await browserStack.stop();                                // in afterAll, 60 s timeout
 * Tests that run the app on another world (e.g. the time-skipping one) use `launchChromium`,
 * `look` and `eventually` alone.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Client } from '@temporalio/client';
import * as OTPAuth from 'otpauth';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createDb, type Database } from '../../src/db/client';
import { partnerDataKeyStore } from '../../src/db/queries/partner-data-keys';
import { upsertAccount } from '../../src/db/queries/sessions';
import { startStack, type RunningStack } from '../../src/dev/stack';
import { hashPassword } from '../../src/http/secrets';
import { connectClient } from '../../src/temporal/client';
import { devStackSetup } from './cli-on-stack';

/** Where `look` puts its screenshots (SCREENSHOT_DIR, else .screenshots in the project). */
export const screenshotRoot = process.env.SCREENSHOT_DIR ?? join(process.cwd(), '.screenshots');

/** The password of every account the browser stack creates. */
export const browserPassword = 'ein-langes-Passwort-fuer-Tests';

/** The accounts on the browser stack: a caseworker and a signatory (no second factor) and an admin (TOTP). */
export const browserAccounts = {
  caseworker: { email: 'jana.becker@mkffi.example', name: 'Jana Becker', roles: ['caseworker'] },
  signatory: { email: 'staatssekretariat@mkffi.example', name: 'Büro der Staatssekretärin', roles: ['signatory'] },
  admin: { email: 'admin@mkffi.example', name: 'Ada Admin', roles: ['admin'] },
} as const;

export type BrowserStack = {
  stack: RunningStack;
  /** stack.urls.web, always set (the stack runs with its web server). */
  web: string;
  /** The port of the Temporal Web UI, for asserting deep links as the app writes them. */
  temporalUiPort: number;
  db: Database;
  client: Client;
  browser: Browser;
  /** The admin's TOTP secret; `totpCode()` gives the current code. */
  totpSecret: string;
  totpCode(): string;
  stop(): Promise<void>;
};

/** Debian's Chromium, headless, offline: nothing reaches the internet. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * The dev stack (PostgreSQL, Temporal dev server with Web UI, mail catcher, worker, web server)
 * in a data folder of its own on free ports, the browser accounts, a client and Chromium.
 * `name` names the data folder and the task queue, so two test files never share either.
 */
export async function startBrowserStack(name: string): Promise<BrowserStack> {
  const { dataDir, config, temporalPort: temporal } = await devStackSetup(name);
  mkdirSync(screenshotRoot, { recursive: true });
  const totpSecret = new OTPAuth.Secret({ size: 20 }).base32;
  const parts: { stack?: RunningStack; closeDb?: () => Promise<void>; client?: Client; browser?: Browser } = {};
  const stop = async () => {
    await parts.browser?.close();
    await parts.client?.connection.close();
    await parts.closeDb?.();
    await parts.stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const stack = await startStack(config, { temporalPort: temporal, web: true, logFor: () => () => undefined });
    parts.stack = stack;
    const { db, close } = createDb(stack.config.database.url);
    parts.closeDb = close;
    parts.client = await connectClient(stack.config, partnerDataKeyStore(db, stack.config.payloadKeys));
    const hash = await hashPassword(browserPassword);
    for (const account of Object.values(browserAccounts)) {
      await upsertAccount(db, { ...account, roles: [...account.roles], passwordHash: hash, totpSecret: account.roles.includes('admin' as never) ? totpSecret : null });
    }
    parts.browser = await launchChromium();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(totpSecret), digits: 6, period: 30 });
    if (!stack.urls.web) throw new Error('the stack runs without its web server');
    return { stack, web: stack.urls.web, temporalUiPort: config.temporal.uiPort, db, client: parts.client, browser: parts.browser, totpSecret, totpCode: () => totp.generate(), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Photographs the page (full length) and fails on any axe-core WCAG 2.1 A/AA violation, unless `axe: false` (pages not ours). */
export async function look(page: Page, name: string, options: { axe?: boolean; dir?: string } = {}): Promise<void> {
  const dir = options.dir ?? screenshotRoot;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  if (options.axe === false) return;
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${name}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Polls `read` every 200 ms until it gives something other than undefined; fails naming `what`. */
export async function eventually<T>(read: () => Promise<T | undefined>, what: string, tries = 150): Promise<T> {
  for (let attempt = 0; attempt < tries; attempt += 1) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Logs in through the login page in a fresh browser context: `who` is one of `browserAccounts`
 * on a browser stack (the admin's second factor is entered), or an email on any server at `base`
 * (password `browserPassword` unless given; no second factor).
 */
export async function logIn(on: BrowserStack | { browser: Browser; web: string }, who: keyof typeof browserAccounts | string, password = browserPassword): Promise<Page> {
  const email = who in browserAccounts ? browserAccounts[who as keyof typeof browserAccounts].email : who;
  const page = await (await on.browser.newContext()).newPage();
  await page.goto(`${on.web}/staff/login`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  if (who === 'admin' && 'totpCode' in on) {
    await page.waitForURL(/second-factor$/);
    await page.getByLabel('Sechsstelliger Code aus Ihrer Authenticator-App').fill(on.totpCode());
    await page.getByRole('button', { name: 'Bestätigen' }).click();
    await page.waitForURL(/\/admin\/workflows$/);
  } else {
    await page.waitForURL(/\/staff\/reports/);
  }
  return page;
}
