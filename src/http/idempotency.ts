/**
 * Idempotency keys on API mutations: the first request with a key runs and its response is stored;
 * a retry with the same key and body gets that response again instead of acting twice, a retry
 * with a different body is refused, and one arriving while the first still runs gets 409. A 5xx is
 * no answer and is not kept: the retry runs again, its Updates under the same ids as before.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { idempotentResponses } from '../db/schema';
import { withRequestUpdateIds } from '../temporal/request-update-ids';
import { principalScope, type AppEnv } from './context';

export const idempotencyHeader = 'Idempotency-Key';

export const idempotent: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = c.req.header(idempotencyHeader);
  const principal = c.get('principal');
  // Reads are safe to repeat anyway; only mutations keep their answer.
  if (key === undefined || principal === undefined || c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  if (!/^[\x21-\x7e]{8,200}$/.test(key)) {
    return c.json({ errors: [`${idempotencyHeader}: must be 8 to 200 visible ASCII characters`] }, 400);
  }
  const { db } = c.get('deps');
  const scope = principalScope(principal);
  const requestHash = createHash('sha256')
    .update(`${c.req.method} ${c.req.path}\n`)
    .update(await c.req.raw.clone().text())
    .digest('hex');
  const [claimed] = await db
    .insert(idempotentResponses)
    .values({ principal: scope, key, requestHash })
    .onConflictDoNothing()
    .returning({ id: idempotentResponses.id });
  if (!claimed) {
    const [earlier] = await db
      .select()
      .from(idempotentResponses)
      .where(and(eq(idempotentResponses.principal, scope), eq(idempotentResponses.key, key)));
    if (earlier?.requestHash !== requestHash) {
      return c.json({ errors: [`${idempotencyHeader}: was used before for a different request`] }, 422);
    }
    if (earlier.status === null) return c.json({ errors: [`${idempotencyHeader}: the first request with this key is still running`] }, 409);
    c.header('Idempotent-Replayed', 'true');
    return c.json(earlier.body as object, earlier.status as 200);
  }
  try {
    // Its Updates are named by the key, so a repeat after a 503 joins the Update the first attempt left.
    await withRequestUpdateIds(`${scope}\n${key}`, next);
  } catch (error) {
    await db.delete(idempotentResponses).where(eq(idempotentResponses.id, claimed.id));
    throw error;
  }
  if (c.res.status >= 500) {
    // A server fault is not an answer: the retry should run again.
    await db.delete(idempotentResponses).where(eq(idempotentResponses.id, claimed.id));
    return;
  }
  const body: unknown = await c.res.clone().json().catch(() => null);
  await db.update(idempotentResponses).set({ status: c.res.status, body }).where(eq(idempotentResponses.id, claimed.id));
};
