/**
 * The report's schema, built once per workflow thread and used by every annual report on it.
 *
 * The schema is the largest in the domain. A workflow that evaluated `src/domain/report.ts` for
 * itself, as every module is evaluated per workflow in the SDK's reused V8 context, kept about
 * 0.6 MB after its first submission for as long as the worker cached it, and spent some 7 ms of
 * CPU building it (`npm run bench:workflow-memory -- --submitted`): a cache of 1,000 reports
 * awaiting review outgrew the workflow thread's heap, which is sized for reports that hold
 * 0.2 MB (`workflowHeapMbFor` in src/config.ts).
 *
 * This module is one of `workflowPreloadModules`: one instance for every workflow of the thread.
 * The SDK deep-freezes what it exports (the function below), not what the function keeps in its
 * closure. The schema cannot be built here at preload, as zod rewrites a schema's parsers on its
 * first use and a frozen schema refuses that; so the first submission validated on the thread
 * builds it (webpack evaluates report.ts in that workflow's activation, synchronously, as an
 * Update validator must), and every later one reuses it. Parsing is pure and zod's lazily built
 * internals come out the same whichever workflow builds them, so no workflow can tell, and replay
 * gets the same.
 */
import type * as ReportSchema from '../src/domain/report';

let parse: typeof ReportSchema.parseReportSubmission | undefined;

export function parseReportSubmission(body: unknown): ReturnType<typeof ReportSchema.parseReportSubmission> {
  // eslint-disable-next-line no-restricted-globals -- webpack's require, resolved when the bundle is built
  parse ??= (require('../src/domain/report') as typeof ReportSchema).parseReportSubmission;
  return parse(body);
}
