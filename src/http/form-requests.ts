/**
 * The pages' counterpart of the API's Idempotency-Key. A form that sends a workflow an Update
 * carries a hidden value drawn when its page was rendered; its POST sends the Updates under ids
 * derived from that value, who posts, where to and what (request-update-ids.ts). The browser's
 * "send again" after a 503 (no worker answered in time), or a second click, therefore joins the
 * Update the first post left with the server: the change is made once, and the repeat shows its
 * result. The same form sent with other content is another request, refused if it no longer fits.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import { withRequestUpdateIds } from '../temporal/request-update-ids';
import { principalScope, type AppEnv } from './context';

/** The hidden field's name; a form without it sends its Updates under fresh ids, as before. */
export const formRequestField = 'formRequest';

/** The hidden field, with a value of its own for each rendered form. */
export function formRequestInput() {
  return html`<input type="hidden" name="${formRequestField}" value="${randomUUID()}">`;
}

/** Names the Updates of a form POST that carries the field; every other request passes untouched. */
export const formRequestIds: MiddlewareHandler<AppEnv> = async (c, next) => {
  const principal = c.get('principal');
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (c.req.method !== 'POST' || principal === undefined || (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data')) return next();
  // Hono keeps the parsed form: the route's own parseBody reads the same one.
  const form = await c.req.formData();
  const request = form.get(formRequestField);
  if (typeof request !== 'string' || !/^[0-9a-f-]{36}$/.test(request)) return next();
  const content = createHash('sha256');
  for (const [name, value] of form) {
    if (name === formRequestField) continue;
    content.update(`${name}=`).update(typeof value === 'string' ? value : new Uint8Array(await value.arrayBuffer())).update('\n');
  }
  await withRequestUpdateIds(`${principalScope(principal)}\n${c.req.path}\n${request}\n${content.digest('hex')}`, next);
};
