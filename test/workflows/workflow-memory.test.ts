/**
 * What each cached workflow costs the worker (src/dev/bench/workflow-memory.ts, run small): the
 * product's bundle in the SDK's own sandbox, annual reports given their first two tasks from a
 * recorded history. Libraries are shared by every workflow of a worker thread (workflows/preload.ts)
 * and a report evaluates only its own workflow's modules; the report's schema is built by the
 * thread's first submission and shared from then on (workflows/report-submission.ts). A change that
 * brings zod, luxon, another workflow or the report schema back into every report fails here.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { measureWorkflowMemory } from '../../src/dev/bench/workflow-memory';
import { workflowBundle } from '../support/reporting-world';
import { readReportFixture } from '../support/workflow-story';

const historyFile = fileURLToPath(new URL('../fixtures/histories/annual-report-never-submitted.json', import.meta.url));

describe('a cached annual report', () => {
  it('evaluates no library and no other workflow of its own, and holds well under 1 MB', async () => {
    const figures = await measureWorkflowMemory({ bundleCode: (await workflowBundle()).code, historyFile, workflows: 40 });
    const own = figures.ownModules.join('\n');
    expect(own).toContain('workflows/annual-report.ts');
    for (const shared of ['node_modules/zod/', 'node_modules/luxon/']) expect(own).not.toContain(shared);
    for (const elsewhere of ['workflows/accession.ts', 'workflows/partner-lifecycle.ts', 'src/domain/report.ts']) expect(own).not.toContain(elsewhere);
    // Measured at about 0.18 MB (2.05 MB before zod was shared); the bound leaves room for the
    // collector's noise and for the workflow to grow, not for a library evaluated per workflow.
    expect(figures.heapBytesPerWorkflow).toBeLessThan(500_000);
  }, 120_000);

  it('submitted and awaiting review, shares the report schema the first submission built, and stays as small', async () => {
    const report = await readReportFixture('02-kreis-lippe.json');
    const figures = await measureWorkflowMemory({ bundleCode: (await workflowBundle()).code, historyFile, workflows: 40, submission: { report, submittedBy: 'Petra Schmidt' } });
    // Every report validated the seed's Kreis Lippe report (the bench fails otherwise); the last one
    // did it with the schema an earlier one built.
    const own = figures.ownModules.join('\n');
    for (const schema of ['src/domain/report.ts', 'src/domain/declaration.ts', 'src/domain/report-figure.ts']) expect(own).not.toContain(schema);
    // Measured at about 0.19 MB; each report built its own schema before and held 0.73 MB, so that a
    // cache of 1,000 outgrew the workflow thread's heap (workflowHeapMbFor in src/config.ts).
    expect(figures.heapBytesPerWorkflow).toBeLessThan(500_000);
  }, 120_000);
});
