import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, instant, updatedAt } from './columns';
import { organisations } from './organisations';

/**
 * What the web interface keeps: partner links (hashed tokens), accounts of ministry people,
 * sessions, report drafts and the stored responses of idempotent API calls.
 */

/**
 * A personal link in an email: one organisation, one purpose ('annual-report'), one subject (the
 * year), a deadline. Only the SHA-256 of the token is stored, so a database dump opens no door.
 */
export const partnerLinks = pgTable(
  'partner_links',
  {
    id: id(),
    tokenHash: text('token_hash').notNull().unique(),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    purpose: text('purpose').notNull(),
    subject: text('subject').notNull(),
    expiresAt: instant('expires_at').notNull(),
    revokedAt: instant('revoked_at'),
    revokedBy: text('revoked_by'),
    /** Every exchange of the token for a session; the audit log holds each use. */
    useCount: integer('use_count').notNull().default(0),
    lastUsedAt: instant('last_used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('partner_links_scope_idx').on(t.organisationId, t.purpose, t.subject)],
);

/** Roles of ministry people in the web interface; one person may hold several. */
import { accountRoles, type AccountRole } from '../../domain/account-roles';

export { accountRoles, type AccountRole };

/** A ministry person who logs in; the password is kept as an scrypt hash. */
export const accounts = pgTable('accounts', {
  id: id(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
  /** Base32 TOTP secret; admins cannot log in without one. */
  totpSecret: text('totp_secret'),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * A browser or API session: a partner's (from a link) or an account's. Only the SHA-256 of the
 * session token is stored. `secondFactorPending` marks an admin who gave the password only.
 */
export const webSessions = pgTable(
  'web_sessions',
  {
    id: id(),
    tokenHash: text('token_hash').notNull().unique(),
    kind: text('kind', { enum: ['partner', 'account'] }).notNull(),
    partnerLinkId: integer('partner_link_id').references(() => partnerLinks.id, { onDelete: 'cascade' }),
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    secondFactorPending: boolean('second_factor_pending').notNull().default(false),
    expiresAt: instant('expires_at').notNull(),
    endedAt: instant('ended_at'),
    createdAt: createdAt(),
  },
);

/** What a partner typed and saved but has not submitted; kept as typed, so nothing is lost. */
export const reportDrafts = pgTable(
  'report_drafts',
  {
    id: id(),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    year: integer('year').notNull(),
    /** Form fields by name ("sections[0].heading" → text), exactly as typed. */
    fields: jsonb('fields').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('report_drafts_organisation_year_unique').on(t.organisationId, t.year)],
);

/**
 * The response to an API mutation sent with an Idempotency-Key, so a retried request gets the
 * first answer instead of acting twice. `status` is null while the first request is running.
 */
export const idempotentResponses = pgTable(
  'idempotent_responses',
  {
    id: id(),
    /** Who asked ('session:<id>'), so one caller's key never answers another's request. */
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status'),
    body: jsonb('body'),
    createdAt: createdAt(),
  },
  (t) => [unique('idempotent_responses_principal_key_unique').on(t.principal, t.key)],
);

export type PartnerLink = typeof partnerLinks.$inferSelect;
export type Account = typeof accounts.$inferSelect;
export type WebSession = typeof webSessions.$inferSelect;
