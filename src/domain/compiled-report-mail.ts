/**
 * The staff's email of a compiled version: its ledger keys, shared by the mail (which sends under
 * them) and the cycle workflow (which marks them failed when the mail gives up).
 */

export const compiledReportTemplate = 'compiled-report-ready';

/** Every staff member's copy of one version is keyed under this prefix. */
export function compiledReportMailKeyPrefix(year: number, version: number): string {
  return `compiled-report/${year}/v${version}`;
}
