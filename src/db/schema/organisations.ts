import { relations, sql } from 'drizzle-orm';
import { boolean, check, date, integer, pgEnum, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { contactRoles, languages, organisationStatuses, partnerKinds } from '../../domain/partner';
import { createdAt, id, instant, updatedAt } from './columns';

export const partnerKind = pgEnum('partner_kind', partnerKinds);
export const organisationStatus = pgEnum('organisation_status', organisationStatuses);
export const language = pgEnum('language', languages);
export const contactRole = pgEnum('contact_role', contactRoles);
export const staffRole = pgEnum('staff_role', ['caseworker', 'head_of_unit', 'admin']);

/** Ministry staff: caseworkers look after partners, heads of unit receive escalations. */
export const staff = pgTable('staff', {
  id: id(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  role: staffRole('role').notNull(),
  language: language('language').notNull().default('de'),
  active: boolean('active').notNull().default(true),
  /** As for contacts: set when the SMTP server refuses the address for good (550/554); cleared when it changes. */
  emailFailingSince: instant('email_failing_since'),
  emailFailureReason: text('email_failure_reason'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const organisations = pgTable(
  'organisations',
  {
    id: id(),
    /** The partner number printed in the overview; ties on accessionDate are ordered by it. */
    number: integer('number').notNull().unique(),
    name: text('name').notNull(),
    kind: partnerKind('kind').notNull(),
    /** Genitive heading of the partner's section, e.g. "Bericht des Kreises Lippe"; not derivable from the name. */
    reportHeading: text('report_heading'),
    memberCities: text('member_cities').array().notNull().default(sql`'{}'::text[]`),
    status: organisationStatus('status').notNull().default('prospect'),
    accessionDate: date('accession_date', { mode: 'string' }),
    caseworkerId: integer('caseworker_id').references(() => staff.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('organisations_number_positive', sql`${t.number} > 0`),
    // Whoever has joined (or joined and left) has a date of accession.
    check(
      'organisations_member_has_accession_date',
      sql`${t.status} not in ('active', 'left') or ${t.accessionDate} is not null`,
    ),
  ],
);

/** People at a partner organisation; one per role, replaced in place when the holder changes. */
export const contacts = pgTable(
  'contacts',
  {
    id: id(),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    role: contactRole('role').notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    language: language('language').notNull().default('de'),
    /** Set when delivery to this address starts failing permanently; cleared when the address changes. */
    emailFailingSince: instant('email_failing_since'),
    emailFailureReason: text('email_failure_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('contacts_organisation_role_unique').on(t.organisationId, t.role)],
);

export const staffRelations = relations(staff, ({ many }) => ({
  organisations: many(organisations),
}));

export const organisationsRelations = relations(organisations, ({ one, many }) => ({
  caseworker: one(staff, { fields: [organisations.caseworkerId], references: [staff.id] }),
  contacts: many(contacts),
}));

export const contactsRelations = relations(contacts, ({ one }) => ({
  organisation: one(organisations, { fields: [contacts.organisationId], references: [organisations.id] }),
}));

export type Staff = typeof staff.$inferSelect;
export type NewStaff = typeof staff.$inferInsert;
export type Organisation = typeof organisations.$inferSelect;
export type NewOrganisation = typeof organisations.$inferInsert;
export type Contact = typeof contacts.$inferSelect;
export type NewContact = typeof contacts.$inferInsert;
