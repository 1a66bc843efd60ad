import type { MiddlewareHandler } from 'hono';
import { clientOf } from './auth';
import type { AppEnv } from './context';

/**
 * A fixed one-minute window per client and bucket, in memory: enough for one server process in
 * front of login and link endpoints; several processes would share a store instead.
 */
export function rateLimit(bucket: string, perMinute: (c: Parameters<MiddlewareHandler<AppEnv>>[0]) => number): MiddlewareHandler<AppEnv> {
  const windows = new Map<string, { start: number; count: number }>();
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const now = Date.now();
    const key = `${bucket}:${clientOf(c)}`;
    const window = windows.get(key);
    const current = window && now - window.start < 60_000 ? window : { start: now, count: 0 };
    current.count += 1;
    windows.set(key, current);
    if (windows.size > 10_000) for (const [k, w] of windows) if (now - w.start >= 60_000) windows.delete(k);
    if (current.count > perMinute(c)) {
      c.header('Retry-After', String(Math.ceil((current.start + 60_000 - now) / 1000)));
      return c.json({ errors: ['(request): too many attempts, try again in a minute'] }, 429);
    }
    return next();
  };
}
