import { z } from 'zod';
import { localDateSchema } from './local-date';
import { httpUrl, singleLine, textLimits } from './partner-input';

/**
 * Values in a report that a partner may leave out, and the one way of saying so.
 *
 * `{ "stated": false }` means: the partner did not say. It is never a placeholder (no "N.N.",
 * no 1 January, no "Sonstiges"): statistics and the compiled report show it as unknown.
 * Classifications (field of action, status) the partner left open may later be filled in by
 * staff; the assignment sits inside the marker, so it stays visibly theirs, not the partner's.
 */

export const notStated = { stated: false } as const;
export type NotStated = { stated: false };

const notStatedSchema = z.strictObject({ stated: z.literal(false) });

export function isNotStated(value: unknown): value is NotStated {
  return typeof value === 'object' && value !== null && 'stated' in value && value.stated === false;
}

/** `schema`'s value as the partner stated it, or `{ "stated": false }`. */
export function orNotStated<S extends z.ZodType>(schema: S, what: string) {
  return z.union([schema, notStatedSchema], {
    error: (issue) => (issue.input === undefined ? 'is required' : `must be ${what} or { "stated": false }`),
  });
}

/** Who on the staff classified what the partner left open, and when. */
const staffAssignment = <S extends z.ZodType>(value: S) =>
  z.strictObject({
    value,
    by: singleLine(textLimits.name),
    at: localDateSchema,
  });

/**
 * A classification: as the partner gave it, or not stated, optionally with the value staff
 * assigned afterwards (`{ "stated": false, "assigned": { "value": …, "by": …, "at": "YYYY-MM-DD" } }`).
 */
export function classification<S extends z.ZodType>(schema: S, what: string) {
  return z.union([schema, z.strictObject({ stated: z.literal(false), assigned: staffAssignment(schema).optional() })], {
    error: (issue) => (issue.input === undefined ? 'is required' : `must be ${what} or { "stated": false }`),
  });
}

export type Classified<T> = T | { stated: false; assigned?: { value: T; by: string; at: string } | undefined };

/** The value a classification holds, and whose it is; undefined while nobody has classified it. */
export function classifiedValue<T>(
  classified: Classified<T>,
): { value: T; source: 'partner' } | { value: T; source: 'staff'; by: string; at: string } | undefined {
  if (!isNotStated(classified)) return { value: classified as T, source: 'partner' };
  const assigned = (classified as { assigned?: { value: T; by: string; at: string } }).assigned;
  return assigned === undefined ? undefined : { value: assigned.value, source: 'staff', by: assigned.by, at: assigned.at };
}

/** Why staff may not classify a value: it is the partner's. */
export const statedByPartner = 'was stated by the partner; staff do not overwrite it';

/**
 * Staff classify what the partner left open, under their name and date. What the partner stated
 * stays the partner's: staff never overwrite it (a correction goes back to the partner).
 */
export function classifyByStaff<T>(
  current: Classified<T>,
  assignment: { value: T; by: string; at: string },
): { ok: true; classified: Classified<T> } | { ok: false; error: string } {
  if (!isNotStated(current)) return { ok: false, error: statedByPartner };
  return { ok: true, classified: { stated: false, assigned: assignment } };
}

/**
 * What people type when a form forces a value they do not have. Refused in stated text, so a
 * missing value is recorded as `{ "stated": false }` and never looks like a real one.
 */
const placeholders = [
  /^\s*(?:n\.?\s?n\.?|n\/?a|k\.?\s?a\.?|tbd|todo|xxx+|\?+|-+|–|—|\.+)\s*$/i,
  /^\s*(?:unbekannt|keine angabe|nicht angegeben|ohne angabe|entfällt|platzhalter|placeholder|unknown|none|null)\s*$/i,
  /\b(?:max|erika) mustermann\b/i,
  /^\s*(?:lorem ipsum)/i,
];

export function looksLikePlaceholder(text: string): boolean {
  return placeholders.some((pattern) => pattern.test(text));
}

/** A single line the partner stated: no placeholder in place of a missing value. */
export const statedLine = (max: number) =>
  singleLine(max).refine((text) => !looksLikePlaceholder(text), {
    message: 'looks like a placeholder; if it was not stated, give { "stated": false }',
  });

// Host names as printed in reports: "www.mkffi.nrw/wir-sind-partner", "integration.nrw.de".
const schemelessAddress = /^(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}(?::\d{1,5})?(?:[/?#][^\s]*)?$/i;

/**
 * A web address exactly as printed: with http(s) or without a scheme ("www.mkffi.nrw/…").
 * Any other scheme (javascript:, file:, mailto:) is refused.
 */
export const webAddressSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
  .max(textLimits.ref, `must be at most ${textLimits.ref} characters`)
  .refine((address) => httpUrl.safeParse(address).success || (schemelessAddress.test(address) && !address.includes(':/')), {
    message: 'must be a web address: http(s)://… or as printed without a scheme (www.example.de/…)',
  });

/** The link a reader can follow for a web address as printed. */
export function hrefOf(address: string): string {
  return /^https?:\/\//i.test(address) ? address : `https://${address}`;
}
