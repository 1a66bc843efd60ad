import { asyncLocalStorage } from '@temporalio/activity';

/**
 * How often an activity that is still running tells Temporal it is alive: well within the 5 s
 * heartbeat timeout its workflow gives it (workflows/activity-options.ts), with room for a busy
 * event loop's late timer.
 */
export const KEEP_ALIVE_MS = 2_000;

/** Tells Temporal, while an activity is slow, that it is alive; `working` names what is under way. */
export type KeepAlive = { working(details: unknown): void; stop(): void };

/**
 * Heartbeats every KEEP_ALIVE_MS while an activity runs, with the details last named. Why not a
 * long start-to-close timeout instead: the server notices a dead worker only when a timeout runs
 * out, and a heartbeat timeout of 5 s (it counts from the attempt's start too) lets another worker
 * retry within seconds, where a start-to-close timeout long enough for a slow attempt would keep
 * the work waiting for as long. Nearly every activity ends before the first beat and sends none:
 * each heartbeat is a write on the Temporal server (about 7 ms of its CPU on the dev server, a
 * fifth of a whole one-activity workflow). Outside a worker, and in a local activity (whose
 * liveness is its workflow task's), it does nothing.
 */
export function keepAlive(): KeepAlive {
  const context = asyncLocalStorage.getStore();
  let details: unknown;
  const timer = context && !context.info.isLocal ? setInterval(() => context.heartbeat(details), KEEP_ALIVE_MS) : undefined;
  return {
    working: (next) => {
      details = next;
    },
    stop: () => clearInterval(timer),
  };
}

type AnyActivity = (...args: never[]) => Promise<unknown>;

/**
 * The same activities, each kept alive while it runs (see keepAlive). For activities that do not
 * heartbeat themselves: one that reports its progress as heartbeat details would have them
 * overwritten.
 */
export function keptAlive<T extends Record<string, AnyActivity>>(activities: T): T {
  const wrapped: Record<string, AnyActivity> = {};
  for (const [name, activity] of Object.entries(activities)) {
    // A named function expression keeps the activity's own name in stack traces and profiles.
    wrapped[name] = {
      async [name](...args: never[]) {
        const alive = keepAlive();
        try {
          return await activity(...args);
        } finally {
          alive.stop();
        }
      },
    }[name]!;
  }
  return wrapped as T;
}
