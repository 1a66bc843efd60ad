/**
 * The render threads' pool (volume-pool.ts), on real threads: a thread that ends while it waits for
 * work (as one does that dies of an error between tasks) is not handed the next task, which a new
 * thread answers instead of nobody.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVolumePool } from '../../src/documents/render/volume-pool';

// The pool keeps its threads to itself: the test sees each one as the pool listens to it.
const threads: Worker[] = [];
const listen = Worker.prototype.on;
beforeAll(() => {
  Worker.prototype.on = function (this: Worker, event: string | symbol, listener: (...args: unknown[]) => void) {
    if (!threads.includes(this)) threads.push(this);
    return listen.call(this, event, listener);
  } as typeof Worker.prototype.on;
});
afterAll(() => {
  Worker.prototype.on = listen;
});

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms))]);

describe('the render threads', () => {
  it('give a task to a new thread when the waiting one has ended, instead of to the dead one', async () => {
    const pool = createVolumePool(1);
    try {
      pool.warm();
      expect(threads).toHaveLength(1);
      await threads[0]?.terminate();
      await new Promise((resolve) => setImmediate(resolve));
      // Before, the task went to the ended thread and its promise never settled (a compilation hung).
      expect(await within(pool.renderFragments([]), 30_000)).toEqual([]);
      expect(threads).toHaveLength(2);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
