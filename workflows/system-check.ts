/**
 * A smoke test of the running system: one activity that reaches the database and the SMTP server
 * through the worker, and one on the documents queue that a documents worker must take (without
 * one, compiled reports never get their PDF and DOCX). `partnerflow check` starts it; its history
 * shows every hop.
 */
import { ActivityFailure, ApplicationFailure, TimeoutFailure, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities, createDocumentActivities } from '../activities';
import { documentsTaskQueue } from './contracts/task-queues';

const { checkSystem } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

/** How long the check waits for a documents worker to take its activity. */
const documentsWait = '15 seconds';

export type SystemCheckResult = Awaited<ReturnType<typeof checkSystem>> & { documents?: string };

export async function systemCheckWorkflow(): Promise<SystemCheckResult> {
  const system = await checkSystem();
  // Checks begun before the documents hop complete without it.
  if (!patched('system-check-documents')) return system;
  return { ...system, documents: await checkDocumentsWorker() };
}

async function checkDocumentsWorker(): Promise<string> {
  const queue = documentsTaskQueue(workflowInfo().taskQueue);
  const { checkDocuments } = proxyActivities<ReturnType<typeof createDocumentActivities>>({
    taskQueue: queue,
    scheduleToStartTimeout: documentsWait,
    startToCloseTimeout: '30 seconds',
    retry: { maximumAttempts: 1 },
  });
  try {
    return await checkDocuments();
  } catch (error) {
    if (error instanceof ActivityFailure && error.cause instanceof TimeoutFailure) {
      throw ApplicationFailure.nonRetryable(
        `documents: no worker took the check on task queue ${queue} within ${documentsWait}; compiled reports get no PDF or DOCX until one runs (WORKER_ROLE=documents or all)`,
        'NoDocumentsWorker',
      );
    }
    throw error;
  }
}
