/** Workflow ids say what a workflow is, so an admin can find one without a lookup table. */

export function annualReportWorkflowId(partnerNumber: number, year: number): string {
  return `annual-report/${partnerNumber}/${year}`;
}

export function parseAnnualReportWorkflowId(id: string): { partnerNumber: number; year: number } | undefined {
  const match = /^annual-report\/(\d+)\/(\d{4})$/.exec(id);
  if (!match) return undefined;
  return { partnerNumber: Number(match[1]), year: Number(match[2]) };
}

export function systemCheckWorkflowId(startedAt: Date): string {
  return `system-check/${startedAt.toISOString()}`;
}
