/**
 * Personal links for partners: a 256-bit random token in the URL, only its SHA-256 in the
 * database, scoped to one organisation, purpose and subject, with a deadline. Staff can revoke a
 * link and issue a new one; every issue, use and revocation is in the audit log.
 */
import type { Config } from '../config';
import type { DbOrTx } from '../db/client';
import { recordAudit } from '../db/queries/audit';
import { insertPartnerLink, insertPartnerLinkOnce, type LinkScope } from '../db/queries/partner-links';
import type { PartnerLink } from '../db/schema';
import { derivedToken, newToken, tokenHash } from '../http/secrets';

/** What a link lets its holder do; grows with accession (declaration) and signing. */
export const linkPurposes = ['annual-report', 'declaration', 'agreement', 'milestone'] as const;
export type LinkPurpose = (typeof linkPurposes)[number];

export type PartnerLinkRequest = {
  organisationId: number;
  purpose: LinkPurpose;
  /** What within the purpose, e.g. the report year '2027'. */
  subject: string;
  expiresAt: Date;
  /** Who asked for it, for the audit log; 'system' for the email delivery. */
  issuedBy?: string;
};

/** The path a link's token opens; the page there only shows a button, it never uses the token. */
export function partnerLinkPath(token: string): string {
  return `/link/${token}`;
}

/**
 * Issues a new link, as staff do. Each call makes a fresh token (the hash is all that is kept, so
 * a link cannot be shown twice).
 */
export async function issuePartnerLink(
  db: DbOrTx,
  config: Pick<Config, 'publicBaseUrl'>,
  request: PartnerLinkRequest,
): Promise<{ url: string; tokenId: number }> {
  const token = newToken();
  const scope = scopeOf(request);
  const link = await insertPartnerLink(db, { ...scope, tokenHash: tokenHash(token), expiresAt: request.expiresAt });
  await auditIssued(db, link, request);
  return { url: urlOf(config, token), tokenId: link.id };
}

/**
 * The link a notice carries: the same on every attempt of the notice, so the email a retry sends
 * (a second copy after a crash between the SMTP server's acceptance and the ledger's record
 * included) carries the link the first attempt made, and the link is issued, and audited, once.
 * Its token is derived from the notice's key (`occasion`) under the current payload key, which
 * only the product holds; the database keeps its hash, as for every link. A link staff revoked
 * since is not handed out again: the notice gets a fresh one.
 */
export async function noticePartnerLink(
  db: DbOrTx,
  config: Pick<Config, 'publicBaseUrl' | 'payloadKeys'>,
  request: PartnerLinkRequest & { occasion: string },
): Promise<{ url: string; tokenId: number }> {
  const [current] = config.payloadKeys;
  if (!current) return issuePartnerLink(db, config, request);
  const scope = scopeOf(request);
  const token = derivedToken(current.key, 'partner-link', JSON.stringify([request.occasion, scope.organisationId, scope.purpose, scope.subject]));
  const { link, inserted } = await insertPartnerLinkOnce(db, { ...scope, tokenHash: tokenHash(token), expiresAt: request.expiresAt });
  if (inserted) await auditIssued(db, link, request);
  else if (link.revokedAt !== null) return issuePartnerLink(db, config, request);
  return { url: urlOf(config, token), tokenId: link.id };
}

const scopeOf = (request: PartnerLinkRequest): LinkScope => ({ organisationId: request.organisationId, purpose: request.purpose, subject: request.subject });

const urlOf = (config: Pick<Config, 'publicBaseUrl'>, token: string) => `${config.publicBaseUrl}${partnerLinkPath(token)}`;

async function auditIssued(db: DbOrTx, link: PartnerLink, request: PartnerLinkRequest): Promise<void> {
  await recordAudit(db, {
    occurredAt: link.createdAt,
    actor: request.issuedBy ?? 'system',
    entityType: 'partner_link',
    entityId: String(link.id),
    action: 'issued',
    details: { ...scopeOf(request), expiresAt: request.expiresAt.toISOString() },
  });
}

export type LinkState = 'valid' | 'expired' | 'revoked';

export function linkState(link: Pick<PartnerLink, 'expiresAt' | 'revokedAt'>, now: Date): LinkState {
  if (link.revokedAt !== null) return 'revoked';
  return link.expiresAt.getTime() <= now.getTime() ? 'expired' : 'valid';
}
