/** A calendar date as YYYY-MM-DD, with no zone: a due date as a person states it. */
import { DateTime } from 'luxon';

const localDatePattern = /^\d{4}-\d{2}-\d{2}$/;

export function isLocalDate(value: unknown): value is string {
  return typeof value === 'string' && localDatePattern.test(value) && DateTime.fromISO(value).isValid;
}
