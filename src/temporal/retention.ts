import type { ConnectionLike } from '@temporalio/client';
import { msNumberToTs, tsToMs } from '@temporalio/common/lib/time.js';

/**
 * Sets how long Temporal keeps closed workflows (and so their histories) in a namespace.
 * The dev stack calls it on every start; in production the namespace is set up once the same way
 * (or with `temporal operator namespace update --retention <days>d`).
 */
export async function applyNamespaceRetention(connection: ConnectionLike, namespace: string, days: number): Promise<void> {
  await connection.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: msNumberToTs(days * dayMs) },
  });
}

/** The namespace's retention in days, as the server reports it. */
export async function namespaceRetentionDays(connection: ConnectionLike, namespace: string): Promise<number> {
  const described = await connection.workflowService.describeNamespace({ namespace });
  return tsToMs(described.config?.workflowExecutionRetentionTtl) / dayMs;
}

const dayMs = 24 * 60 * 60 * 1000;
