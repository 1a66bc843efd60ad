/**
 * The HTTP API (/api/v1): every route declared with its zod schemas, which validate the request
 * and generate /openapi.json. Bad input is a 4xx with "field: reason" lines; mutations take an
 * Idempotency-Key header; staff decisions reach the workflow as Updates whose validators decide.
 */
import { createRoute, OpenAPIHono, z, type Hook } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { recordAudit } from '../db/queries/audit';
import { saveDraft } from '../db/queries/drafts';
import { openingFields } from '../web/report-skeleton-form';
import { findPartnerLinkById, revokePartnerLink } from '../db/queries/partner-links';
import { findPartnerByNumber } from '../db/queries/partners';
import { listBoard } from '../db/queries/email-deliveries';
import { EmailDeliverySchema, mountOpsApi } from './api-ops';
import { mountCycleApi } from './api-cycles';
import { mountOrganisationApi } from './api-organisations';
import { endSession } from '../db/queries/sessions';
import type { AccountRole } from '../db/schema';
import { formatIssues } from '../domain/issues';
import { parseReportSubmission, reportSubmissionSchema } from '../domain/report';
import { issuePartnerLink, linkPurposes } from '../email/partner-links';
import { accountWith, clientOf, exchangeLinkToken, login, permissions, verifySecondFactor } from './auth';
import { nowOf, type AppEnv, type Principal } from './context';
import { registerAccessionRoutes } from './api-accession';
import { idempotencyHeader, idempotent } from './idempotency';
import { rateLimit } from './rate-limit';
import { decide, decisions, reportStatus, reportTimeline, submitReport } from './reporting-service';
import { classifyVersion } from './classification-service';
import { listWorkflows, runWorkflowAction, workflowActions, workflowHistory } from './workflow-admin';

const submissionPath = '/partner/reports/{year}/submission';

const Errors = z.object({ errors: z.array(z.string()).openapi({ example: ['author.name: must not be blank'] }) }).openapi('Errors');
export const errorResponses = {
  400: { description: 'Malformed request', content: { 'application/json': { schema: Errors } } },
  401: { description: 'No session, or the second factor is missing', content: { 'application/json': { schema: Errors } } },
  403: { description: 'The session may not do this', content: { 'application/json': { schema: Errors } } },
  404: { description: 'No such thing', content: { 'application/json': { schema: Errors } } },
  409: { description: 'Not possible in the current state', content: { 'application/json': { schema: Errors } } },
  422: { description: 'Invalid input, one line per field', content: { 'application/json': { schema: Errors } } },
  503: { description: 'No worker answered in time (Retry-After); repeat with the same Idempotency-Key', content: { 'application/json': { schema: Errors } } },
} as const;
export const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });
export const body = <S extends z.ZodType>(schema: S) => ({ body: { required: true, content: { 'application/json': { schema } } } });
export const idempotencyKey = z.object({
  [idempotencyHeader]: z.string().optional().openapi({ description: 'Retrying with the same key returns the first response instead of acting twice' }),
});
export const bearer = [{ session: [] }];

/** zod's own failures as "field: reason" lines with 422 (400 for a body that is no JSON object). */
const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (result.success) return;
  return c.json({ errors: formatIssues(result.error) }, 422);
};

export const yearParam = z.object({ year: z.coerce.number().int().min(2000).max(2100).openapi({ param: { name: 'year', in: 'path' }, example: 2027 }) });
const reportParams = yearParam.extend({
  partner: z.coerce.number().int().positive().openapi({ param: { name: 'partner', in: 'path' }, example: 2 }),
});

const Receipt = z.object({ reference: z.string(), version: z.number().int(), submittedAt: z.string() }).openapi('Receipt');
const ReportStatus = z
  .object({
    partnerNumber: z.number().int(),
    partnerName: z.string(),
    year: z.number().int(),
    phase: z.string(),
    round: z.string(),
    dueAt: z.string(),
    escalationLevel: z.number().int(),
    versions: z.array(Receipt),
  })
  .passthrough()
  .openapi('ReportStatus');
const Session = z.object({ sessionToken: z.string(), expiresInHours: z.number(), secondFactorPending: z.boolean() }).openapi('Session');
const DraftFields = z.object({ fields: z.record(z.string(), z.string().max(20_000)) }).openapi('DraftFields', {
  description: 'Form fields by name, as the web form names them: the report’s paths with the form’s slots, e.g. "sections[0].blocks[1].figures[0].value"',
});

// Refusals are plain responses; the typed route handlers take them `as never`, since a route's
// declared responses cannot name a Response built outside its handler.
type Guard = { ok: true } | { ok: false; response: Response };

