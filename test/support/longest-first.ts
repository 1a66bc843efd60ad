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
  'test/workflows/cycle-1000.test.ts': 208,
  'test/integration/chaos-kills.test.ts': 99,
  'test/workflows/annual-report.test.ts': 84,
  'test/workflows/notice-give-up.test.ts': 67,
  'test/integration/chaos-activity-windows.test.ts': 66,
  'test/integration/bench.test.ts': 55,
  'test/e2e/web-browser.test.ts': 54,
  'test/e2e/accession-browser.test.ts': 51,
  'test/workflows/cycle-workflow.test.ts': 48,
  'test/integration/production-stack.test.ts': 48,
  'test/integration/provision.test.ts': 45,
  'test/integration/cli-long-running.test.ts': 43,
  'test/e2e/web-ops-browser.test.ts': 39,
  'test/integration/web-api.test.ts': 35,
  'test/integration/http-bad-input.property.test.ts': 33,
  'test/integration/web-ops-api.test.ts': 32,
  'test/integration/partner-token-matrix.test.ts': 31,
  'test/e2e/dev-stack-links-browser.test.ts': 31,
  'test/integration/cli-bad-input.test.ts': 29,
  'test/e2e/cli.test.ts': 28,
  'test/workflows/workflow-threads.test.ts': 27,
  'test/workflows/accession.test.ts': 27,
  'test/integration/accession-api.test.ts': 27,
  'test/e2e/accession-cli.test.ts': 21,
  'test/workflows/partner-lifecycle.test.ts': 20,
  'test/integration/compilation-reuse.test.ts': 20,
  'test/integration/chaos-sigterm.test.ts': 20,
  'test/integration/workflow-lint.test.ts': 18,
  'test/integration/chaos-smtp.test.ts': 18,
  'test/workflows/deadline-catch-up.test.ts': 16,
  'test/workflows/history-privacy.test.ts': 14,
  'test/integration/cycle-forecast-stats.test.ts': 13,
  'test/integration/compiled-report-mail.test.ts': 13,
  'test/integration/compiled-report-documents.test.ts': 13,
  'test/integration/chapter-fragments.test.ts': 13,
  'test/workflows/cycle-open.test.ts': 12,
  'test/integration/compilation.test.ts': 12,
  'test/integration/route-happy-paths.test.ts': 11,
  'test/unit/env-and-files.property.test.ts': 10,
  'test/integration/db-embedded-postgres.test.ts': 10,
  'test/integration/cycle-open-cli.test.ts': 10,
  'test/integration/web-resend-api.test.ts': 9,
  'test/integration/notices.test.ts': 9,
  'test/integration/dev-stack.test.ts': 9,
  'test/integration/bench-commands.test.ts': 9,
  'test/unit/deadline-schedule.property.test.ts': 8,
  'test/integration/postgres-as-root.test.ts': 8,
  'test/workflows/deadline-family.test.ts': 7,
  'test/integration/partner-erasure.test.ts': 7,
  'test/integration/metrics.test.ts': 7,
  'test/integration/indicator-years.test.ts': 7,
  'test/workflows/time-skipping.test.ts': 6,
  'test/unit/calendar.property.test.ts': 6,
  'test/integration/submission-logs.test.ts': 6,
  'test/integration/provision-servers.test.ts': 6,
  'test/integration/partner-import.test.ts': 6,
  'test/integration/cycle-status.test.ts': 6,
  'test/integration/workflow-bundle.test.ts': 5,
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
