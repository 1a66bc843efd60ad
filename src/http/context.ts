import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Database } from '../db/client';
import type { LinkWithPartner } from '../db/queries/partner-links';
import type { AccountRole } from '../db/schema';
import type { Lang } from '../web/i18n';

/** What the server is built from; tests pass a time-skipping Temporal client and their own clock. */
export type AppDeps = {
  db: Database;
  config: Config;
  temporal: Client;
  now?: () => Date;
  /** Requests per minute and client on login and link endpoints (tests lower it). */
  rateLimitPerMinute?: number;
};

export type PartnerPrincipal = { kind: 'partner'; sessionId: number; link: LinkWithPartner };
export type AccountPrincipal = {
  kind: 'account';
  sessionId: number;
  account: { id: number; email: string; name: string; roles: AccountRole[] };
  secondFactorPending: boolean;
};
export type Principal = PartnerPrincipal | AccountPrincipal;
/** A partner session whose link expired or was revoked since: no principal, but the refusal names the link. */
export type EndedLink = { id: number; partnerNumber: number; state: 'expired' | 'revoked' };

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    principal: Principal | undefined;
    endedLink: EndedLink | undefined;
    lang: Lang;
  };
};

export function nowOf(deps: AppDeps): Date {
  return deps.now?.() ?? new Date();
}

/** Who sends, for what a repeat may join: an Idempotency-Key's answer, a form's Updates. */
export function principalScope(principal: Principal): string {
  return `session:${principal.kind}:${principal.kind === 'partner' ? principal.link.organisationId : principal.account.id}`;
}