export function requireAccount(c: Context<AppEnv>, roles: readonly AccountRole[]): Guard {
  const principal = c.get('principal');
  if (principal?.kind !== 'account' || principal.secondFactorPending) return { ok: false, response: c.json({ errors: ['(session): log in first'] }, 401) };
  if (!accountWith(principal, roles)) return { ok: false, response: c.json({ errors: ['(session): your role may not do this'] }, 403) };
  return { ok: true };
}

/** The partner session, if its link is for the annual report of `year`. */
function partnerFor(c: Context<AppEnv>, year: number): Extract<Principal, { kind: 'partner' }> | Response {
  const principal = c.get('principal');
  if (principal?.kind !== 'partner') return c.json({ errors: ['(session): open your personal link first'] }, 401);
  if (principal.link.purpose !== 'annual-report' || principal.link.subject !== String(year)) {
    return c.json({ errors: ['year: your link is not for this report'] }, 403);
  }
  return principal;
}

export function actorOf(principal: Principal | undefined): string {
  if (principal?.kind === 'account') return principal.account.name;
  if (principal?.kind === 'partner') return `partner:${principal.link.partnerNumber}`;
  return 'anonymous';
}

export function createApi(): OpenAPIHono<AppEnv> {
  const api = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  api.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'http', scheme: 'bearer' });
  const limited = rateLimit('api-auth', (c) => c.get('deps').rateLimitPerMinute ?? 10);
  api.use('/session/*', limited);
  api.use('*', idempotent);

  api.openapi(
    createRoute({
      method: 'post',
      path: '/session/link',
      tags: ['session'],
      summary: 'Exchange a partner link token for a session',
      request: body(z.object({ token: z.string().min(1).max(200) })),
      responses: { 201: json(Session.extend({ partnerNumber: z.number(), purpose: z.string(), subject: z.string() }), 'A partner session'), 403: errorResponses[403], 404: errorResponses[404], 422: errorResponses[422] },
    }),
    async (c) => {
      const exchange = await exchangeLinkToken(c.get('deps'), c.req.valid('json').token, clientOf(c));
      if (!exchange.ok) return c.json({ errors: [`token: the link is ${exchange.reason === 'unknown' ? 'not known' : exchange.reason}`] }, exchange.reason === 'unknown' ? 404 : 403);
      return c.json(
        { sessionToken: exchange.token, expiresInHours: exchange.hours, secondFactorPending: false, partnerNumber: exchange.partnerNumber, purpose: exchange.purpose, subject: exchange.subject },
        201,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/session/login',
      tags: ['session'],
      summary: 'Log in with email and password (admins then give a TOTP code)',
      request: body(z.object({ email: z.string().min(3).max(320), password: z.string().min(1).max(1000) })),
      responses: { 201: json(Session, 'An account session'), 401: errorResponses[401], 422: errorResponses[422] },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const result = await login(c.get('deps'), email, password, clientOf(c));
      if (!result.ok) return c.json({ errors: ['email: or password is wrong'] }, 401);
      return c.json({ sessionToken: result.token, expiresInHours: result.hours, secondFactorPending: result.secondFactorPending }, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/session/second-factor',
      tags: ['session'],
      summary: 'Complete an admin login with a TOTP code',
      security: bearer,
      request: body(z.object({ code: z.string().regex(/^\d{6}$/, 'must be six digits') })),
      responses: { 200: json(z.object({ secondFactorPending: z.boolean() }), 'Logged in'), 401: errorResponses[401], 422: errorResponses[422] },
    }),
    async (c) => {
      const principal = c.get('principal');
      if (principal?.kind !== 'account') return c.json({ errors: ['(session): log in first'] }, 401);
      if (!(await verifySecondFactor(c.get('deps'), principal, c.req.valid('json').code))) return c.json({ errors: ['code: is wrong or has expired'] }, 422);
      return c.json({ secondFactorPending: false }, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'delete', path: '/session', tags: ['session'], summary: 'Log out', security: bearer, responses: { 204: { description: 'Ended' }, 401: errorResponses[401] } }),
    async (c) => {
      const principal = c.get('principal');
      if (!principal) return c.json({ errors: ['(session): there is none'] }, 401);
      await endSession(c.get('deps').db, principal.sessionId);
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/partner/reports/{year}',
      tags: ['partner'],
      summary: 'What is due and what was sent: the report status of the link’s partner',
      security: bearer,
      request: { params: yearParam },
      responses: { 200: json(ReportStatus, 'The report status'), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      const partner = partnerFor(c, year);
      if (partner instanceof Response) return partner as never;
      const status = await reportStatus(c.get('deps').temporal, { partnerNumber: partner.link.partnerNumber, year });
      return status.ok ? c.json(status.value, 200) : c.json({ errors: status.errors }, 404);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/partner/reports/{year}/timeline',
      tags: ['partner'],
      summary: 'Every notice sent and every event of the report',
      security: bearer,
      request: { params: yearParam },
      responses: { 200: json(z.array(z.object({ kind: z.string(), at: z.string() }).passthrough()), 'The timeline'), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      const partner = partnerFor(c, year);
      if (partner instanceof Response) return partner as never;
      const timeline = await reportTimeline(c.get('deps').temporal, { partnerNumber: partner.link.partnerNumber, year });
      return timeline.ok ? c.json(timeline.value, 200) : c.json({ errors: timeline.errors }, 404);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/partner/reports/{year}/draft',
      tags: ['partner'],
      summary: 'The form as it opens: the saved draft, or one started from the declared measures and milestone answers',
      security: bearer,
      request: { params: yearParam },
      responses: { 200: json(DraftFields, 'The fields (empty when nothing was saved or declared)'), 401: errorResponses[401], 403: errorResponses[403] },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      const partner = partnerFor(c, year);
      if (partner instanceof Response) return partner as never;
      // The same fields the portal's form opens with, so API clients and people start alike.
      return c.json({ fields: await openingFields(c.get('deps').db, partner.link.organisationId, year) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'put',
      path: '/partner/reports/{year}/draft',
      tags: ['partner'],
      summary: 'Save a draft (form fields as typed; nothing is checked yet)',
      security: bearer,
      request: { params: yearParam, ...body(DraftFields) },
      responses: { 200: json(DraftFields, 'Saved'), 401: errorResponses[401], 403: errorResponses[403], 422: errorResponses[422] },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      const partner = partnerFor(c, year);
      if (partner instanceof Response) return partner as never;
      const { fields } = c.req.valid('json');
      await saveDraft(c.get('deps').db, partner.link.organisationId, year, fields);
      return c.json({ fields }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: submissionPath,
      tags: ['partner'],
      summary: 'Submit the annual report (a new version each time)',
      security: bearer,
      // The body is parsed by the report's own parser below (its messages are the partner's);
      // the document refers to the ReportSubmission schema generated from the same zod schema.
      request: { params: yearParam, headers: idempotencyKey, ...body(z.record(z.string(), z.unknown())) },
      responses: { 201: json(Receipt, 'Received; the receipt carries the reference number'), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409], 422: errorResponses[422], 503: errorResponses[503] },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      const partner = partnerFor(c, year);
      if (partner instanceof Response) return partner as never;
      const parsed = parseReportSubmission(c.req.valid('json'));
      if (!parsed.ok) return c.json({ errors: parsed.errors }, 422);
      const result = await submitReport(c.get('deps').temporal, { partnerNumber: partner.link.partnerNumber, year }, c.req.valid('json'), `partner:${partner.link.partnerNumber}`);
      return result.ok ? c.json(result.value, 201) : c.json({ errors: result.errors }, result.status);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/reports/{year}',
      tags: ['staff'],
      summary: 'The board: every partner’s report phase for a year',
      security: bearer,
      request: { params: yearParam },
      responses: {
        200: json(z.array(z.object({ partner: z.number(), name: z.string(), phase: z.string(), dueAt: z.string().optional(), escalation: z.number(), versions: z.number(), workflowId: z.string().optional(), lastEmail: EmailDeliverySchema.optional() })), 'The board'),
        401: errorResponses[401],
        403: errorResponses[403],
      },
    }),
    async (c) => {
      const guard = requireAccount(c, permissions.viewBoard);
      if (!guard.ok) return guard.response as never;
      return c.json(await listBoard(c.get('deps').db, c.req.valid('param').year), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/reports/{year}/{partner}/decisions/{decision}',
      tags: ['staff'],
      summary: 'Accept, request a revision, extend or waive (a Temporal Update; its validator answers)',
      security: bearer,
      request: {
        params: reportParams.extend({ decision: z.enum(decisions).openapi({ param: { name: 'decision', in: 'path' } }) }),
        headers: idempotencyKey,
        ...body(
          z.object({ comment: z.string().optional(), comments: z.string().optional(), dueDate: z.string().optional(), reason: z.string().optional() }).openapi('DecisionArgs', {
            description: 'accept: comment?; revision: comments; extension: dueDate (YYYY-MM-DD), reason; waiver: reason. The decider is the logged-in person.',
          }),
        ),
      },
      responses: { 200: json(ReportStatus, 'The report after the decision'), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409], 422: errorResponses[422], 503: errorResponses[503] },
    }),
    async (c) => {
      const guard = requireAccount(c, permissions.decide);
      if (!guard.ok) return guard.response as never;
      const { year, partner, decision } = c.req.valid('param');
      const args = { ...c.req.valid('json'), by: actorOf(c.get('principal')) };
      const result = await decide(c.get('deps').temporal, { partnerNumber: partner, year }, decision, args);
      if (!result.ok) return c.json({ errors: result.errors }, result.status);
      return c.json(result.value, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/reports/{year}/{partner}/versions/{reference}/classifications',
      tags: ['staff'],
      summary: 'Classify what the partner left open in a submitted version (a field of action, a measure’s status, a figure’s category), marked as the ministry’s; or withdraw that classification',
      security: bearer,
      request: {
        params: reportParams.extend({ reference: z.string().openapi({ param: { name: 'reference', in: 'path' }, example: 'JB-2027-02-V1' }) }),
        ...body(
          z
            .object({
              path: z.string().openapi({ example: 'sections[0].blocks[1].fieldOfAction', description: 'Where in the report: a fieldOfAction, status or figures[i].category the partner did not state' }),
              value: z
                .string()
                .nullable()
                .openapi({ example: 'personalentwicklung', description: 'null withdraws the ministry’s classification: the field reads “not stated” again' }),
            })
            .openapi('Classification'),
        ),
      },
      responses: {
        200: json(
          z.object({
            path: z.string(),
            assigned: z.object({ value: z.string(), by: z.string(), at: z.string() }).nullable().openapi({ description: 'null once withdrawn' }),
            changed: z.boolean().openapi({ description: 'false when a withdrawal found nothing assigned' }),
          }),
          'The classification as stored',
        ),
        401: errorResponses[401],
        403: errorResponses[403],
        404: errorResponses[404],
        409: errorResponses[409],
        422: errorResponses[422],
      },
    }),
    async (c) => {
      const guard = requireAccount(c, permissions.decide);
      if (!guard.ok) return guard.response as never;
      const { year, partner, reference } = c.req.valid('param');
      const deps = c.get('deps');
      const result = await classifyVersion(
        { db: deps.db, timezone: deps.config.timezone, now: nowOf(deps) },
        { partnerNumber: partner, year, reference },
        { ...c.req.valid('json'), by: actorOf(c.get('principal')) },
      );
      if (!result.ok) return c.json({ errors: result.errors }, result.status);
      return c.json({ path: result.path, assigned: result.assigned, changed: result.changed }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/reports/{year}/{partner}/links',
      tags: ['staff'],
      summary: 'Issue a new personal link for a partner’s report (the old ones stay valid unless revoked)',
      security: bearer,
      request: { params: reportParams, headers: idempotencyKey, ...body(z.object({ expiresAt: z.iso.datetime({ offset: true }) })) },
      responses: { 201: json(z.object({ url: z.string(), tokenId: z.number() }), 'The link, shown once'), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 422: errorResponses[422] },
    }),
    async (c) => {
      const guard = requireAccount(c, permissions.manageLinks);
      if (!guard.ok) return guard.response as never;
      const { year, partner } = c.req.valid('param');
      const expiresAt = new Date(c.req.valid('json').expiresAt);
      if (expiresAt.getTime() <= nowOf(c.get('deps')).getTime()) return c.json({ errors: ['expiresAt: must be in the future'] }, 422);
      const found = await findPartnerByNumber(c.get('deps').db, partner);
      if (!found) return c.json({ errors: [`partner: no partner number ${partner}`] }, 404);
      const link = await issuePartnerLink(c.get('deps').db, c.get('deps').config, {
        organisationId: found.id,
        purpose: linkPurposes[0],
        subject: String(year),
        expiresAt,
        issuedBy: actorOf(c.get('principal')),
      });
      return c.json(link, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'delete',
      path: '/links/{id}',
      tags: ['staff'],
      summary: 'Revoke a personal link; sessions it opened end at once',
      security: bearer,
      request: { params: z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: { 204: { description: 'Revoked' }, 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
    }),
    async (c) => {
      const guard = requireAccount(c, permissions.manageLinks);
      if (!guard.ok) return guard.response as never;
      const { id } = c.req.valid('param');
      const deps = c.get('deps');
      const link = await findPartnerLinkById(deps.db, id);
      if (!link || !(await revokePartnerLink(deps.db, id, actorOf(c.get('principal'))))) return c.json({ errors: ['id: no such link, or revoked already'] }, 404);
      await recordAudit(deps.db, { occurredAt: nowOf(deps), actor: actorOf(c.get('principal')), entityType: 'partner_link', entityId: String(id), action: 'revoked' });
      return c.body(null, 204);
    },
  );

  const workflowFilters = z.object({
    type: z.string().max(100).optional(),
    partner: z.coerce.number().int().positive().optional(),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    phase: z.string().max(50).optional(),
    status: z.enum(['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'TimedOut', 'ContinuedAsNew']).optional(),
  });
  const WorkflowRow = z.object({ workflowId: z.string(), type: z.string(), status: z.string(), startTime: z.string(), temporalUiUrl: z.string() }).passthrough();

  api.openapi(
    createRoute({
      method: 'get',
      path: '/workflows',
      tags: ['admin'],
      summary: 'Workflows by search attributes',
      security: bearer,
      request: { query: workflowFilters },
      responses: { 200: json(z.array(WorkflowRow), 'Up to 200 workflows, newest first'), 401: errorResponses[401], 403: errorResponses[403], 422: errorResponses[422] },
    }),
    async (c) => {
      const guard = requireAccount(c, permissions.admin);
      if (!guard.ok) return guard.response as never;
      return c.json(await listWorkflows(c.get('deps'), c.req.valid('query')), 200);
    },
  );

  const workflowId = z.object({ id: z.string().min(1).max(300).openapi({ param: { name: 'id', in: 'path' }, example: 'annual-report%2F2%2F2027' }) });

  api.openapi(
    createRoute({
      method: 'get',
      path: '/workflows/{id}/history',
      tags: ['admin'],
      summary: 'A workflow’s event history as a timeline, its payloads decoded (an erased partner’s data as erased); each read is audited',
      security: bearer,
      request: { params: workflowId },
      responses: { 200: json(z.object({ workflowId: z.string(), temporalUiUrl: z.string(), events: z.array(z.object({ eventId: z.number(), time: z.string(), event: z.string(), details: z.string(), payloads: z.array(z.unknown()).openapi({ description: 'The event’s payloads, decoded: JSON values; {"erased": …} where the partner’s data was erased; {"undecodable": …} where no key opens it' }) })) }), 'The history'), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
    }),
    async (c) => {
      const guard = requireAccount(c, permissions.admin);
      if (!guard.ok) return guard.response as never;
      const history = await workflowHistory(c.get('deps'), c.req.valid('param').id, actorOf(c.get('principal')));
      return history ? c.json(history, 200) : c.json({ errors: ['id: no such workflow'] }, 404);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/workflows/{id}/{action}',
      tags: ['admin'],
      summary: 'Cancel or terminate a running workflow, or retry a failed one (Temporal reset), with a reason (audited)',
      security: bearer,
      request: {
        params: workflowId.extend({ action: z.enum(workflowActions).openapi({ param: { name: 'action', in: 'path' } }) }),
        headers: idempotencyKey,
        ...body(z.object({ reason: z.string().trim().min(1, 'must not be empty').max(2000) })),
      },
      responses: { 200: json(z.object({ workflowId: z.string(), action: z.string() }), 'Done'), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409], 422: errorResponses[422] },
    }),
    async (c) => {
      const guard = requireAccount(c, permissions.admin);
      if (!guard.ok) return guard.response as never;
      const { id, action } = c.req.valid('param');
      const result = await runWorkflowAction(c.get('deps'), id, action, c.req.valid('json').reason, actorOf(c.get('principal')));
      return result.ok ? c.json({ workflowId: id, action }, 200) : c.json({ errors: result.errors }, result.status);
    },
  );

  registerAccessionRoutes(api);
  mountOpsApi(api);
  mountCycleApi(api);
  mountOrganisationApi(api);
  return api;
}

/**
 * The OpenAPI document with the report's schema as a component: zod's own JSON Schema output
 * covers what the OpenAPI generator cannot (the depth limit of sections is a `never`).
 */
export function withReportSchema<D extends { paths?: object; components?: { schemas?: object } }>(document: D, apiPrefix: string): D {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(reportSubmissionSchema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });
  const submission = (document.paths as Record<string, unknown> | undefined)?.[`${apiPrefix}${submissionPath}`] as
    | { post?: { requestBody?: { content?: Record<string, { schema?: unknown }> } } }
    | undefined;
  const content = submission?.post?.requestBody?.content?.['application/json'];
  if (content) content.schema = { $ref: '#/components/schemas/ReportSubmission' };
  return { ...document, components: { ...document.components, schemas: { ...document.components?.schemas, ReportSubmission: schema } } };
}
