/**
 * A reporting world with the web server on top: the app built from the same real database and
 * the time-skipping Temporal client, accounts for each role, and helpers for requests.
 */
import * as OTPAuth from 'otpauth';
import { eq } from 'drizzle-orm';
import { upsertAccount } from '../../src/db/queries/sessions';
import { organisations } from '../../src/db/schema';
import { issuePartnerLink, type LinkPurpose } from '../../src/email/partner-links';
import { createApp } from '../../src/http/app';
import { hashPassword } from '../../src/http/secrets';
import { createReportingWorld, partner, type ReportingWorld } from './reporting-world';

export const origin = 'http://localhost:3000';
export const password = 'richtig-langes-Passwort-2027';
export const adminTotpSecret = new OTPAuth.Secret({ size: 20 }).base32;

export const people = {
  staff: { email: 'sachbearbeitung@mkffi.example', name: 'Sam Staff', roles: ['staff'] },
  caseworker: { email: 'jana.becker@mkffi.example', name: 'Jana Becker', roles: ['caseworker'] },
  admin: { email: 'admin@mkffi.example', name: 'Ada Admin', roles: ['admin', 'caseworker'] },
  signatory: { email: 'staatssekretariat@mkffi.example', name: 'Serap Güler', roles: ['signatory'] },
} as const;

export type WebWorld = ReportingWorld & {
  app: ReturnType<typeof createApp>;
  /** A request to the app as a browser on its own origin would send it. */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  organisationId(partnerNumber?: number): Promise<number>;
  /** A partner link, by default the world's partner's for its annual report of `year` (2027). */
  issueLink(options?: { year?: number; purpose?: LinkPurpose; subject?: string; expiresAt?: Date; partnerNumber?: number }): Promise<{ url: string; tokenId: number; token: string }>;
  /** A partner's session, opened as its email's link would open it. */
  partnerSessionOf(partnerNumber: number, purpose: LinkPurpose, subject: string): Promise<string>;
  /** A logged-in session token of one of `people` (admins with their TOTP code). */
  sessionOf(who: keyof typeof people): Promise<string>;
  /** A session of each of `people`. */
  sessionsOfAll(): Promise<Record<keyof typeof people, string>>;
  totpNow(): string;
};

/**
 * `onWorkerQueue`: the app starts workflows (accessions, resends) on the queue this world's worker
 * serves, so they run; without it they go to the configured queue, which nothing here serves.
 */
export async function createWebWorld(options: { rateLimitPerMinute?: number; onWorkerQueue?: boolean } = {}): Promise<WebWorld> {
  const world = await createReportingWorld();
  const { db } = world.database;
  const hash = await hashPassword(password);
  for (const person of Object.values(people)) {
    await upsertAccount(db, { ...person, roles: [...person.roles], passwordHash: hash, totpSecret: person.roles.includes('admin' as never) ? adminTotpSecret : null });
  }
  const config = options.onWorkerQueue ? { ...world.config, temporal: { ...world.config.temporal, taskQueue: world.taskQueue } } : world.config;
  const app = createApp({ db, config, temporal: world.env.client, rateLimitPerMinute: options.rateLimitPerMinute ?? 1000 });
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(adminTotpSecret), digits: 6, period: 30 });
  const request: WebWorld['request'] = async (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    if (init.method && init.method !== 'GET' && !headers.has('origin')) headers.set('origin', origin);
    return app.request(`${origin}${path}`, { ...init, headers });
  };
  const organisationId = async (partnerNumber = partner.number) => {
    const [row] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.number, partnerNumber));
    if (!row) throw new Error(`no partner ${partnerNumber}`);
    return row.id;
  };
  const issueLink: WebWorld['issueLink'] = async ({ year = 2027, purpose = 'annual-report', subject = String(year), expiresAt = new Date(Date.now() + 30 * 86_400_000), partnerNumber } = {}) => {
    const link = await issuePartnerLink(db, world.config, { organisationId: await organisationId(partnerNumber), purpose, subject, expiresAt });
    return { ...link, token: link.url.split('/').at(-1) ?? '' };
  };
  const sessionOf: WebWorld['sessionOf'] = async (who) => {
    const response = await request('/api/v1/session/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: people[who].email, password }),
    });
    const session = (await response.json()) as { sessionToken: string; secondFactorPending: boolean };
    if (session.secondFactorPending) {
      const second = await request('/api/v1/session/second-factor', {
        method: 'POST',
        token: session.sessionToken,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: totp.generate() }),
      });
      if (second.status !== 200) throw new Error(`second factor refused: ${await second.text()}`);
    }
    return session.sessionToken;
  };
  return {
    ...world,
    app,
    request,
    organisationId,
    issueLink,
    async partnerSessionOf(partnerNumber, purpose, subject) {
      const { token } = await issueLink({ partnerNumber, purpose, subject });
      const response = await request('/api/v1/session/link', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
      if (response.status !== 201) throw new Error(`link session refused (${response.status}): ${await response.text()}`);
      return ((await response.json()) as { sessionToken: string }).sessionToken;
    },
    sessionOf,
    async sessionsOfAll() {
      const sessions: Partial<Record<keyof typeof people, string>> = {};
      for (const who of Object.keys(people) as (keyof typeof people)[]) sessions[who] = await sessionOf(who);
      return sessions as Record<keyof typeof people, string>;
    },
    totpNow: () => totp.generate(),
  };
}
