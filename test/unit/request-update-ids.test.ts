import type { WorkflowStartUpdateInput, WorkflowStartUpdateOutput } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { requestUpdateIdInterceptor, withRequestUpdateIds } from '../../src/temporal/request-update-ids';

const input = (workflowId: string, updateName: string, updateId?: string): WorkflowStartUpdateInput => ({
  updateName,
  args: [],
  workflowExecution: { workflowId },
  headers: {},
  options: updateId === undefined ? {} : { updateId },
});

/** The id the interceptor sends an Update under (undefined: the client picks a random one). */
async function sentId(update: WorkflowStartUpdateInput): Promise<string | undefined> {
  let seen: string | undefined;
  const next = async (passed: WorkflowStartUpdateInput): Promise<WorkflowStartUpdateOutput> => {
    seen = passed.options.updateId;
    return { updateId: seen ?? 'random', workflowRunId: 'run' };
  };
  await requestUpdateIdInterceptor.startUpdate?.(update, next);
  return seen;
}

describe('Updates named by the request', () => {
  it('gives the same request the same ids, in the order it sends its Updates', async () => {
    const ids = (seed: string) =>
      withRequestUpdateIds(seed, async () => [await sentId(input('annual-report/2/2027', 'submitReport')), await sentId(input('annual-report/2/2027', 'submitReport'))]);
    const first = await ids('session:partner:1\nkey-1');
    expect(first[0]).toMatch(/^request-[0-9a-f]{32}$/);
    expect(first[1]).not.toBe(first[0]);
    expect(await ids('session:partner:1\nkey-1')).toEqual(first);
    expect((await ids('session:partner:1\nkey-2'))[0]).not.toBe(first[0]);
  });

  it('names Updates of other workflows and names differently, and leaves alone what has an id or no request', async () => {
    const [report, other, accept] = await withRequestUpdateIds('seed', async () => [
      await sentId(input('annual-report/2/2027', 'submitReport')),
      await sentId(input('annual-report/3/2027', 'submitReport')),
      await sentId(input('annual-report/2/2027', 'acceptReport')),
    ]);
    expect(new Set([report, other, accept]).size).toBe(3);
    expect(await withRequestUpdateIds('seed', () => sentId(input('annual-report/2/2027', 'submitReport', 'chosen')))).toBe('chosen');
    expect(await sentId(input('annual-report/2/2027', 'submitReport'))).toBeUndefined();
  });
});
