/**
 * Encrypts every Temporal payload (AES-256-GCM) before it leaves the process, so histories hold
 * no partner data in clear. Two kinds of key:
 * - the configured keyring (PAYLOAD_KEYS): the first key encrypts, every key decrypts, so keys rotate;
 * - a partner's own data key, for payloads of that partner's workflows. Erasing a partner destroys
 *   that key, and with it every copy of the partner's data in old histories.
 *
 * Why the codec and not the callers: the SDK hands a codec the workflow the payload belongs to
 * (its serialization context), and our workflow ids name the partner (`annual-report/<partner>/<year>`).
 * So Update arguments, activity results and failures are sealed with the partner's key without the
 * workflow or its activities knowing about encryption, and a new workflow kind is covered by
 * naming its id pattern in workflow-ids.ts. The key id travels in the payload's metadata, so
 * decoding (the Web UI's codec endpoint has no workflow context) needs no context.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
// A CommonJS package: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';
import type { PayloadKey } from '../config';
import { partnerNumberOfWorkflowId } from './workflow-ids';

export const encryptedEncoding = 'binary/encrypted';
/** `keyring/<id>` or `partner/<partner number>/<data key id>`. */
export const keyIdMetadata = 'encryption-key-id';

/** A partner's data keys, as PostgreSQL keeps them (src/db/queries/partner-data-keys.ts). */
export type PartnerDataKeys = {
  /** The partner's current key, made on first use (also after an erasure, for new data). */
  /** The partner's live data key; undefined when no such partner exists (it then has no data to protect). */
  activeKey(partnerNumber: number): Promise<{ id: number; key: Buffer } | undefined>;
  /** A key by id; `erased` once erasure destroyed it. */
  key(id: number): Promise<Buffer | { erased: true; partnerNumber: number }>;
};

/** What decoding a payload whose partner key was destroyed gives. */
export type ErasedPolicy =
  /** Workers and clients: fail, so erased data never flows back into a workflow. */
  | 'throw'
  /** The codec endpoint: a readable marker in place of the payload, so the Web UI shows what was there. */
  | 'marker';

export class PartnerDataErasedError extends Error {
  override readonly name = 'PartnerDataErasedError';
  constructor(readonly partnerNumber: number) {
    super(`partner ${partnerNumber}: this data was erased (the partner's data key was destroyed)`);
  }
}

export class PayloadEncryptionCodec implements PayloadCodec {
  private readonly active: PayloadKey;
  private readonly keyring: Map<string, Buffer>;

  constructor(
    keys: PayloadKey[],
    private readonly options: { partnerKeys?: PartnerDataKeys; onErased?: ErasedPolicy } = {},
  ) {
    const [active] = keys;
    if (!active) throw new Error('PAYLOAD_KEYS: at least one key is needed');
    this.active = active;
    this.keyring = new Map(keys.map(({ id, key }) => [id, key]));
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    if (payloads.length === 0) return payloads;
    const { keyId, key } = await this.encryptionKey(context);
    return payloads.map((payload) => seal(payload, keyId, key));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((payload) => this.decodeOne(payload)));
  }

  private async encryptionKey(context?: SerializationContext): Promise<{ keyId: string; key: Buffer }> {
    const partnerNumber = context?.workflowId === undefined ? undefined : partnerNumberOfWorkflowId(context.workflowId);
    if (partnerNumber !== undefined && this.options.partnerKeys) {
      const partnerKey = await this.options.partnerKeys.activeKey(partnerNumber);
      // A workflow id naming no partner (a signal to a lifecycle that was never started) carries nobody's data.
      if (partnerKey) return { keyId: `partner/${partnerNumber}/${partnerKey.id}`, key: partnerKey.key };
    }
    return { keyId: `keyring/${this.active.id}`, key: this.active.key };
  }

  private async decodeOne(payload: Payload): Promise<Payload> {
    if (text(payload.metadata?.encoding) !== encryptedEncoding) return payload;
    const keyId = text(payload.metadata?.[keyIdMetadata]);
    if (keyId === undefined || !payload.data) throw new Error('encrypted payload without key id or data');
    const key = await this.decryptionKey(keyId);
    if ('erased' in key) {
      if (this.options.onErased === 'marker') return erasedMarker(key.partnerNumber);
      throw new PartnerDataErasedError(key.partnerNumber);
    }
    return open(payload.data, keyId, key);
  }

  private async decryptionKey(keyId: string): Promise<Buffer | { erased: true; partnerNumber: number }> {
    const keyring = /^keyring\/(.+)$/.exec(keyId);
    if (keyring?.[1] !== undefined) {
      const key = this.keyring.get(keyring[1]);
      if (!key) throw new Error(`payload key ${keyring[1]} is not in PAYLOAD_KEYS (retired too early?)`);
      return key;
    }
    const partner = /^partner\/(\d+)\/(\d+)$/.exec(keyId);
    if (partner?.[2] === undefined) throw new Error(`unknown payload key id ${keyId}`);
    if (!this.options.partnerKeys) throw new Error(`payload key ${keyId} is a partner data key, and this codec has no database`);
    return this.options.partnerKeys.key(Number(partner[2]));
  }
}

/** The 12-byte IV, the 16-byte tag, the ciphertext; the key id is authenticated with it (AAD). */
function seal(payload: Payload, keyId: string, key: Buffer): Payload {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(keyId));
  const plain = proto.temporal.api.common.v1.Payload.encode(payload).finish();
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    metadata: { encoding: bytes(encryptedEncoding), [keyIdMetadata]: bytes(keyId) },
    data: Buffer.concat([iv, cipher.getAuthTag(), encrypted]),
  };
}

function open(data: Uint8Array, keyId: string, key: Buffer): Payload {
  const buffer = Buffer.from(data);
  const decipher = createDecipheriv('aes-256-gcm', key, buffer.subarray(0, 12));
  decipher.setAAD(Buffer.from(keyId));
  decipher.setAuthTag(buffer.subarray(12, 28));
  const plain = Buffer.concat([decipher.update(buffer.subarray(28)), decipher.final()]);
  return proto.temporal.api.common.v1.Payload.decode(plain) as Payload;
}

function erasedMarker(partnerNumber: number): Payload {
  return {
    metadata: { encoding: bytes('json/plain') },
    data: bytes(JSON.stringify({ erased: `partner ${partnerNumber}: erased, the partner's data key was destroyed` })),
  };
}

function bytes(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

function text(value: Uint8Array | null | undefined): string | undefined {
  return value ? new TextDecoder().decode(value) : undefined;
}
