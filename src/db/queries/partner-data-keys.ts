import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { PayloadKey } from '../../config';
import type { PartnerDataKeys } from '../../temporal/codec';
import type { DbOrTx } from '../client';
import { organisations, partnerDataKeys } from '../schema';

/**
 * Partner data keys from PostgreSQL, unwrapped with the keyring. Unwrapped keys are cached for
 * `cacheMs` (a minute by default) so a busy worker does not query per payload; a process that
 * cached a key before an erasure can use it that long, which the erase command states.
 */
export function partnerDataKeyStore(
  db: DbOrTx,
  keyring: PayloadKey[],
  { cacheMs = 60_000, now = () => Date.now() }: { cacheMs?: number; now?: () => number } = {},
): PartnerDataKeys {
  const byId = new Map<number, { value: Awaited<ReturnType<PartnerDataKeys['key']>>; until: number }>();
  const activeByPartner = new Map<number, { value: { id: number; key: Buffer }; until: number }>();
  const [wrapping] = keyring;
  if (!wrapping) throw new Error('PAYLOAD_KEYS: at least one key is needed');
  const wrappingKey: PayloadKey = wrapping;

  // Lookups under way, by partner and by key id: the payloads of one task (and the tasks of one
  // partner's workflows) arrive together, and would each query the database for the same key.
  const activeUnderWay = new Map<number, Promise<{ id: number; key: Buffer } | undefined>>();
  const keyUnderWay = new Map<number, Promise<Awaited<ReturnType<PartnerDataKeys['key']>>>>();
  const shared = <K, V>(underWay: Map<K, Promise<V>>, id: K, lookUp: () => Promise<V>): Promise<V> => {
    const pending = underWay.get(id);
    if (pending) return pending;
    const started = lookUp().finally(() => underWay.delete(id));
    underWay.set(id, started);
    return started;
  };

  return {
    async activeKey(partnerNumber) {
      const cached = activeByPartner.get(partnerNumber);
      if (cached && cached.until > now()) return cached.value;
      return shared(activeUnderWay, partnerNumber, () => lookUpActiveKey(partnerNumber));
    },
    async key(id) {
      const cached = byId.get(id);
      if (cached && cached.until > now()) return cached.value;
      return shared(keyUnderWay, id, () => lookUpKey(id));
    },
  };

  async function lookUpActiveKey(partnerNumber: number): Promise<{ id: number; key: Buffer } | undefined> {
    const live = () =>
      db
        .select({ key: partnerDataKeys, organisationId: organisations.id })
        .from(organisations)
        .leftJoin(partnerDataKeys, and(eq(partnerDataKeys.organisationId, organisations.id), isNull(partnerDataKeys.destroyedAt)))
        .where(eq(organisations.number, partnerNumber));
    let [row] = await live();
    if (!row) return undefined;
    if (!row.key) {
      // First use: concurrent first uses race here; the partial unique index keeps one, all read it.
      await db
        .insert(partnerDataKeys)
        .values({ organisationId: row.organisationId, wrappedKey: wrap(randomBytes(32), wrappingKey), wrappingKeyId: wrappingKey.id })
        .onConflictDoNothing();
      [row] = await live();
    }
    if (!row?.key?.wrappedKey) throw new Error(`partner ${partnerNumber}: its data key was destroyed while being made`);
    const value = { id: row.key.id, key: unwrap(row.key.wrappedKey, row.key.wrappingKeyId, keyring) };
    const until = now() + cacheMs;
    activeByPartner.set(partnerNumber, { value, until });
    // The same key by its id, for decoding what it seals (as long as the lookup by id would keep it).
    byId.set(value.id, { value: value.key, until });
    return value;
  }

  async function lookUpKey(id: number): Promise<Awaited<ReturnType<PartnerDataKeys['key']>>> {
    const [row] = await db
      .select({ key: partnerDataKeys, partnerNumber: organisations.number })
      .from(partnerDataKeys)
      .innerJoin(organisations, eq(organisations.id, partnerDataKeys.organisationId))
      .where(eq(partnerDataKeys.id, id));
    if (!row) throw new Error(`partner data key ${id} does not exist`);
    const value = row.key.wrappedKey
      ? unwrap(row.key.wrappedKey, row.key.wrappingKeyId, keyring)
      : ({ erased: true, partnerNumber: row.partnerNumber } as const);
    const until = now() + cacheMs;
    byId.set(id, { value, until });
    // A live key is its partner's active one (one live key per organisation, a partial unique
    // index): a worker that decodes a partner's input next seals its results, without asking again.
    if (Buffer.isBuffer(value) && row.key.destroyedAt === null) activeByPartner.set(row.partnerNumber, { value: { id, key: value }, until });
    return value;
  }
}

/** Destroys every data key of an organisation (erasure); returns how many were live. */
export async function destroyPartnerDataKeys(db: DbOrTx, organisationId: number): Promise<number> {
  const destroyed = await db
    .update(partnerDataKeys)
    .set({ wrappedKey: null, destroyedAt: new Date() })
    .where(and(eq(partnerDataKeys.organisationId, organisationId), isNull(partnerDataKeys.destroyedAt)))
    .returning({ id: partnerDataKeys.id });
  return destroyed.length;
}

function wrap(key: Buffer, wrapping: PayloadKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', wrapping.key, iv);
  const encrypted = Buffer.concat([cipher.update(key), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64');
}

function unwrap(wrapped: string, wrappingKeyId: string, keyring: PayloadKey[]): Buffer {
  const wrapping = keyring.find((candidate) => candidate.id === wrappingKeyId);
  if (!wrapping) throw new Error(`partner data key wrapped with ${wrappingKeyId}, which is not in PAYLOAD_KEYS`);
  const buffer = Buffer.from(wrapped, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', wrapping.key, buffer.subarray(0, 12));
  decipher.setAuthTag(buffer.subarray(12, 28));
  return Buffer.concat([decipher.update(buffer.subarray(28)), decipher.final()]);
}
