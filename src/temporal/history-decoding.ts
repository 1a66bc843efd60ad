import type { Payload, PayloadCodec } from '@temporalio/common';

/** The metadata key of the marker that takes an undecodable payload's place (see undecodableMarker). */
export const undecodableField = 'undecodable';

/**
 * Decodes, in place, every payload of a fetched history (which the SDK returns as stored, i.e.
 * encrypted), and restores the messages of failures whose attributes were encoded. In place,
 * because the history's protobuf objects (timestamps as Long) must keep their prototypes.
 */
export async function decodeHistoryPayloads<T extends object>(history: T, codec: PayloadCodec): Promise<T> {
  await visit(history, codec);
  return history;
}

async function visit(node: object, codec: PayloadCodec): Promise<void> {
  const record = node as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    if (child === null || typeof child !== 'object' || child instanceof Uint8Array) continue;
    if (isPayload(child)) {
      record[key] = await decodeOrMark(child, codec);
    } else {
      await visit(child, codec);
    }
  }
  restoreFailureMessage(record);
}

/**
 * One payload decoded; one that cannot be (a key retired from PAYLOAD_KEYS, a foreign codec, damaged
 * bytes) becomes a readable marker instead, so one bad payload never hides the rest of a history.
 */
async function decodeOrMark(payload: Payload, codec: PayloadCodec): Promise<Payload> {
  try {
    const [decoded] = await codec.decode([payload]);
    return decoded ?? payload;
  } catch (error) {
    return undecodableMarker(error instanceof Error ? error.message : String(error));
  }
}

function undecodableMarker(reason: string): Payload {
  return { metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode(JSON.stringify({ [undecodableField]: reason })) };
}

function isPayload(value: object): value is Payload {
  const metadata = (value as { metadata?: unknown }).metadata;
  return (
    metadata !== null &&
    typeof metadata === 'object' &&
    (metadata as Record<string, unknown>).encoding instanceof Uint8Array &&
    'data' in value
  );
}

/** With encodeCommonAttributes the failure's message reads "Encoded failure"; the real one is in its attributes. */
function restoreFailureMessage(record: Record<string, unknown>): void {
  const attributes = record.encodedAttributes as Payload | undefined;
  if (record.message !== 'Encoded failure' || !attributes?.data) return;
  try {
    const decoded = JSON.parse(Buffer.from(attributes.data).toString()) as { message?: unknown; erased?: unknown };
    if (typeof decoded.message === 'string') record.message = decoded.message;
    else if (typeof decoded.erased === 'string') record.message = decoded.erased;
  } catch {
    // Not JSON (not ours): the placeholder stays.
  }
}
