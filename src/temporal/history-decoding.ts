import type { Payload, PayloadCodec } from '@temporalio/common';

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
      const [decoded] = await codec.decode([child]);
      record[key] = decoded;
    } else {
      await visit(child, codec);
    }
  }
  restoreFailureMessage(record);
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
