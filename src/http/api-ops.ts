/**
 * Admin operations in the API beyond the workflow list: a workflow's emails with their delivery
 * outcome, and resending one with a reason (through the workflow's Update; audited). Retrying a
 * failed workflow is the `retry` action of POST /workflows/{id}/{action}.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { emailsOfWorkflow } from '../db/queries/email-deliveries';
import { deliveryOutcomes } from '../domain/delivery-outcome';
import { actorOf, bearer, body, errorResponses, idempotencyKey, json, requireAccount } from './api';
import { permissions } from './auth';
import type { AppEnv } from './context';
import { resendEmail } from './email-resend';

export const EmailDeliverySchema = z
  .object({
    ledgerId: z.number().int(),
    idempotencyKey: z.string(),
    template: z.string(),
    recipientRole: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().optional(),
    outcome: z.enum(deliveryOutcomes).openapi({ description: 'sent; possible-duplicate (sent after an attempt of unknown outcome); failed; on-hold (deferred, retried); address-held (not sent: the address is on hold until staff clear or change it); pending' }),
    status: z.string().openapi({ description: 'The ledger row’s own state' }),
    attempts: z.number().int(),
    error: z.string().optional(),
  })
  .openapi('EmailDelivery');

export function mountOpsApi(api: OpenAPIHono<AppEnv>): void {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/workflows/{id}/emails',
      tags: ['admin'],
      summary: 'The emails a workflow sent or meant to send, with their delivery outcome (from the ledger)',
      security: bearer,
      request: { params: z.object({ id: z.string().min(1).max(300).openapi({ param: { name: 'id', in: 'path' }, example: 'annual-report%2F2%2F2027' }) }) },
      responses: { 200: json(z.array(EmailDeliverySchema), 'Oldest first'), 401: errorResponses[401], 403: errorResponses[403] },
    }),
    async (c) => {
      const guard = requireAccount(c, permissions.admin);
      if (!guard.ok) return guard.response as never;
      return c.json(await emailsOfWorkflow(c.get('deps').db, c.req.valid('param').id), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/emails/{id}/resend',
      tags: ['admin'],
      summary: 'Send an email of any workflow again, with a reason (audited): a new ledger row under a key of its own, sent by the workflow (or, once it has ended, by a resend workflow)',
      security: bearer,
      request: {
        params: z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' }, description: 'The ledger id (EmailDelivery.ledgerId)' }) }),
        headers: idempotencyKey,
        ...body(z.object({ reason: z.string().trim().min(1, 'must not be empty').max(2000) })),
      },
      responses: {
        202: json(
          z.object({
            ledgerId: z.number(),
            workflowId: z.string(),
            keyPrefix: z.string(),
            attempt: z.number().int(),
            via: z.enum(['update', 'resend-workflow']).openapi({ description: 'update: the running workflow sends it; resend-workflow: the workflow had ended, a resend workflow sends the notice read back from its history' }),
            updateId: z.string().optional(),
            resendWorkflowId: z.string().optional(),
          }),
          'The resend is queued; its outcome lands in the ledger under keyPrefix',
        ),
        401: errorResponses[401],
        403: errorResponses[403],
        404: errorResponses[404],
        409: errorResponses[409],
        422: errorResponses[422],
      },
    }),
    async (c) => {
      const guard = requireAccount(c, permissions.admin);
      if (!guard.ok) return guard.response as never;
      const result = await resendEmail(c.get('deps'), c.req.valid('param').id, c.req.valid('json').reason, actorOf(c.get('principal')));
      return result.ok ? c.json(result.value, 202) : c.json({ errors: result.errors }, result.status);
    },
  );
}
