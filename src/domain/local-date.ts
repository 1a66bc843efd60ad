import { z } from 'zod';

/** A calendar date without a zone, as YYYY-MM-DD: the one check every boundary uses. */
const localDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date written as YYYY-MM-DD (no 2019-02-29, no 2019-2-1). */
export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = localDatePattern.exec(value);
  if (match === null) return false;
  const epochMs = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(epochMs).toISOString().slice(0, 10) === value;
}

export const localDateSchema = z.string().refine(isLocalDate, 'must be a real date as YYYY-MM-DD');
