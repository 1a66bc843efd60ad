/**
 * The Update schemas of a report (src/domain/report-decisions.ts), built on a report's first
 * Update instead of at its start. The SDK evaluates a workflow's modules anew for every workflow
 * it caches, and building these zod schemas was about a millisecond of every report's first task,
 * for Updates most reports get weeks later or never. webpack resolves the `require` when bundling
 * and evaluates the module on the first call, synchronously (as an Update validator must be).
 */
import type * as ReportDecisions from '../src/domain/report-decisions';

export function reportDecisions(): typeof ReportDecisions {
  // eslint-disable-next-line no-restricted-globals -- webpack's require, resolved when the bundle is built
  return require('../src/domain/report-decisions') as typeof ReportDecisions;
}
