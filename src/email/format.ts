import { DateTime } from 'luxon';
import type { NoticeLanguage } from './notice-context';

/** Formats the local calendar date of an instant: de '31.03.2019', en '31 March 2019'. */
export function formatDate(iso: string, timezone: string, language: NoticeLanguage): string {
  const local = toLocal(iso, timezone);
  return language === 'de' ? local.toFormat('dd.MM.yyyy') : local.setLocale('en-GB').toFormat('d MMMM yyyy');
}

/** Formats date and clock time: de '28.03.2019 um 14:05 Uhr', en '28 March 2019 at 14:05'. */
export function formatDateTime(iso: string, timezone: string, language: NoticeLanguage): string {
  const local = toLocal(iso, timezone);
  return language === 'de'
    ? `${local.toFormat('dd.MM.yyyy')} um ${local.toFormat('HH:mm')} Uhr`
    : `${local.setLocale('en-GB').toFormat('d MMMM yyyy')} at ${local.toFormat('HH:mm')}`;
}

/** The local calendar date of an instant as YYYY-MM-DD. */
export function localDate(instant: Date, timezone: string): string {
  return toLocal(instant.toISOString(), timezone).toISODate() as string;
}

function toLocal(iso: string, timezone: string): DateTime {
  const local = DateTime.fromISO(iso, { setZone: false }).setZone(timezone);
  if (!local.isValid) throw new RangeError(`cannot format ${iso} in ${timezone}: ${local.invalidExplanation ?? local.invalidReason}`);
  return local;
}

/** Formats a calendar day given as YYYY-MM-DD (no instant, so no zone): de '05.03.2026', en '5 March 2026'. */
export function formatDay(day: string, language: NoticeLanguage): string {
  const local = DateTime.fromISO(day, { zone: 'UTC' });
  if (!local.isValid) throw new RangeError(`not a day: ${day}`);
  return language === 'de' ? local.toFormat('dd.MM.yyyy') : local.setLocale('en-GB').toFormat('d MMMM yyyy');
}
