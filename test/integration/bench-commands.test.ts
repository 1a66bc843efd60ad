/**
 * `npm run bench:commands` with two workflows of each kind, so the script cannot rot and measures
 * what its rows say: each kind's first task records exactly its commands on the real dev server.
 * The figures themselves are not asserted, only that each was read.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm run bench:commands', () => {
  it('prints the server’s CPU for each kind of workflow, whose first task recorded exactly its commands', async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/bench-commands.ts', '--workflows', '2', '--rounds', '2'], {
      env,
      timeout: 240_000,
    });
    const rows = new Map(
      stdout
        .split('\n')
        .filter((line) => line.startsWith('│ ') && !line.includes('(index)'))
        .map((line) => line.split('│').map((cell) => cell.trim().replace(/^'|'$/g, '')))
        .map(([, , workflow, mean, range, worker, firstTask]) => [workflow, { mean, range, worker, firstTask }]),
    );
    const activity = 'ActivityTaskScheduled';
    const patch = 'MarkerRecorded core_patch, UpsertWorkflowSearchAttributes';
    const local = 'MarkerRecorded core_local_activity';
    expect(Object.fromEntries([...rows].map(([workflow, row]) => [workflow, row?.firstTask]))).toEqual({
      'one activity': activity,
      'one activity that heartbeats once': activity,
      'a local activity, then an activity': `${local}, ${activity}`,
      'two local activities': `${local}, ${local}, WorkflowExecutionCompleted`,
      'two patches, then an activity': `${patch}, ${patch}, ${activity}`,
      'one search-attribute upsert, then an activity': `UpsertWorkflowSearchAttributes, ${activity}`,
      'two patches and an upsert, then an activity': `${patch}, ${patch}, UpsertWorkflowSearchAttributes, ${activity}`,
    });
    for (const row of rows.values()) {
      expect(row?.mean).toMatch(/^\d+\.\d$/);
      expect(row?.range).toMatch(/^\d+\.\d–\d+\.\d$/);
      expect(row?.worker).toMatch(/^\d+\.\d$/);
    }
  }, 300_000);
});
