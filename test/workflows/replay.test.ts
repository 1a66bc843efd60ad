/**
 * Recorded histories of real runs (test/fixtures/histories, refreshed with RECORD_HISTORIES=1)
 * replayed against today's workflow code: a non-deterministic change fails here, in CI.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { annualReportPatches } from '../../workflows/contracts/annual-report';
import { partnerflowDataConverter } from '../../src/temporal/data-converter';
import { workflowBundle } from '../support/reporting-world';
import { historiesDir } from '../support/workflow-story';

/** Fixtures are recorded sealed with the development keyring (see reporting-world.ts). */
const dataConverter = partnerflowDataConverter({ payloadKeys: loadConfig({}).payloadKeys });

async function recordedHistories() {
  const files = (await readdir(historiesDir)).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(await readFile(join(historiesDir, file), 'utf8'))),
    })),
  );
}

describe('recorded histories', () => {
  it('replay without a determinism error against the current workflow code', async () => {
    const histories = await recordedHistories();
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining([
        'annual-report-never-submitted',
        'annual-report-submitted-on-time',
        'annual-report-revision-accepted',
        // Begun with the first step as one local activity (patch open-report-locally).
        'annual-report-opened-locally-never-submitted',
        'annual-report-opened-locally-revision-accepted',
        'annual-report-opened-locally-started-late',
        // Begun with its patches built in (annualReportStart): no patch marker, no first upsert.
        'annual-report-built-in-never-submitted',
        'annual-report-built-in-submitted-on-time',
        'annual-report-built-in-revision-accepted',
        'annual-report-built-in-started-late',
        // Accession and the partner's lifecycle (test/workflows/accession.test.ts, partner-lifecycle.test.ts).
        'accession-withdrawn-after-escalation',
        'accession-revision-loop-partner-first',
        'accession-ministry-first',
        'accession-rejected',
        'lifecycle-first-report-and-year-turn',
        'lifecycle-milestones',
        'lifecycle-withdrawal',
        // The cycle's compile before and after the archive formats followed (patched 'archive-formats-follow').
        'cycle-compiled-before-archive-follows',
        'cycle-compiled-archive-follows',
      ]),
    );
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle(), dataConverter }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });

  it('number the annual report’s patches 1 to n, each number once', () => {
    // Reports count into these numbers (patchesBuiltIn): a gap or a number given twice would make
    // a report begun with one count take another's patches.
    const numbers = Object.values(annualReportPatches).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, index) => index + 1));
  });

  it('fail to replay against workflow code that changed its decisions', async () => {
    // An annual report's history: the altered bundle holds only that workflow.
    const recorded = (await recordedHistories()).find((h) => h.workflowId.startsWith('annual-report-'));
    if (!recorded) throw new Error('no recorded history');
    const altered = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../fixtures/altered-workflows/index.ts', import.meta.url)),
      logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    await expect(Worker.runReplayHistory({ workflowBundle: altered, dataConverter }, recorded.history, recorded.workflowId)).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });
});
