import type { Config } from '../config';

/**
 * Staff pages a notice points ministry staff to (behind the staff login, so they carry no
 * token). Partners get personal links instead: src/email/partner-links.ts.
 */

export type ReportRef = { partnerNumber: number; year: number };
export type OrganisationRef = { partnerNumber: number };

type BaseUrl = Pick<Config, 'publicBaseUrl'>;

/** The staff board of a report's year, at the partner's row. */
export function reportStatusUrl(config: BaseUrl, ref: ReportRef): string {
  return `${config.publicBaseUrl}/staff/reports/${ref.year}#p-${ref.partnerNumber}`;
}

/** The staff page of one organisation's accession. */
export function accessionStatusUrl(config: BaseUrl, ref: OrganisationRef): string {
  return `${config.publicBaseUrl}/staff/accessions/${ref.partnerNumber}`;
}
