import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosWorld } from '../world';

/**
 * What docker-compose's `restart: unless-stopped` does for the worker: a worker process that exits
 * (say it gave up on an unreachable server) is started again a second later. Returns a stop
 * function that resolves to how many restarts it made.
 */
export function superviseWorkers(world: ChaosWorld, count: number): () => Promise<number> {
  let running = true;
  let restarts = 0;
  const loop = (async () => {
    while (running) {
      await sleep(1_000);
      for (let live = world.liveWorkers().length; running && live < count; live += 1) {
        await world.startWorker();
        restarts += 1;
      }
    }
  })();
  return async () => {
    running = false;
    await loop;
    return restarts;
  };
}
