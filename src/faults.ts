import { z } from 'zod';

/**
 * Named points where a test or the fault-injection harness can make an activity fail on purpose,
 * e.g. right after the SMTP server accepted a mail, to prove a retry does not send it twice.
 */
export const faultPoints = ['notice.afterSmtpAccepted', 'report.beforeStateRecorded', 'cycle.afterOpeningSlice', 'compilation.afterVolumePlaced'] as const;
export type FaultPoint = (typeof faultPoints)[number];

export type FaultInjector = {
  /** Throws (or rejects) to simulate a crash at `point`; `key` identifies the unit of work. */
  at(point: FaultPoint, key: string): void | Promise<void>;
};

export const noFaults: FaultInjector = { at: () => undefined };

/** Fails the first time each listed point is reached for a given key, then lets it pass. */
export function failOnceAt(...points: FaultPoint[]): FaultInjector & { triggered: string[] } {
  const triggered: string[] = [];
  return {
    triggered,
    at(point, key) {
      const id = `${point}:${key}`;
      if (points.includes(point) && !triggered.includes(id)) {
        triggered.push(id);
        throw new Error(`injected fault at ${point} (${key})`);
      }
    },
  };
}

/**
 * FAULT_INJECTION=<point>:kill (fault drills only): the worker process SIGKILLs itself the first
 * time it reaches the point, a crash no handler can soften, exactly where the drill wants it.
 */
export const faultInjectionSchema = z
  .string()
  .transform((text, ctx) => {
    const [point, action, ...rest] = text.split(':');
    if (!faultPoints.includes(point as FaultPoint) || action !== 'kill' || rest.length > 0) {
      ctx.addIssue({ code: 'custom', message: `must be <point>:kill with a point among ${faultPoints.join(', ')}, not "${text}"` });
      return z.NEVER;
    }
    return { point: point as FaultPoint, action: 'kill' as const };
  });
export type FaultInjection = z.output<typeof faultInjectionSchema>;

/** The worker's injector: none in production; with FAULT_INJECTION, a process that dies at its point. */
export function faultsFor(injection: FaultInjection | undefined): FaultInjector {
  if (injection === undefined) return noFaults;
  return {
    at(point) {
      // SIGKILL, not an exception: nothing after this line runs, not even a finally or an exit hook.
      if (point === injection.point) process.kill(process.pid, 'SIGKILL');
    },
  };
}
