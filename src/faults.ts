/**
 * Named points where a test or the fault-injection harness can make an activity fail on purpose,
 * e.g. right after the SMTP server accepted a mail, to prove a retry does not send it twice.
 */
export type FaultPoint = 'notice.afterSmtpAccepted';

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
