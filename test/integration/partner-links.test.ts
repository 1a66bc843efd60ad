/** issuePartnerLink, as the email delivery calls it: a fresh 256-bit token, kept only as its hash. */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, organisations, partnerLinks } from '../../src/db/schema';
import { issuePartnerLink, linkState } from '../../src/email/partner-links';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let organisationId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  const [row] = await database.db.insert(organisations).values({ number: 2, name: 'Kreis Lippe', kind: 'district', status: 'active', accessionDate: '2012-08-15' }).returning();
  organisationId = row!.id;
});

afterAll(async () => {
  await database.drop();
});

describe('issuePartnerLink', () => {
  it('returns a URL with a fresh 256-bit token and stores only its SHA-256, scoped and audited', async () => {
    const expiresAt = new Date('2027-05-31T21:59:59Z');
    const request = { organisationId, purpose: 'annual-report' as const, subject: '2027', expiresAt };
    const first = await issuePartnerLink(database.db, { publicBaseUrl: 'https://partner.example.org' }, request);
    const second = await issuePartnerLink(database.db, { publicBaseUrl: 'https://partner.example.org' }, request);

    const token = /^https:\/\/partner\.example\.org\/link\/([A-Za-z0-9_-]{43})$/.exec(first.url)?.[1];
    expect(token).toBeDefined();
    expect(Buffer.from(token!, 'base64url')).toHaveLength(32);
    expect(second.url).not.toBe(first.url);

    const [row] = await database.db.select().from(partnerLinks).where(eq(partnerLinks.id, first.tokenId));
    expect(row).toMatchObject({ organisationId, purpose: 'annual-report', subject: '2027', expiresAt, revokedAt: null, useCount: 0 });
    expect(row?.tokenHash).toBe(createHash('sha256').update(token!).digest('hex'));
    expect(JSON.stringify(await database.db.select().from(partnerLinks))).not.toContain(token!);

    const audit = await database.db.select().from(auditLog).where(eq(auditLog.entityId, String(first.tokenId)));
    expect(audit.map((entry) => [entry.entityType, entry.action, entry.actor])).toEqual([['partner_link', 'issued', 'system']]);
  });

  it('says whether a link is valid, expired or revoked at a given moment', () => {
    const expiresAt = new Date('2027-05-31T22:00:00Z');
    expect(linkState({ expiresAt, revokedAt: null }, new Date('2027-05-31T21:59:59Z'))).toBe('valid');
    expect(linkState({ expiresAt, revokedAt: null }, expiresAt)).toBe('expired');
    expect(linkState({ expiresAt, revokedAt: new Date('2027-01-01T00:00:00Z') }, new Date('2026-12-01T00:00:00Z'))).toBe('revoked');
  });
});
