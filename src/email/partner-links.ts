/**
 * Personal links for partners: a 256-bit random token in the URL, only its SHA-256 in the
 * database, scoped to one organisation, purpose and subject, with a deadline. Staff can revoke a
 * link and issue a new one; every issue, use and revocation is in the audit log.
 */
import type { Config } from '../config';
import type { DbOrTx } from '../db/client';
import { recordAudit } from '../db/queries/audit';
import { insertPartnerLink, type LinkScope } from '../db/queries/partner-links';
import type { PartnerLink } from '../db/schema';
import { newToken, tokenHash } from '../http/secrets';

/** What a link lets its holder do; grows with accession (declaration) and signing. */
export const linkPurposes = ['annual-report', 'declaration'] as const;
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
 * Issues a new link. Each call makes a fresh token (the hash is all that is kept, so a link cannot
 * be shown twice); an email that is retried may therefore carry a different, equally valid link.
 */
export async function issuePartnerLink(
  db: DbOrTx,
  config: Pick<Config, 'publicBaseUrl'>,
  request: PartnerLinkRequest,
): Promise<{ url: string; tokenId: number }> {
  const token = newToken();
  const scope: LinkScope = { organisationId: request.organisationId, purpose: request.purpose, subject: request.subject };
  const link = await insertPartnerLink(db, { ...scope, tokenHash: tokenHash(token), expiresAt: request.expiresAt });
  await recordAudit(db, {
    occurredAt: link.createdAt,
    actor: request.issuedBy ?? 'system',
    entityType: 'partner_link',
    entityId: String(link.id),
    action: 'issued',
    details: { ...scope, expiresAt: request.expiresAt.toISOString() },
  });
  return { url: `${config.publicBaseUrl}${partnerLinkPath(token)}`, tokenId: link.id };
}

export type LinkState = 'valid' | 'expired' | 'revoked';

export function linkState(link: Pick<PartnerLink, 'expiresAt' | 'revokedAt'>, now: Date): LinkState {
  if (link.revokedAt !== null) return 'revoked';
  return link.expiresAt.getTime() <= now.getTime() ? 'expired' : 'valid';
}
