import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { PartnerDataErasedError, PayloadEncryptionCodec, type PartnerDataKeys } from '../../src/temporal/codec';
import { partnerNumberOfWorkflowId } from '../../src/temporal/workflow-ids';

const key = (id: string) => ({ id, key: randomBytes(32) });
const json = (value: unknown): Payload => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) });
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString();
const report = { author: 'Petra Schmidt', narrative: 'Interkulturelle Öffnung der Verwaltung' };
const annualReport = { type: 'workflow', namespace: 'default', workflowId: 'annual-report/2/2027' } as const;

/** Partner keys as the database keeps them, in memory: one live key per partner, destroyable. */
function partnerKeys(): PartnerDataKeys & { destroy(partnerNumber: number): void } {
  const keys = new Map<number, { partnerNumber: number; key: Buffer | undefined }>();
  return {
    async activeKey(partnerNumber) {
      const live = [...keys.entries()].find(([, k]) => k.partnerNumber === partnerNumber && k.key);
      if (live?.[1].key) return { id: live[0], key: live[1].key };
      const id = keys.size + 1;
      const fresh = randomBytes(32);
      keys.set(id, { partnerNumber, key: fresh });
      return { id, key: fresh };
    },
    async key(id) {
      const found = keys.get(id);
      if (!found) throw new Error(`no key ${id}`);
      return found.key ?? { erased: true, partnerNumber: found.partnerNumber };
    },
    destroy(partnerNumber) {
      for (const k of keys.values()) if (k.partnerNumber === partnerNumber) k.key = undefined;
    },
  };
}

describe('payload encryption codec', () => {
  it('round-trips payloads and leaves nothing readable, naming the key that sealed them', async () => {
    const codec = new PayloadEncryptionCodec([key('k1')]);
    const encoded = await codec.encode([json(report), json('Kreis Lippe')]);
    expect(encoded.map((p) => [text(p.metadata?.encoding), text(p.metadata?.['encryption-key-id'])])).toEqual([
      ['binary/encrypted', 'keyring/k1'],
      ['binary/encrypted', 'keyring/k1'],
    ]);
    expect(encoded.map((p) => Buffer.from(p.data ?? []).toString('latin1')).join()).not.toMatch(/Petra|Lippe|json/);
    expect((await codec.decode(encoded)).map((p) => JSON.parse(text(p.data)))).toEqual([report, 'Kreis Lippe']);
  });

  it('uses a fresh IV for each payload, so equal contents do not look equal', async () => {
    const codec = new PayloadEncryptionCodec([key('k1')]);
    const [first, second] = await codec.encode([json(report), json(report)]);
    expect(Buffer.from(first?.data ?? []).equals(Buffer.from(second?.data ?? []))).toBe(false);
  });

  it('rotates: a new key encrypts, the old one still decrypts, a retired one is named', async () => {
    const old = key('2026');
    const fresh = key('2027');
    const before = await new PayloadEncryptionCodec([old]).encode([json(report)]);
    const rotated = new PayloadEncryptionCodec([fresh, old]);
    expect(JSON.parse(text((await rotated.decode(before))[0]?.data))).toEqual(report);
    expect(text((await rotated.encode([json(report)]))[0]?.metadata?.['encryption-key-id'])).toBe('keyring/2027');
    await expect(new PayloadEncryptionCodec([fresh]).decode(before)).rejects.toThrow('payload key 2026 is not in PAYLOAD_KEYS');
  });

  it('refuses a payload whose data or key id was altered', async () => {
    const codec = new PayloadEncryptionCodec([key('a'), key('b')]);
    const [sealed] = await codec.encode([json(report)]);
    if (!sealed?.data) throw new Error('nothing sealed');
    const flipped = Buffer.from(sealed.data);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    await expect(codec.decode([{ ...sealed, data: flipped }])).rejects.toThrow();
    const relabelled = { ...sealed, metadata: { ...sealed.metadata, 'encryption-key-id': Buffer.from('keyring/b') } };
    await expect(codec.decode([relabelled])).rejects.toThrow();
  });

  it('passes payloads that were never encrypted through (histories recorded before the codec)', async () => {
    const codec = new PayloadEncryptionCodec([key('k1')]);
    expect(await codec.decode([json(report)])).toEqual([json(report)]);
  });

  it("seals a partner workflow's payloads, and its activities', with the partner's key; others with the keyring", async () => {
    const keys = partnerKeys();
    const codec = new PayloadEncryptionCodec([key('k1')], { partnerKeys: keys });
    const keyIdOf = async (context?: Parameters<PayloadEncryptionCodec['encode']>[1]) =>
      text((await codec.encode([json(report)], context))[0]?.metadata?.['encryption-key-id']);
    expect(await keyIdOf(annualReport)).toBe('partner/2/1');
    expect(await keyIdOf({ type: 'activity', namespace: 'default', workflowId: 'annual-report/2/2028', isLocal: false })).toBe('partner/2/1');
    expect(await keyIdOf({ type: 'workflow', namespace: 'default', workflowId: 'annual-report/16/2027' })).toBe('partner/16/2');
    expect(await keyIdOf({ type: 'workflow', namespace: 'default', workflowId: 'system-check/2027-01-01T00:00:00.000Z' })).toBe('keyring/k1');
    expect(await keyIdOf()).toBe('keyring/k1');
  });

  it("after erasure, fails to decode the partner's payloads, or shows them as erased", async () => {
    const keys = partnerKeys();
    const codec = new PayloadEncryptionCodec([key('k1')], { partnerKeys: keys });
    const sealed = await codec.encode([json(report)], annualReport);
    keys.destroy(2);
    await expect(codec.decode(sealed)).rejects.toBeInstanceOf(PartnerDataErasedError);
    const shown = await new PayloadEncryptionCodec([key('k1')], { partnerKeys: keys, onErased: 'marker' }).decode(sealed);
    expect(JSON.parse(text(shown[0]?.data))).toEqual({ erased: "partner 2: erased, the partner's data key was destroyed" });
  });
});

describe('partner of a workflow id', () => {
  it('names the partner of partner-owned workflows only', () => {
    expect(partnerNumberOfWorkflowId('annual-report/2/2027')).toBe(2);
    expect(partnerNumberOfWorkflowId('system-check/2027-01-01T00:00:00.000Z')).toBeUndefined();
    expect(partnerNumberOfWorkflowId('annual-report-2-2027')).toBeUndefined();
  });
});
