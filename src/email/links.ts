import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';

export type ReportRef = { partnerNumber: number; year: number };
export type OrganisationRef = { partnerNumber: number };

type LinkConfig = Pick<Config, 'publicBaseUrl' | 'linkSecret'>;

/** The partner's link to their report form; the token lets them in without an account. */
export function reportFormUrl(config: LinkConfig, ref: ReportRef): string {
  return `${config.publicBaseUrl}/reports/${ref.year}/${ref.partnerNumber}?token=${reportToken(config, ref)}`;
}

/** The staff page for one report (behind the admin login, so unsigned). */
export function reportStatusUrl(config: Pick<Config, 'publicBaseUrl'>, ref: ReportRef): string {
  return `${config.publicBaseUrl}/admin/reports/${ref.year}/${ref.partnerNumber}`;
}

/** The organisation's link to its declaration form during accession. */
export function declarationFormUrl(config: LinkConfig, ref: OrganisationRef): string {
  return `${config.publicBaseUrl}/accession/${ref.partnerNumber}/declaration?token=${signedToken(config, `declaration:${ref.partnerNumber}`)}`;
}

/** The organisation's page of its agreement: the document to sign and the signatures so far. */
export function agreementUrl(config: LinkConfig, ref: OrganisationRef): string {
  return `${config.publicBaseUrl}/accession/${ref.partnerNumber}/agreement?token=${signedToken(config, `agreement:${ref.partnerNumber}`)}`;
}

/** The partner's page to confirm a milestone reached or name its new date. */
export function milestoneFormUrl(config: LinkConfig, ref: OrganisationRef & { milestoneId: string }): string {
  const purpose = `milestone:${ref.partnerNumber}:${ref.milestoneId}`;
  return `${config.publicBaseUrl}/partners/${ref.partnerNumber}/milestones/${encodeURIComponent(ref.milestoneId)}?token=${signedToken(config, purpose)}`;
}

/** The staff page of one partner. */
export function partnerStatusUrl(config: Pick<Config, 'publicBaseUrl'>, ref: OrganisationRef): string {
  return `${config.publicBaseUrl}/admin/partners/${ref.partnerNumber}`;
}

/** The staff page of one organisation's accession. */
export function accessionStatusUrl(config: Pick<Config, 'publicBaseUrl'>, ref: OrganisationRef): string {
  return `${config.publicBaseUrl}/admin/accession/${ref.partnerNumber}`;
}

export function reportToken(config: Pick<Config, 'linkSecret'>, ref: ReportRef): string {
  return signedToken(config, `report:${ref.year}:${ref.partnerNumber}`);
}

/** Constant-time check of a token from a report form URL. */
export function verifyReportToken(config: Pick<Config, 'linkSecret'>, ref: ReportRef, token: string): boolean {
  const expected = Buffer.from(reportToken(config, ref));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function signedToken(config: Pick<Config, 'linkSecret'>, purpose: string): string {
  return createHmac('sha256', config.linkSecret).update(purpose).digest('base64url');
}
