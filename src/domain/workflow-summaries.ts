/**
 * What the Temporal Web UI shows as a workflow's summary: which organisation (by partner number)
 * and which year. No personal data: summaries are read by every admin, and kept with the history.
 * Pure; clients and workflows (for their children) use the same words.
 */
export function annualReportSummary(partnerNumber: number, year: number): string {
  return `Annual report ${year} · partner ${partnerNumber}`;
}

export function accessionSummary(partnerNumber: number): string {
  return `Accession · partner ${partnerNumber}`;
}

export function lifecycleSummary(partnerNumber: number): string {
  return `Partnership lifecycle · partner ${partnerNumber}`;
}
