/** Workflow ids say what a workflow is, so an admin can find one without a lookup table. */

export function annualReportWorkflowId(partnerNumber: number, year: number): string {
  return `annual-report/${partnerNumber}/${year}`;
}

/** The year's cycle: one per reporting year (workflows/cycle.ts); defined beside its contract. */
export { cycleWorkflowId } from '../../workflows/contracts/cycle';

export function systemCheckWorkflowId(startedAt: Date): string {
  return `system-check/${startedAt.toISOString()}`;
}

/**
 * Workflows that belong to one partner (their payloads are sealed with its data key, see codec.ts).
 * A new partner-owned workflow kind names itself here.
 */
const partnerOwnedWorkflowId = /^(annual-report|accession|lifecycle)\/(\d+)(?:\/|$)/;

export function partnerNumberOfWorkflowId(workflowId: string): number | undefined {
  const number = partnerOwnedWorkflowId.exec(workflowId)?.[2];
  return number === undefined ? undefined : Number(number);
}

/** The partner a workflow belongs to, read back from its id (for logs); undefined for others. */
export function partnerOfWorkflowId(workflowId: string | undefined): number | undefined {
  return workflowId === undefined ? undefined : partnerNumberOfWorkflowId(workflowId);
}
