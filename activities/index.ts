/**
 * Every side effect of Partnerflow, built from real dependencies. Workflows only ever see the
 * type of this object (proxyActivities<ReturnType<typeof createActivities>>).
 */
import { createCompilationActivities } from './compilation';
import { createCompilationMailActivities } from './compilation-mail';
import { createCycleActivities } from './cycle';
import { createAccessionActivities } from './accession';
import type { ActivityDeps } from './deps';
import { createLifecycleActivities } from './lifecycle';
import { createNoticeActivities } from './notices';
import { createReportingActivities } from './reporting';
import { createDocumentsCheckActivities, createSystemActivities } from './system';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createReportingActivities(deps),
    ...createAccessionActivities(deps),
    ...createLifecycleActivities(deps),
    ...createNoticeActivities(deps),
    ...createSystemActivities(deps),
    ...createCompilationActivities(deps),
    ...createCompilationMailActivities(deps),
    ...createCycleActivities(deps),
  };
}

/** What a documents worker hosts, on the documents queue (workflows/contracts/task-queues.ts). */
export function createDocumentActivities(deps: ActivityDeps) {
  const { typesetArchiveFormats } = createCompilationActivities(deps);
  return { typesetArchiveFormats, ...createDocumentsCheckActivities(deps) };
}

export type { ActivityDeps } from './deps';
export { noFaults, failOnceAt, type FaultInjector } from '../src/faults';
