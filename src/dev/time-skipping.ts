import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The SDK gives a starting time-skipping test server 5 s to answer (sdk-core's ephemeral server:
 * 50 tries 100 ms apart, not configurable), then kills it. A JVM starts in about a second on an
 * idle machine, but on a busy one (stories side by side, two test files, each with its own servers)
 * it can miss that five times in a row when every attempt follows at once. So a start that timed
 * out is tried again after a pause that grows and is spread at random, so that servers started
 * together do not start again together, for up to about a minute and a half.
 */
export async function startingAgainOnTimeout<T>(start: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || !/did not start within/.test(error instanceof Error ? error.message : String(error))) throw error;
      await sleep(attempt * 1_000 + Math.random() * 2_000);
    }
  }
}
