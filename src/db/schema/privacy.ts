import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, instant } from './columns';
import { organisations } from './organisations';

/**
 * Each partner's data key: Temporal payloads of the partner's workflows are encrypted with it
 * (src/temporal/codec.ts). Kept wrapped with a key of the PAYLOAD_KEYS keyring; erasure destroys
 * the wrapped key, after which no copy of the partner's data in any history can be read.
 */
export const partnerDataKeys = pgTable(
  'partner_data_keys',
  {
    id: id(),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** AES-256-GCM under the keyring key `wrappingKeyId`: base64 of IV, tag, ciphertext. Null once destroyed. */
    wrappedKey: text('wrapped_key'),
    wrappingKeyId: text('wrapping_key_id').notNull(),
    createdAt: createdAt(),
    destroyedAt: instant('destroyed_at'),
  },
  (t) => [
    // One live key per partner; concurrent first uses race to insert and all read the winner.
    uniqueIndex('partner_data_keys_one_live_key').on(t.organisationId).where(sql`${t.destroyedAt} is null`),
    index('partner_data_keys_organisation_idx').on(t.organisationId),
    check('partner_data_keys_destroyed_has_no_key', sql`(${t.destroyedAt} is null) = (${t.wrappedKey} is not null)`),
  ],
);

export type PartnerDataKey = typeof partnerDataKeys.$inferSelect;
