/**
 * How long a request waits on Temporal. An Update waits until a worker takes it and a query until
 * a worker answers it: with no worker running, both would wait for ever, and the browser or a
 * proxy would give up first without an answer. Every Temporal call a request makes therefore
 * shares one deadline (HTTP_WORKFLOW_WAIT_SECONDS); past it the request gets a 503 that says the
 * change may still be made once a worker runs again, and how to repeat it safely (the same
 * Idempotency-Key joins the first attempt's Update: request-update-ids.ts).
 */
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';

/** Answers that never reach Temporal: served alike whether or not a client is there. */
const staticPaths = new Set(['/openapi.json', '/api/docs']);

/** Bounds every Temporal call of the request by the configured wait. */
export const boundWorkflowWait: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (staticPaths.has(c.req.path) || c.req.path.startsWith('/assets/')) return next();
  const { temporal, config } = c.get('deps');
  await temporal.withDeadline(Date.now() + config.web.workflowWaitMs, next);
};

/** gRPC status codes, as the client passes them on. */
const grpcStatus = { CANCELLED: 1, DEADLINE_EXCEEDED: 4 } as const;

/**
 * Whether `error` is a Temporal call that ran out of its deadline: gRPC DEADLINE_EXCEEDED, or
 * CANCELLED when the server, told the deadline, reset the stream before the client's own timer
 * fired (a race a loaded machine shows; the SDK's Update error treats the two alike). No call here
 * is cancelled for any other reason: nothing sets an abort signal.
 */
export function isWorkflowWaitOver(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const code = (error as { code?: unknown } | undefined)?.code ?? (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return code === grpcStatus.DEADLINE_EXCEEDED || code === grpcStatus.CANCELLED || (error instanceof Error && /deadline/i.test(error.message));
}

/** The API's 503 line, "field: reason" as every API error. */
export function workflowWaitOverLine(waitMs: number): string {
  return (
    `workflow: no worker answered within ${Math.round(waitMs / 1000)} s; the change may still be made once one runs again: ` +
    'check the state before repeating it, or repeat it with the same Idempotency-Key'
  );
}
