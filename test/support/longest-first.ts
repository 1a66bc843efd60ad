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
  'test/workflows/cycle-1000.test.ts': 344,
  // Files whose stories now run side by side: the CI figure scaled by what that saved here.
  'test/integration/chaos-kills.test.ts': 100, // 267 s one drill after the other
  'test/workflows/annual-report.test.ts': 124,
  'test/e2e/accession-browser.test.ts': 89,
  'test/integration/http-bad-input.property.test.ts': 74,
  'test/e2e/web-browser.test.ts': 56,
  'test/integration/bench.test.ts': 51,
  'test/integration/production-stack.test.ts': 43,
  'test/e2e/dev-stack-links-browser.test.ts': 41,
  'test/workflows/accession.test.ts': 41,
  'test/e2e/web-ops-browser.test.ts': 36,
  'test/integration/partner-token-matrix.test.ts': 35,
  'test/integration/provision.test.ts': 35,
  'test/integration/accession-api.test.ts': 35,
  'test/workflows/partner-lifecycle.test.ts': 19, // 34 s
  'test/workflows/cycle-workflow.test.ts': 18, // 33 s
  'test/integration/cli-bad-input.test.ts': 31,
  'test/workflows/history-privacy.test.ts': 17, // 30 s
  'test/integration/web-ops-api.test.ts': 26,
  'test/e2e/accession-cli.test.ts': 25,
  'test/e2e/cli.test.ts': 25,
  'test/integration/cli-long-running.test.ts': 23,
  'test/integration/chaos-smtp.test.ts': 23,
  'test/integration/workflow-lint.test.ts': 22,
  'test/workflows/cycle-open.test.ts': 21,
  'test/integration/web-api.test.ts': 19,
  'test/integration/compiled-report-documents.test.ts': 19,
  'test/integration/web-resend-api.test.ts': 19,
  'test/integration/route-happy-paths.test.ts': 15,
  'test/integration/chaos-sigterm.test.ts': 15,
  'test/workflows/deadline-catch-up.test.ts': 13,
  'test/unit/env-and-files.property.test.ts': 12,
  'test/integration/cycle-forecast-stats.test.ts': 12,
  'test/integration/compilation.test.ts': 12,
  'test/integration/compilation-reuse.test.ts': 11,
  'test/integration/compiled-report-mail.test.ts': 11,
  'test/workflows/deadline-family.test.ts': 10,
  'test/integration/metrics.test.ts': 9,
  'test/workflows/time-skipping.test.ts': 9,
  'test/integration/dev-stack.test.ts': 8,
  'test/integration/cycle-open-cli.test.ts': 8,
  'test/integration/postgres-as-root.test.ts': 8,
  'test/integration/db-embedded-postgres.test.ts': 7,
  'test/unit/deadline-schedule.property.test.ts': 7,
  'test/integration/provision-servers.test.ts': 7,
  'test/integration/cycle-status.test.ts': 6,
  'test/integration/submission-logs.test.ts': 6,
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
