import { it, vi } from 'vitest';
import { createReportingWorld, type ReportingWorld } from './reporting-world';

/**
 * `it` for a file of independent stories that run `concurrency` at once, each on its own world
 * (test server, database, mail catcher), made before the story by `prepare` and torn down after it
 * (which checks its histories for personal data). Stories wait on their server and worker more than
 * they compute, so a few at once finish sooner; more would only queue on the CPU. Each story gets
 * the time of several, should the machine be busy.
 */
export function concurrentStories(options: { concurrency: number; prepare?: (world: ReportingWorld) => Promise<unknown> }) {
  // STORIES_AT_ONCE=1 runs every such file one story after the other, as before (a slower machine).
  const atOnce = Number(process.env.STORIES_AT_ONCE) || options.concurrency;
  vi.setConfig({ maxConcurrency: atOnce, testTimeout: 180_000 });
  return it.extend<{ world: ReportingWorld }>({
    world: async ({}, use) => {
      const world = await createStoryWorld();
      try {
        await options.prepare?.(world);
        await use(world);
      } finally {
        await world.teardown();
      }
    },
  });
}

let starting: Promise<unknown> = Promise.resolve();

/**
 * createReportingWorld, one at a time within a file: the SDK gives a starting test server 5 s to
 * answer, and JVMs started side by side on a busy machine miss that. Only the start-ups queue.
 */
export function createStoryWorld(options?: Parameters<typeof createReportingWorld>[0]): Promise<ReportingWorld> {
  const next = starting.then(
    () => createReportingWorld(options),
    () => createReportingWorld(options),
  );
  starting = next.catch(() => undefined);
  return next;
}
