/**
 * Logs what a client asks of Temporal (workflow starts and Updates) as one line each, with the
 * workflow id, partner and, for Updates, the update id, which is their idempotency key (Temporal
 * runs an Update with the same id once). Every client built by connectClient (CLI, HTTP) has it.
 */
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { processLogger } from '../observability/logger';
import { partnerOfWorkflowId } from './workflow-ids';

export const clientLoggingInterceptor: WorkflowClientInterceptor = {
  async startWithDetails(input, next) {
    const { workflowId, taskQueue } = input.options;
    const fields = { workflowId, partner: partnerOfWorkflowId(workflowId), workflowType: input.workflowType, taskQueue };
    try {
      const output = await next(input);
      processLogger().info({ ...fields, runId: output.runId }, 'workflow started');
      return output;
    } catch (error) {
      processLogger().warn({ ...fields, reason: reasonOf(error) }, 'workflow not started');
      throw error;
    }
  },

  async startUpdate(input, next) {
    const { workflowId, runId } = input.workflowExecution;
    const fields = { workflowId, partner: partnerOfWorkflowId(workflowId), runId, update: input.updateName };
    try {
      const output = await next(input);
      processLogger().info({ ...fields, updateId: output.updateId }, 'update sent');
      return output;
    } catch (error) {
      processLogger().warn({ ...fields, updateId: input.options.updateId, reason: reasonOf(error) }, 'update refused');
      throw error;
    }
  },
};

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // An Update's validator puts its "field: reason" lines in the cause.
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
