/**
 * Looks through a Temporal history, as the server stores it, for personal data in clear: email
 * addresses, people's names, report text. Payload bytes appear base64-encoded in a history's JSON,
 * so every base64 string is read decoded as well.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { reportsDir } from './workflow-story';

export type Finding = { path: string; found: string };

// At least three characters either side of the @: ciphertext read as text holds short look-alikes
// ("v@l.fG") often enough to fail a run now and then; the fixtures' addresses are longer, and
// each is also searched for by name (the needles).
const emailAddress = /[A-Za-z0-9._%+-]{3,}@[A-Za-z0-9-]{3,}(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const base64 = /^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** `identity` is the worker's `pid@host`, not a person. */
const notPersonal = new Set(['identity']);

export function findPersonalData(history: unknown, needles: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const inspect = (text: string, path: string) => {
    const email = emailAddress.exec(text);
    if (email) findings.push({ path, found: email[0] });
    for (const needle of needles) if (text.includes(needle)) findings.push({ path, found: needle });
  };
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      inspect(value, path);
      if (value.length >= 8 && base64.test(value)) inspect(Buffer.from(value, 'base64').toString('utf8'), `${path} (base64)`);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}[${index}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) if (!notPersonal.has(key)) walk(item, path ? `${path}.${key}` : key);
    }
  };
  walk(history, '');
  return findings;
}

/** The raw history of a workflow (payloads as stored), as JSON. */
export async function rawHistory(handle: WorkflowHandle): Promise<unknown> {
  return JSON.parse(historyToJSON(await handle.fetchHistory()));
}

/** The history with every encrypted payload decoded by `codec`, what an admin sees through the codec endpoint. */
export async function decodedHistory(history: unknown, codec: PayloadCodec): Promise<unknown> {
  if (Array.isArray(history)) return Promise.all(history.map((item) => decodedHistory(item, codec)));
  if (history === null || typeof history !== 'object') return history;
  if (isJsonPayload(history)) {
    const [decoded] = await codec.decode([fromJson(history)]);
    return decoded ? toJson(decoded) : history;
  }
  const entries = await Promise.all(Object.entries(history).map(async ([key, value]) => [key, await decodedHistory(value, codec)] as const));
  return Object.fromEntries(entries);
}

/** Every string of 12 or more characters in the fixture reports: the report text that must not leak. */
export async function reportTexts(): Promise<string[]> {
  const texts = new Set<string>();
  const collect = (value: unknown) => {
    if (typeof value === 'string' && value.length >= 12 && !/^\d{4}-\d{2}/.test(value)) texts.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  for (const file of (await readdir(reportsDir)).filter((name) => name.endsWith('.json') && !name.startsWith('invalid-'))) {
    collect(JSON.parse(await readFile(join(reportsDir, file), 'utf8')));
  }
  return [...texts];
}

type JsonPayload = { metadata: Record<string, string>; data?: string };

function isJsonPayload(value: object): value is JsonPayload {
  const metadata = (value as { metadata?: unknown }).metadata;
  return metadata !== null && typeof metadata === 'object' && typeof (metadata as { encoding?: unknown }).encoding === 'string';
}

function fromJson(payload: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: payload.data === undefined ? undefined : Buffer.from(payload.data, 'base64'),
  };
}

function toJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
    ...(payload.data ? { data: Buffer.from(payload.data).toString('base64') } : {}),
  };
}
