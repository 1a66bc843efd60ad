/**
 * Who is asking: a session cookie (pages) or a bearer token (API), both the same session row.
 * Partners get a session by exchanging a link token on a POST; ministry people by logging in,
 * admins with a second factor (TOTP) before any admin page opens.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as OTPAuth from 'otpauth';
import { recordAudit } from '../db/queries/audit';
import { findPartnerLinkByHash, findPartnerLinkById, markPartnerLinkUsed } from '../db/queries/partner-links';
import { completeSecondFactor, findAccountByEmail, findAccountById, findLiveSession, insertSession } from '../db/queries/sessions';
import { accountRoles, type Account, type AccountRole } from '../db/schema';
import { linkState } from '../email/partner-links';
import { nowOf, type AppDeps, type AppEnv, type EndedLink, type Principal } from './context';
import { newToken, tokenHash, verifyPassword } from './secrets';

export const sessionCookie = 'pf_session';
const partnerSessionHours = 2;
const accountSessionHours = 8;

/** Loads the principal of a live session, if any; a partner's link is re-checked every time. */
export const loadPrincipal: MiddlewareHandler<AppEnv> = async (c, next) => {
  const deps = c.get('deps');
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  const token = bearer ?? getCookie(c, sessionCookie);
  const found = token ? await principalOf(deps, token) : undefined;
  c.set('principal', found?.principal);
  c.set('endedLink', found?.endedLink);
  await next();
};

async function principalOf(deps: AppDeps, token: string): Promise<{ principal?: Principal; endedLink?: EndedLink } | undefined> {
  const now = nowOf(deps);
  const session = await findLiveSession(deps.db, tokenHash(token), now);
  if (!session) return undefined;
  if (session.kind === 'partner' && session.partnerLinkId !== null) {
    const link = await findPartnerLinkById(deps.db, session.partnerLinkId);
    if (!link) return undefined;
    // Revoking or expiring the link ends what it opened, at once; the refusal names the link for the audit log.
    const state = linkState(link, now);
    if (state !== 'valid') return { endedLink: { id: link.id, partnerNumber: link.partnerNumber, state } };
    return { principal: { kind: 'partner', sessionId: session.id, link } };
  }
  if (session.kind === 'account' && session.accountId !== null) {
    const account = await findAccountById(deps.db, session.accountId);
    if (!account?.active) return undefined;
    return {
      principal: {
        kind: 'account',
        sessionId: session.id,
        account: { id: account.id, email: account.email, name: account.name, roles: rolesOf(account) },
        secondFactorPending: session.secondFactorPending,
      },
    };
  }
  return undefined;
}

export function rolesOf(account: Pick<Account, 'roles'>): AccountRole[] {
  return accountRoles.filter((role) => account.roles.includes(role));
}

export function setSessionCookie(c: Context, token: string, hours: number, secure: boolean): void {
  setCookie(c, sessionCookie, token, { httpOnly: true, sameSite: 'Lax', secure, path: '/', maxAge: hours * 3600 });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, sessionCookie, { path: '/' });
}

export type LinkExchange =
  | { ok: true; token: string; hours: number; partnerNumber: number; purpose: string; subject: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

/** Exchanges a link token for a partner session; each use is counted and audited. */
export async function exchangeLinkToken(deps: AppDeps, linkToken: string, client: string): Promise<LinkExchange> {
  const now = nowOf(deps);
  const link = await findPartnerLinkByHash(deps.db, tokenHash(linkToken));
  if (!link) {
    // Guessed, mistyped or truncated tokens: no link to name, but the attempt is on record (rate-limited per client).
    await recordAudit(deps.db, { occurredAt: now, actor: 'anonymous', entityType: 'partner_link', entityId: 'unknown', action: 'refused-unknown', details: { client } });
    return { ok: false, reason: 'unknown' };
  }
  const state = linkState(link, now);
  const token = newToken();
  await deps.db.transaction(async (tx) => {
    if (state === 'valid') {
      await insertSession(tx, {
        tokenHash: tokenHash(token),
        kind: 'partner',
        partnerLinkId: link.id,
        expiresAt: new Date(Math.min(now.getTime() + partnerSessionHours * 3_600_000, link.expiresAt.getTime())),
      });
      await markPartnerLinkUsed(tx, link.id);
    }
    await recordAudit(tx, {
      occurredAt: now,
      actor: `partner:${link.partnerNumber}`,
      entityType: 'partner_link',
      entityId: String(link.id),
      action: state === 'valid' ? 'used' : `refused-${state}`,
      details: { client },
    });
  });
  if (state !== 'valid') return { ok: false, reason: state };
  return { ok: true, token, hours: partnerSessionHours, partnerNumber: link.partnerNumber, purpose: link.purpose, subject: link.subject };
}

export type LoginResult = { ok: true; token: string; hours: number; secondFactorPending: boolean } | { ok: false };

/** Password check; an admin's session waits for the second factor. Failures are audited. */
export async function login(deps: AppDeps, email: string, password: string, client: string): Promise<LoginResult> {
  const now = nowOf(deps);
  const account = await findAccountByEmail(deps.db, email);
  const good = account?.active === true && (await verifyPassword(password, account.passwordHash));
  await recordAudit(deps.db, {
    occurredAt: now,
    actor: `account:${email.trim().toLowerCase()}`,
    entityType: 'account',
    entityId: account ? String(account.id) : 'unknown',
    action: good ? 'login-password-ok' : 'login-failed',
    details: { client },
  });
  if (!good || !account) return { ok: false };
  const secondFactorPending = rolesOf(account).includes('admin');
  const token = newToken();
  await insertSession(deps.db, {
    tokenHash: tokenHash(token),
    kind: 'account',
    accountId: account.id,
    secondFactorPending,
    expiresAt: new Date(now.getTime() + accountSessionHours * 3_600_000),
  });
  return { ok: true, token, hours: accountSessionHours, secondFactorPending };
}

/** Completes an admin's login with a TOTP code (one step of drift either way). */
export async function verifySecondFactor(deps: AppDeps, principal: Principal, code: string): Promise<boolean> {
  if (principal.kind !== 'account') return false;
  const account = await findAccountById(deps.db, principal.account.id);
  if (!account?.totpSecret) return false;
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(account.totpSecret), digits: 6, period: 30 });
  const good = totp.validate({ token: code.replace(/\s/g, ''), timestamp: nowOf(deps).getTime(), window: 1 }) !== null;
  await recordAudit(deps.db, {
    occurredAt: nowOf(deps),
    actor: `account:${account.email}`,
    entityType: 'account',
    entityId: String(account.id),
    action: good ? 'login-second-factor-ok' : 'login-second-factor-failed',
  });
  if (good) await completeSecondFactor(deps.db, principal.sessionId);
  return good;
}

/** The principal if it is a fully logged-in account holding one of `roles`. */
export function accountWith(principal: Principal | undefined, roles: readonly AccountRole[]) {
  if (principal?.kind !== 'account' || principal.secondFactorPending) return undefined;
  return principal.account.roles.some((role) => roles.includes(role)) ? principal : undefined;
}

/** Who may do what: one table, read by pages and API alike. */
export const permissions = {
  viewBoard: ['staff', 'caseworker', 'signatory', 'admin'],
  decide: ['caseworker', 'admin'],
  manageLinks: ['caseworker', 'admin'],
  admin: ['admin'],
} as const satisfies Record<string, readonly AccountRole[]>;

/** The peer's address; X-Forwarded-For is not trusted, since any client can send it. */
export function clientOf(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
