import { IANAZone } from 'luxon';

const known = new Map<string, boolean>();

/**
 * Whether `zone` is an IANA time zone, remembered per name: luxon asks Intl by building a date
 * formatter each time, and every stored policy and every notice is checked (a profile of the
 * worker starting 200 reports found 3 % of its main thread there).
 */
export function isIanaTimeZone(zone: string): boolean {
  let valid = known.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    known.set(zone, valid);
  }
  return valid;
}
