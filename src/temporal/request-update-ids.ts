/**
 * Updates named by the request that sends them. Temporal runs an Update with a given id once per
 * workflow run: a second request with the same id joins the first (or gets its outcome). An HTTP
 * request that carries an Idempotency-Key sends its Updates under ids derived from that key, so
 * repeating the request after it got no answer (no worker took the Update in time) joins the
 * Update the first attempt left with the server instead of sending a second one: the change is
 * made once, and the repeat gets its result.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { WorkflowClientInterceptor } from '@temporalio/client';

type UpdateIdScope = { seed: string; sent: number };

const scopes = new AsyncLocalStorage<UpdateIdScope>();

/** Runs `body` so the Updates it sends are named by `seed` (the request's principal and key), in the order sent. */
export function withRequestUpdateIds<T>(seed: string, body: () => Promise<T>): Promise<T> {
  return scopes.run({ seed, sent: 0 }, body);
}

/** Fills in the id of an Update sent inside withRequestUpdateIds; leaves every other Update alone. */
export const requestUpdateIdInterceptor: WorkflowClientInterceptor = {
  async startUpdate(input, next) {
    const scope = scopes.getStore();
    if (!scope || input.options.updateId !== undefined) return next(input);
    scope.sent += 1;
    const updateId = `request-${createHash('sha256')
      .update(`${scope.seed}\n${input.workflowExecution.workflowId}\n${input.updateName}\n${scope.sent}`)
      .digest('hex')
      .slice(0, 32)}`;
    return next({ ...input, options: { ...input.options, updateId } });
  },
};
