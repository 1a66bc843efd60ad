/** Workflow ids say what a workflow is, so an admin can find one without a lookup table. */

export function annualReportWorkflowId(partnerNumber: number, year: number): string {
  return `annual-report/${partnerNumber}/${year}`;
}

export function systemCheckWorkflowId(startedAt: Date): string {
  return `system-check/${startedAt.toISOString()}`;
}

/** The partner a workflow belongs to, read back from its id (for logs); undefined for others. */
export function partnerOfWorkflowId(workflowId: string | undefined): number | undefined {
  const match = /^annual-report\/(\d+)\/\d+$/.exec(workflowId ?? '');
  return match ? Number(match[1]) : undefined;
}
