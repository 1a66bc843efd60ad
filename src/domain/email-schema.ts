import { z } from 'zod';

/**
 * `z.email()` with a pattern of its own (the same one). Workflow code shares one zod per worker
 * thread, which the Temporal SDK freezes (workflows/preload.ts); zod resets a pattern's `lastIndex`
 * before each test, which throws on its own frozen default pattern. A fresh copy per schema is the
 * schema's own, unfrozen object. Workflow and domain code use this instead of `z.email` (lint).
 */
export function emailSchema(params: string | Omit<z.core.$ZodEmailParams, 'pattern'> = {}): z.ZodEmail {
  const { source, flags } = z.regexes.email;
  // eslint-disable-next-line no-restricted-properties -- the one place that builds it, with its own pattern
  return z.email({ ...(typeof params === 'string' ? { error: params } : params), pattern: new RegExp(source, flags) });
}
