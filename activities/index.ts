/**
 * Every side effect of Partnerflow, built from real dependencies. Workflows only ever see the
 * type of this object (proxyActivities<ReturnType<typeof createActivities>>).
 */
import { createCompilationActivities } from './compilation';
import { createCompilationMailActivities } from './compilation-mail';
import { createCycleActivities } from './cycle';
import { createAccessionActivities } from './accession';
import type { ActivityDeps } from './deps';
import { keptAlive } from './keep-alive';
import { createLifecycleActivities } from './lifecycle';
import { createNoticeActivities } from './notices';
import { createReportingActivities } from './reporting';
import { createDocumentsCheckActivities, createSystemActivities } from './system';

export function createActivities(deps: ActivityDeps) {
  const { sendNotice, ...noticeRecords } = createNoticeActivities(deps);
  const { openCycleBatch, ...cycleRecords } = createCycleActivities(deps);
  return {
    // Database activities: their workflows give them a 5 s heartbeat timeout, so that a dead
    // worker's attempt is retried elsewhere within seconds (workflows/activity-options.ts).
    ...keptAlive(createReportingActivities(deps)),
    ...keptAlive(createAccessionActivities(deps)),
    ...keptAlive(createLifecycleActivities(deps)),
    ...keptAlive(noticeRecords),
    ...keptAlive(cycleRecords),
    // These heartbeat themselves, with their progress or the email under way as details.
    sendNotice,
    openCycleBatch,
    ...createSystemActivities(deps),
    ...createCompilationActivities(deps),
    ...createCompilationMailActivities(deps),
  };
}

/** What a documents worker hosts, on the documents queue (workflows/contracts/task-queues.ts). */
export function createDocumentActivities(deps: ActivityDeps) {
  const { typesetArchiveFormats } = createCompilationActivities(deps);
  return { typesetArchiveFormats, ...createDocumentsCheckActivities(deps) };
}

export type { ActivityDeps } from './deps';
export { noFaults, failOnceAt, type FaultInjector } from '../src/faults';
