/** Workflow ids say what a workflow is, so an admin can find one without a lookup table. */

export function annualReportWorkflowId(partnerNumber: number, year: number): string {
  return `annual-report/${partnerNumber}/${year}`;
}

export function systemCheckWorkflowId(startedAt: Date): string {
  return `system-check/${startedAt.toISOString()}`;
}
