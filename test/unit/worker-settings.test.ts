/**
 * The worker's tuning and the cycle's start concurrency: read from the environment with bounds and
 * one line per problem, handed to the SDK as its options, and the start pool never runs more than
 * it may at once.
 */
import { describe, expect, it } from 'vitest';
import { eachWithConcurrency } from '../../src/cli/cycle-opening';
import { ConfigError, loadConfig, workflowHeapMbFor } from '../../src/config';
import { workerTuning } from '../../src/temporal/worker';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('worker settings', () => {
  it('bounds the cache and names the defaults', () => {
    const config = loadConfig({});
    expect(config.worker).toEqual({
      maxCachedWorkflows: 1_000,
      maxConcurrentWorkflowTaskExecutions: 10,
      workflowTaskPollers: 5,
      maxConcurrentActivityTaskExecutions: 100,
      deadlockDetection: false,
      stackTraces: false,
      workflowHeapMb: 460,
      role: 'all',
    });
    expect(config.cycleStartConcurrency).toBe(20);
  });

  it("keeps the SDK's deadlock detection only when asked, and refuses anything but on or off", () => {
    expect(loadConfig({ WORKER_DEADLOCK_DETECTION: 'on' }).worker.deadlockDetection).toBe(true);
    expect(loadConfig({ WORKER_DEADLOCK_DETECTION: 'off' }).worker.deadlockDetection).toBe(false);
    expect(problems({ WORKER_DEADLOCK_DETECTION: 'yes' })).toEqual(['WORKER_DEADLOCK_DETECTION: must be on or off']);
  });

  it("keeps the SDK's stack traces of running workflows only when asked, and refuses anything but on or off", () => {
    expect(loadConfig({ WORKER_STACK_TRACES: 'on' }).worker.stackTraces).toBe(true);
    expect(loadConfig({ WORKER_STACK_TRACES: 'off' }).worker.stackTraces).toBe(false);
    expect(problems({ WORKER_STACK_TRACES: 'true' })).toEqual(['WORKER_STACK_TRACES: must be on or off']);
  });

  it("sizes the workflow thread's heap from the cache unless set, and refuses one too small to start", () => {
    expect(loadConfig({}).worker.workflowHeapMb).toBe(workflowHeapMbFor(1_000));
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '10000' }).worker.workflowHeapMb).toBe(workflowHeapMbFor(10_000));
    // More cached workflows get more heap, never less than a cached report's 0.2 MB each.
    expect(workflowHeapMbFor(10_000) - workflowHeapMbFor(1_000)).toBeGreaterThanOrEqual(0.2 * 9_000);
    expect(loadConfig({ WORKER_WORKFLOW_HEAP_MB: '300' }).worker.workflowHeapMb).toBe(300);
    expect(problems({ WORKER_WORKFLOW_HEAP_MB: '64' })).toEqual(['WORKER_WORKFLOW_HEAP_MB: must be at least 128']);
  });

  it('runs everything in one process unless a role is named, and refuses an unknown one', () => {
    expect(loadConfig({ WORKER_ROLE: 'documents' }).worker.role).toBe('documents');
    expect(loadConfig({ WORKER_ROLE: 'workflows' }).worker.role).toBe('workflows');
    expect(problems({ WORKER_ROLE: 'mail' })).toEqual(['WORKER_ROLE: must be all, workflows or documents']);
  });

  it('hands them to the SDK under its own names', () => {
    const config = loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '250', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '60', WORKER_WORKFLOW_TASK_POLLERS: '30', WORKER_MAX_CONCURRENT_ACTIVITIES: '50' });
    expect(workerTuning(config.worker)).toEqual({
      maxCachedWorkflows: 250,
      maxConcurrentWorkflowTaskExecutions: 60,
      workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 30 },
      maxConcurrentActivityTaskExecutions: 50,
    });
  });

  it('refuses a value out of bounds, one line per variable', () => {
    expect(problems({ WORKER_MAX_CACHED_WORKFLOWS: '1', CYCLE_START_CONCURRENCY: 'many' })).toEqual([
      expect.stringMatching(/^WORKER_MAX_CACHED_WORKFLOWS: .*at least 2/),
      expect.stringMatching(/^CYCLE_START_CONCURRENCY: /),
    ]);
  });

  it('refuses more pollers than task slots, and more task slots than cached workflows', () => {
    expect(problems({ WORKER_WORKFLOW_TASK_POLLERS: '11' })).toEqual([
      'WORKER_WORKFLOW_TASK_POLLERS: must not exceed WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (10)',
    ]);
    expect(problems({ WORKER_MAX_CACHED_WORKFLOWS: '8' })).toEqual([
      'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: must not exceed WORKER_MAX_CACHED_WORKFLOWS (8)',
    ]);
  });
});

describe('starting with a bounded pool', () => {
  it('runs every item once, never more than the limit at a time', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await eachWithConcurrency(Array.from({ length: 50 }, (_, i) => i), 7, async (item) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, item % 3));
      done.push(item);
      running -= 1;
    });
    expect(most).toBe(7);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('stops taking new items after a failure and throws it', async () => {
    const started: number[] = [];
    await expect(
      eachWithConcurrency(Array.from({ length: 100 }, (_, i) => i), 4, async (item) => {
        started.push(item);
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (item === 5) throw new Error('partner 5: refused');
      }),
    ).rejects.toThrow('partner 5: refused');
    expect(started.length).toBeLessThan(12);
  });
});
