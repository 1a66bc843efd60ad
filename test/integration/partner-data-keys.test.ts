import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyPartnerDataKeys, partnerDataKeyStore } from '../../src/db/queries/partner-data-keys';
import { partnerDataKeys } from '../../src/db/schema';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { seedPartnerWithContacts } from '../support/privacy';

let database: TestDatabase;
const keyring = [{ id: 'k1', key: randomBytes(32) }];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

describe('partner data keys in PostgreSQL', () => {
  it('makes one key per partner even when first uses race, stored only wrapped', async () => {
    await seedPartnerWithContacts(database.db, { number: 31 });
    const stores = [1, 2, 3].map(() => partnerDataKeyStore(database.db, keyring));
    const keys = (await Promise.all(stores.map((store) => store.activeKey(31)))).map((k) => k!);
    expect(new Set(keys.map((k) => k.id)).size).toBe(1);
    expect(new Set(keys.map((k) => k.key.toString('hex'))).size).toBe(1);
    const rows = await database.db.select().from(partnerDataKeys);
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]?.wrappedKey ?? '', 'base64').includes(keys[0]!.key)).toBe(false);
  });

  it('unwraps after the keyring rotated, as long as the wrapping key stays in it', async () => {
    await seedPartnerWithContacts(database.db, { number: 32 });
    const { id, key } = (await partnerDataKeyStore(database.db, keyring).activeKey(32))!;
    const rotated = partnerDataKeyStore(database.db, [{ id: 'k2', key: randomBytes(32) }, ...keyring]);
    expect((await rotated.key(id)) as Buffer).toEqual(key);
    await expect(partnerDataKeyStore(database.db, [{ id: 'k2', key: randomBytes(32) }]).key(id)).rejects.toThrow('wrapped with k1');
  });

  it('answers "erased" once destroyed, and gives the partner a new key for new data', async () => {
    const organisation = await seedPartnerWithContacts(database.db, { number: 33 });
    const { id } = (await partnerDataKeyStore(database.db, keyring).activeKey(33))!;
    expect(await destroyPartnerDataKeys(database.db, organisation.id)).toBe(1);
    const store = partnerDataKeyStore(database.db, keyring);
    expect(await store.key(id)).toEqual({ erased: true, partnerNumber: 33 });
    expect((await store.activeKey(33))?.id).not.toBe(id);
  });

  it("takes a live key it opened by id as the partner's active key, and the other way round, as long as it keeps keys", async () => {
    const lippe = await seedPartnerWithContacts(database.db, { number: 34 });
    const bielefeld = await seedPartnerWithContacts(database.db, { number: 35 });
    const made = [(await partnerDataKeyStore(database.db, keyring).activeKey(34))!, (await partnerDataKeyStore(database.db, keyring).activeKey(35))!];
    let clock = 0;
    const store = partnerDataKeyStore(database.db, keyring, { now: () => clock });
    // A worker decodes a report's input (by key id), then seals its results (by partner), or the reverse.
    expect(await store.key(made[0]!.id)).toEqual(made[0]!.key);
    expect(await store.activeKey(35)).toEqual(made[1]);
    // Destroyed behind the store's back: within its minute it holds both keys without asking again ...
    await destroyPartnerDataKeys(database.db, lippe.id);
    await destroyPartnerDataKeys(database.db, bielefeld.id);
    expect(await store.activeKey(34)).toEqual(made[0]);
    expect(await store.key(made[1]!.id)).toEqual(made[1]!.key);
    // ... and asks once it has passed: the destroyed key is gone, and new data gets a new key.
    clock = 60_001;
    expect((await store.activeKey(34))?.id).not.toBe(made[0]!.id);
    expect(await store.key(made[1]!.id)).toEqual({ erased: true, partnerNumber: 35 });
  });

  it('has no key for a partner that does not exist, and makes none', async () => {
    expect(await partnerDataKeyStore(database.db, keyring).activeKey(999)).toBeUndefined();
    expect((await database.db.select().from(partnerDataKeys)).filter((row) => row.organisationId === 999)).toEqual([]);
  });
});
