/**
 * A smoke test of the running system: one activity that reaches the database and the SMTP
 * server through the worker. `partnerflow check` starts it; its history shows every hop.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

const { checkSystem } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

export async function systemCheckWorkflow(): Promise<Awaited<ReturnType<typeof checkSystem>>> {
  return await checkSystem();
}
