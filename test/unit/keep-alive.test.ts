import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KEEP_ALIVE_MS, keepAlive, keptAlive } from '../../activities/keep-alive';

/** A promise the test settles by hand, standing for an activity's slow work. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => [resolve, reject] = [res, rej]);
  return { promise, resolve, reject };
}

function environment(info: { isLocal?: boolean } = {}) {
  const env = new MockActivityEnvironment(info);
  const beats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => beats.push(details));
  return { env, beats };
}

describe('keeping a database activity alive', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('heartbeats every 2 s while the activity runs, and not once it has ended', async () => {
    const { env, beats } = environment();
    const work = deferred<string>();
    const { recordState } = keptAlive({ recordState: (partner: number) => work.promise.then((text) => `${text} ${partner}`) });
    const running = env.run(recordState, 7);
    await vi.advanceTimersByTimeAsync(KEEP_ALIVE_MS * 2 + 100);
    expect(beats).toHaveLength(2);
    work.resolve('recorded');
    await expect(running).resolves.toBe('recorded 7');
    await vi.advanceTimersByTimeAsync(KEEP_ALIVE_MS * 3);
    expect(beats).toHaveLength(2);
  });

  it('sends no heartbeat for an activity that ends within the interval (nearly all of them)', async () => {
    const { env, beats } = environment();
    const { quick } = keptAlive({ quick: async () => 'done' });
    await expect(env.run(quick)).resolves.toBe('done');
    await vi.advanceTimersByTimeAsync(KEEP_ALIVE_MS * 3);
    expect(beats).toEqual([]);
  });

  it('stops when the activity fails, and passes the failure on', async () => {
    const { env, beats } = environment();
    const work = deferred<never>();
    const { failing } = keptAlive({ failing: () => work.promise });
    const running = env.run(failing);
    await vi.advanceTimersByTimeAsync(KEEP_ALIVE_MS + 100);
    work.reject(new Error('database unreachable'));
    await expect(running).rejects.toThrow('database unreachable');
    await vi.advanceTimersByTimeAsync(KEEP_ALIVE_MS * 3);
    expect(beats).toHaveLength(1);
  });

  it('keeps the activity names, which workers register them by', () => {
    const wrapped = keptAlive({ recordReportState: async () => undefined, openAccession: async () => undefined });
    expect(Object.keys(wrapped)).toEqual(['recordReportState', 'openAccession']);
    expect(wrapped.recordReportState.name).toBe('recordReportState');
  });

  it('does not heartbeat in a local activity, whose liveness is its workflow task', async () => {
    const { env, beats } = environment({ isLocal: true });
    const work = deferred<void>();
    const running = env.run(keptAlive({ openReport: () => work.promise }).openReport);
    await vi.advanceTimersByTimeAsync(KEEP_ALIVE_MS * 3);
    work.resolve();
    await running;
    expect(beats).toEqual([]);
  });

  it('repeats the details last named, so a retry resumes where the attempt got to', async () => {
    const { env, beats } = environment();
    const firstSlice = deferred<void>();
    const secondSlice = deferred<void>();
    const running = env.run(async () => {
      const alive = keepAlive();
      try {
        alive.working({ after: 250 });
        await firstSlice.promise;
        alive.working({ after: 500 });
        await secondSlice.promise;
      } finally {
        alive.stop();
      }
    });
    await vi.advanceTimersByTimeAsync(KEEP_ALIVE_MS + 100);
    firstSlice.resolve();
    await vi.advanceTimersByTimeAsync(KEEP_ALIVE_MS);
    secondSlice.resolve();
    await running;
    expect(beats).toEqual([{ after: 250 }, { after: 500 }]);
  });

  it('does nothing outside a worker (the CLI runs some activities in-process)', async () => {
    const alive = keepAlive();
    await vi.advanceTimersByTimeAsync(KEEP_ALIVE_MS * 3);
    alive.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
