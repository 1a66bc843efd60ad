import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  annualReportWorkflowType,
  type AnnualReportInput,
  type AnnualReportWorkflow,
} from '../../workflows/contracts/annual-report';
import { PartnerNumber, ReportPhase, ReportYear, WorkflowKind } from '../../workflows/contracts/search-attributes';
import { annualReportSummary } from '../domain/workflow-summaries';
import { annualReportWorkflowId } from './workflow-ids';

/**
 * Starts one partner's annual report workflow under its well-known id, searchable from the first
 * moment by partner and year. Throws WorkflowExecutionAlreadyStartedError if it runs or has ended.
 */
export async function startAnnualReport(
  client: Client,
  taskQueue: string,
  input: AnnualReportInput,
): Promise<WorkflowHandle<AnnualReportWorkflow>> {
  return client.workflow.start<AnnualReportWorkflow>(annualReportWorkflowType, {
    workflowId: annualReportWorkflowId(input.partnerNumber, input.year),
    taskQueue,
    args: [input],
    staticSummary: annualReportSummary(input.partnerNumber, input.year),
    // A report that ended (accepted, waived, closed) is never reopened by starting it again;
    // one whose run failed may be restarted by an admin.
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    typedSearchAttributes: [
      { key: PartnerNumber, value: input.partnerNumber },
      { key: ReportYear, value: input.year },
      { key: ReportPhase, value: 'awaiting_submission' },
      { key: WorkflowKind, value: 'annual-report' },
    ],
  });
}
