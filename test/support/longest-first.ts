import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each slow file took in a CI run on a fresh clone (vitest's own per-file durations).
 * Without this, a fresh clone has no vitest cache and runs the largest files first: the fault
 * drills are a short file and started near the end, so with two files at a time the run ended
 * with one worker idle for minutes. Rough figures are enough: only the order matters. Files
 * not named here take under about 5 s and keep vitest's order after these.
 */
const knownSeconds: Record<string, number> = {
  'test/workflows/cycle-1000.test.ts': 411,
  'test/integration/chaos-kills.test.ts': 107,
  'test/workflows/annual-report.test.ts': 93,
  'test/e2e/accession-browser.test.ts': 89,
  'test/workflows/notice-give-up.test.ts': 77,
  'test/integration/chaos-activity-windows.test.ts': 75,
  'test/integration/http-bad-input.property.test.ts': 66,
  'test/workflows/cycle-workflow.test.ts': 64,
  'test/e2e/web-browser.test.ts': 63,
  'test/integration/bench.test.ts': 55,
  'test/workflows/accession.test.ts': 54,
  'test/integration/web-ops-api.test.ts': 48,
  'test/integration/partner-token-matrix.test.ts': 46,
  'test/integration/provision.test.ts': 45,
  'test/integration/production-stack.test.ts': 44,
  'test/e2e/dev-stack-links-browser.test.ts': 43,
  'test/e2e/web-ops-browser.test.ts': 42,
  'test/workflows/partner-lifecycle.test.ts': 35,
  'test/integration/cli-bad-input.test.ts': 34,
  'test/e2e/cli.test.ts': 33,
  'test/integration/chaos-smtp.test.ts': 30,
  'test/integration/accession-api.test.ts': 30,
  'test/integration/workflow-lint.test.ts': 27,
  'test/integration/cli-long-running.test.ts': 26,
  'test/e2e/accession-cli.test.ts': 25,
  'test/integration/web-api.test.ts': 22,
  'test/integration/compiled-report-documents.test.ts': 21,
  'test/integration/compiled-report-mail.test.ts': 19,
  'test/integration/chaos-sigterm.test.ts': 19,
  'test/integration/compilation-reuse.test.ts': 18,
  'test/workflows/history-privacy.test.ts': 15,
  'test/workflows/deadline-catch-up.test.ts': 15,
  'test/unit/env-and-files.property.test.ts': 14,
  'test/integration/route-happy-paths.test.ts': 14,
  'test/integration/cycle-forecast-stats.test.ts': 14,
  'test/integration/web-resend-api.test.ts': 13,
  'test/workflows/cycle-open.test.ts': 12,
  'test/integration/compilation.test.ts': 10,
  'test/workflows/deadline-family.test.ts': 9,
  'test/integration/cycle-open-cli.test.ts': 9,
  'test/integration/postgres-as-root.test.ts': 8,
  'test/integration/metrics.test.ts': 8,
  'test/integration/indicator-years.test.ts': 8,
  'test/integration/dev-stack.test.ts': 8,
  'test/integration/db-embedded-postgres.test.ts': 8,
  'test/unit/deadline-schedule.property.test.ts': 7,
  'test/integration/submission-logs.test.ts': 7,
  'test/workflows/time-skipping.test.ts': 6,
  'test/integration/workflow-bundle.test.ts': 6,
  'test/integration/provision-servers.test.ts': 6,
  'test/workflows/replay.test.ts': 5,
  'test/integration/partner-import.test.ts': 5,
  'test/integration/cycle-status.test.ts': 5,
};

/** Longest files first, so that the last files to start are short ones and both workers end together. */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const seconds = (file: TestSpecification) => knownSeconds[relative(file.project.config.root, file.moduleId).split('\\').join('/')] ?? 0;
    // Array.prototype.sort is stable: files of equal (unknown) duration keep vitest's order.
    return [...ordered].sort((a, b) => seconds(b) - seconds(a));
  }
}
