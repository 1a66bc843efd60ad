/** Parsers for command-line option values: each names the flag and the reason when it refuses. */
import { isLocalDate } from '../domain/local-date';
import { CliError } from './output';

export function wholeNumber(flag: string) {
  return (value: string) => {
    if (!/^\d+$/.test(value)) throw new CliError([`${flag}: must be a whole number, got "${value}"`], 2);
    return Number(value);
  };
}

export function localDate(flag: string) {
  return (value: string) => {
    if (!isLocalDate(value)) throw new CliError([`${flag}: must be a date as YYYY-MM-DD, got "${value}"`], 2);
    return value;
  };
}

export function instant(flag: string) {
  return (value: string) => {
    if (Number.isNaN(Date.parse(value)) || !/T/.test(value)) {
      throw new CliError([`${flag}: must be an ISO-8601 date and time, got "${value}"`], 2);
    }
    return new Date(value).toISOString();
  };
}
