/**
 * What each cached workflow costs the worker (src/dev/bench/workflow-memory.ts, run small): the
 * product's bundle in the SDK's own sandbox, annual reports given their first two tasks from a
 * recorded history. Libraries are shared by every workflow of a worker thread (workflows/preload.ts)
 * and a report evaluates only its own workflow's modules; the report's schema waits for the first
 * submission. A change that brings zod, luxon or another workflow back into every report fails here.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { measureWorkflowMemory } from '../../src/dev/bench/workflow-memory';
import { workflowBundle } from '../support/reporting-world';

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
});
