import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';

export type ReportRef = { partnerNumber: number; year: number };

type LinkConfig = Pick<Config, 'publicBaseUrl' | 'linkSecret'>;

/** The partner's link to their report form; the token lets them in without an account. */
export function reportFormUrl(config: LinkConfig, ref: ReportRef): string {
  return `${config.publicBaseUrl}/reports/${ref.year}/${ref.partnerNumber}?token=${reportToken(config, ref)}`;
}

/** The staff page for one report (behind the admin login, so unsigned). */
export function reportStatusUrl(config: Pick<Config, 'publicBaseUrl'>, ref: ReportRef): string {
  return `${config.publicBaseUrl}/admin/reports/${ref.year}/${ref.partnerNumber}`;
}

export function reportToken(config: Pick<Config, 'linkSecret'>, ref: ReportRef): string {
  return createHmac('sha256', config.linkSecret).update(`report:${ref.year}:${ref.partnerNumber}`).digest('base64url');
}

/** Constant-time check of a token from a report form URL. */
export function verifyReportToken(config: Pick<Config, 'linkSecret'>, ref: ReportRef, token: string): boolean {
  const expected = Buffer.from(reportToken(config, ref));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
