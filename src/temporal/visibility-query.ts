/** Builds Temporal visibility queries from filters, so "all overdue 2019 reports" is one call. */

export type WorkflowFilters = {
  type?: string;
  partner?: number;
  year?: number;
  phase?: string;
  minEscalation?: number;
  status?: 'Running' | 'Completed' | 'Failed' | 'Canceled' | 'Terminated' | 'TimedOut' | 'ContinuedAsNew';
};

/** The values workflows set as their WorkflowKind search attribute. */
export const workflowKinds = ['annual-report', 'accession', 'lifecycle', 'cycle'];

export function visibilityQuery(filters: WorkflowFilters): string {
  const clauses: string[] = [];
  // A kind ('lifecycle', 'accession', 'annual-report') lists by WorkflowKind; anything else is a workflow type.
  if (filters.type) clauses.push(workflowKinds.includes(filters.type) ? `WorkflowKind = ${quote(filters.type)}` : `WorkflowType = ${quote(filters.type)}`);
  if (filters.partner !== undefined) clauses.push(`PartnerNumber = ${integer(filters.partner, 'partner')}`);
  if (filters.year !== undefined) clauses.push(`ReportYear = ${integer(filters.year, 'year')}`);
  if (filters.phase) clauses.push(`ReportPhase = ${quote(filters.phase)}`);
  if (filters.minEscalation !== undefined) clauses.push(`EscalationLevel >= ${integer(filters.minEscalation, 'escalation')}`);
  if (filters.status) clauses.push(`ExecutionStatus = ${quote(filters.status)}`);
  return clauses.join(' AND ');
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function integer(value: number, field: string): string {
  if (!Number.isInteger(value)) throw new RangeError(`${field}: must be a whole number`);
  return String(value);
}
