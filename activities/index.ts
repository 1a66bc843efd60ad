/**
 * Every side effect of Partnerflow, built from real dependencies. Workflows only ever see the
 * type of this object (proxyActivities<ReturnType<typeof createActivities>>).
 */
import { createCompilationActivities } from './compilation';
import type { ActivityDeps } from './deps';
import { createNoticeActivities } from './notices';
import { createReportingActivities } from './reporting';
import { createSystemActivities } from './system';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createReportingActivities(deps),
    ...createNoticeActivities(deps),
    ...createSystemActivities(deps),
    ...createCompilationActivities(deps),
  };
}

export type { ActivityDeps } from './deps';
export { noFaults, failOnceAt, type FaultInjector } from '../src/faults';
