import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  annualReportStart,
  annualReportWorkflowType,
  type AnnualReportInput,
  type AnnualReportWorkflow,
} from '../../workflows/contracts/annual-report';
import { annualReportSummary } from '../domain/workflow-summaries';
import { annualReportWorkflowId } from './workflow-ids';

/**
 * Starts one partner's annual report workflow under its well-known id, searchable from the first
 * moment by partner and year. Throws WorkflowExecutionAlreadyStartedError if it runs or has ended.
 */
export async function startAnnualReport(
  client: Client,
  taskQueue: string,
  input: Omit<AnnualReportInput, 'patchesBuiltIn'>,
): Promise<WorkflowHandle<AnnualReportWorkflow>> {
  return client.workflow.start<AnnualReportWorkflow>(annualReportWorkflowType, {
    workflowId: annualReportWorkflowId(input.partnerNumber, input.year),
    taskQueue,
    ...annualReportStart(input),
    staticSummary: annualReportSummary(input.partnerNumber, input.year),
    // A report that ended (accepted, waived, closed) is never reopened by starting it again;
    // one whose run failed may be restarted by an admin.
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
  });
}
