/**
 * The accession API (/api/v1): organisations with the stage of their accession, starting one,
 * the partner's declaration (draft, submission), staff's review, signatures, withdrawal and
 * rejection, and a partner's answer to a milestone request. Every change is a Temporal Update
 * whose validator decides, so bad input is a 422 with "field: reason" lines and changes nothing;
 * mutations take the Idempotency-Key header of the API they are registered on.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { findPartnerByNumber } from '../db/queries/partners';
import type { AccountRole } from '../db/schema';
import { accessionStartSchema, signatureParties } from '../domain/accession';
import {
  accessionPermissions,
  accessionStages,
  accessionStatus,
  accessionTimeline,
  answerMilestone,
  beginAccession,
  endAccession,
  lifecycleStatus,
  listOrganisationStages,
  recordSignature,
  reviewDeclaration,
  reviewOutcomes,
  saveDeclarationDraft,
  submitDeclaration,
  withdrawPartner,
  type Outcome,
} from './accession-service';
import { accountWith } from './auth';
import type { AppEnv, PartnerPrincipal } from './context';
import { idempotencyHeader } from './idempotency';

const Errors = z.object({ errors: z.array(z.string()) }).openapi('Errors');
const refusals = {
  401: { description: 'No session', content: { 'application/json': { schema: Errors } } },
  403: { description: 'The session may not do this', content: { 'application/json': { schema: Errors } } },
  404: { description: 'No such organisation', content: { 'application/json': { schema: Errors } } },
  409: { description: 'Not possible in the accession’s current state', content: { 'application/json': { schema: Errors } } },
  422: { description: 'Invalid input, one line per field', content: { 'application/json': { schema: Errors } } },
  503: { description: 'No worker answered in time (Retry-After); repeat with the same Idempotency-Key', content: { 'application/json': { schema: Errors } } },
} as const;
const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <S extends z.ZodType>(schema: S) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const idempotencyKey = z.object({ [idempotencyHeader]: z.string().optional().openapi({ description: 'Retrying with the same key returns the first response instead of acting twice' }) });
const bearer = [{ session: [] }];
const partnerParam = z.object({ partner: z.coerce.number().int().positive().openapi({ param: { name: 'partner', in: 'path' }, example: 30 }) });

const OrganisationStage = z
  .object({
    partnerNumber: z.number().int(),
    name: z.string(),
    stage: z.enum(accessionStages),
    organisationStatus: z.string(),
    accessionDate: z.string().nullable(),
    workflowId: z.string().nullable(),
    startedAt: z.string().nullable(),
  })
  .openapi('OrganisationStage');
const AccessionStatus = z
  .object({
    partnerNumber: z.number().int(),
    partnerName: z.string(),
    phase: z.string(),
    round: z.string(),
    dueAt: z.string(),
    escalationLevel: z.number().int(),
    versions: z.array(z.object({ version: z.number().int(), submittedAt: z.string(), submittedBy: z.string() }).passthrough()),
    signatures: z.array(z.object({ party: z.enum(signatureParties), signer: z.string(), role: z.string(), date: z.string() })),
  })
  .passthrough()
  .openapi('AccessionStatus');
const LifecycleStatus = z.object({ partnerNumber: z.number().int(), phase: z.string(), milestones: z.array(z.object({ id: z.string(), text: z.string(), status: z.string() }).passthrough()) }).passthrough().openapi('LifecycleStatus');

// Refusals are plain responses; typed handlers take them `as never` (a route's declared responses
// cannot name a Response built outside its handler).
function refuseAccount(c: Context<AppEnv>, roles: readonly AccountRole[]): Response | undefined {
  const principal = c.get('principal');
  if (principal?.kind !== 'account' || principal.secondFactorPending) return c.json({ errors: ['(session): log in first'] }, 401);
  if (!accountWith(principal, roles)) return c.json({ errors: ['(session): your role may not do this'] }, 403);
  return undefined;
}

/** The partner session, if its link is of `purpose` (a declaration link never signs, nor answers for another partner). */
function partnerWith(c: Context<AppEnv>, purposes: readonly string[]): PartnerPrincipal | Response {
  const principal = c.get('principal');
  if (principal?.kind !== 'partner') return c.json({ errors: ['(session): open your personal link first'] }, 401);
  if (!purposes.includes(principal.link.purpose)) return c.json({ errors: ['(session): your link is not for this'] }, 403);
  return principal;
}

const staffName = (c: Context<AppEnv>) => {
  const principal = c.get('principal');
  return principal?.kind === 'account' ? principal.account.name : 'unknown';
};

/** Staff routes name an organisation; one that does not exist is a 404 before any workflow is asked. */
async function organisationMissing(c: Context<AppEnv>, partner: number): Promise<Response | undefined> {
  return (await findPartnerByNumber(c.get('deps').db, partner)) ? undefined : c.json({ errors: [`partner: no organisation number ${partner}`] }, 404);
}

/** A staff change to one organisation: refused (401/403) before the organisation is looked up (404). */
async function refuseStaffOn(c: Context<AppEnv>, roles: readonly AccountRole[], partner: number): Promise<Response | undefined> {
  return refuseAccount(c, roles) ?? (await organisationMissing(c, partner));
}

/** A service's outcome as the API answers it: 200 with the value, else its status with "field: reason" lines. */
function answer<T>(c: Context<AppEnv>, result: Outcome<T>): Response {
  return result.ok ? c.json(result.value as never, 200) : c.json({ errors: result.errors }, result.status);
}

export function registerAccessionRoutes(api: OpenAPIHono<AppEnv>): void {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/accessions',
      tags: ['accession'],
      summary: 'Organisations with the stage of their accession',
      security: bearer,
      responses: { 200: json(z.array(OrganisationStage), 'Every organisation, by partner number'), 401: refusals[401], 403: refusals[403] },
    }),
    async (c) => {
      const refused = refuseAccount(c, accessionPermissions.view);
      if (refused) return refused as never;
      return c.json(await listOrganisationStages(c.get('deps').db), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/accessions',
      tags: ['accession'],
      summary: 'Register an organisation and start its accession: the main contact is invited to declare',
      security: bearer,
      request: { headers: idempotencyKey, ...body(accessionStartSchema) },
      responses: { 201: json(z.object({ workflowId: z.string() }), 'Started'), 401: refusals[401], 403: refusals[403], 409: refusals[409], 422: refusals[422], 503: refusals[503] },
    }),
    async (c) => {
      const refused = refuseAccount(c, accessionPermissions.start);
      if (refused) return refused as never;
      const deps = c.get('deps');
      const started = await beginAccession(deps.temporal, deps.db, deps.config.temporal.taskQueue, c.req.valid('json'));
      return started.ok ? c.json(started.value, 201) : c.json({ errors: started.errors }, started.status);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/accessions/{partner}',
      tags: ['accession'],
      summary: 'Where an organisation’s accession stands, with its timeline',
      security: bearer,
      request: { params: partnerParam },
      responses: { 200: json(z.object({ status: AccessionStatus, timeline: z.array(z.record(z.string(), z.unknown())) }), 'The accession'), 401: refusals[401], 403: refusals[403], 404: refusals[404], 409: refusals[409] },
    }),
    async (c) => {
      const { partner } = c.req.valid('param');
      const refused = await refuseStaffOn(c, accessionPermissions.view, partner);
      if (refused) return refused as never;
      const ref = { client: c.get('deps').temporal, partnerNumber: partner };
      const [status, timeline] = [await accessionStatus(ref), await accessionTimeline(ref)];
      if (!status.ok) return c.json({ errors: status.errors }, status.status === 422 ? 409 : status.status);
      return c.json({ status: status.value, timeline: timeline.ok ? (timeline.value as Record<string, unknown>[]) : [] }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/accessions/{partner}/review',
      tags: ['accession'],
      summary: 'Accept the submitted declaration (the agreement is made and sent) or request changes with comments',
      security: bearer,
      request: {
        params: partnerParam,
        headers: idempotencyKey,
        ...body(z.object({ outcome: z.enum(reviewOutcomes), comment: z.string().optional().openapi({ description: 'Required for request-changes: what to revise' }) }).openapi('Review')),
      },
      responses: { 200: json(AccessionStatus, 'The accession after the review'), 401: refusals[401], 403: refusals[403], 404: refusals[404], 409: refusals[409], 422: refusals[422], 503: refusals[503] },
    }),
    async (c) => {
      const { partner } = c.req.valid('param');
      const refused = await refuseStaffOn(c, accessionPermissions.review, partner);
      if (refused) return refused as never;
      const { outcome, comment } = c.req.valid('json');
      const result = await reviewDeclaration({ client: c.get('deps').temporal, partnerNumber: partner }, outcome, staffName(c), comment);
      // The workflow calls the comment of a change request "comments"; the API has one name for it.
      return result.ok ? c.json(result.value, 200) : c.json({ errors: result.errors.map((e) => e.replace(/^comments:/, 'comment:')) }, result.status);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/accessions/{partner}/signatures',
      tags: ['accession'],
      summary: 'Record a signature: the ministry’s (signatory role only), or the organisation’s when it came on paper',
      security: bearer,
      request: {
        params: partnerParam,
        headers: idempotencyKey,
        ...body(
          z
            .object({ party: z.enum(signatureParties), signer: z.string().optional(), role: z.string().optional(), date: z.string().optional().openapi({ description: 'YYYY-MM-DD; left out: today' }) })
            .openapi('Signature'),
        ),
      },
      responses: { 200: json(AccessionStatus, 'The accession after the signature'), 401: refusals[401], 403: refusals[403], 404: refusals[404], 409: refusals[409], 422: refusals[422], 503: refusals[503] },
    }),
    async (c) => {
      const args = c.req.valid('json');
      const { partner } = c.req.valid('param');
      const refused = await refuseStaffOn(c, args.party === 'ministry' ? accessionPermissions.recordMinistrySignature : accessionPermissions.recordPartnerSignature, partner);
      if (refused) return refused as never;
      const result = await recordSignature({ client: c.get('deps').temporal, partnerNumber: partner }, { ...args, by: staffName(c) });
      return answer(c, result) as never;
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/accessions/{partner}/end',
      tags: ['accession'],
      summary: 'End an accession: the organisation withdrew, or the ministry rejects it; with a reason',
      security: bearer,
      request: { params: partnerParam, headers: idempotencyKey, ...body(z.object({ outcome: z.enum(['withdrawn', 'rejected']), reason: z.string().optional() }).openapi('EndAccession')) },
      responses: { 200: json(AccessionStatus, 'The ended accession'), 401: refusals[401], 403: refusals[403], 404: refusals[404], 409: refusals[409], 422: refusals[422], 503: refusals[503] },
    }),
    async (c) => {
      const { partner } = c.req.valid('param');
      const refused = await refuseStaffOn(c, accessionPermissions.end, partner);
      if (refused) return refused as never;
      const result = await endAccession({ client: c.get('deps').temporal, partnerNumber: partner }, { ...c.req.valid('json'), by: staffName(c) });
      return answer(c, result) as never;
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/accessions/{partner}/partnership/withdrawal',
      tags: ['accession'],
      summary: 'An active partner leaves the network, with a reason: open reporting ends and staff are told',
      security: bearer,
      request: { params: partnerParam, headers: idempotencyKey, ...body(z.object({ reason: z.string().optional(), date: z.string().optional().openapi({ description: 'YYYY-MM-DD; left out: today' }) }).openapi('PartnerWithdrawal')) },
      responses: { 200: json(LifecycleStatus, 'The partnership after the withdrawal'), 401: refusals[401], 403: refusals[403], 404: refusals[404], 409: refusals[409], 422: refusals[422], 503: refusals[503] },
    }),
    async (c) => {
      const { partner } = c.req.valid('param');
      const refused = await refuseStaffOn(c, accessionPermissions.end, partner);
      if (refused) return refused as never;
      const result = await withdrawPartner({ client: c.get('deps').temporal, partnerNumber: partner }, { ...c.req.valid('json'), by: staffName(c) });
      return answer(c, result) as never;
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/partner/accession',
      tags: ['partner'],
      summary: 'The link’s organisation: where its accession stands',
      security: bearer,
      responses: { 200: json(AccessionStatus, 'The accession'), 401: refusals[401], 403: refusals[403], 409: refusals[409] },
    }),
    async (c) => {
      const partner = partnerWith(c, ['declaration', 'agreement']);
      if (partner instanceof Response) return partner as never;
      const status = await accessionStatus({ client: c.get('deps').temporal, partnerNumber: partner.link.partnerNumber });
      return status.ok ? c.json(status.value, 200) : c.json({ errors: status.errors }, 409);
    },
  );

  api.openapi(
    createRoute({
      method: 'put',
      path: '/partner/accession/declaration/draft',
      tags: ['partner'],
      summary: 'Save a draft of the declaration (unchecked, bounded in size)',
      security: bearer,
      request: { headers: idempotencyKey, ...body(z.object({ draft: z.record(z.string(), z.unknown()) }).openapi('DeclarationDraft')) },
      responses: { 200: json(z.object({ savedAt: z.string() }), 'Saved'), 401: refusals[401], 403: refusals[403], 409: refusals[409], 422: refusals[422], 503: refusals[503] },
    }),
    async (c) => {
      const partner = partnerWith(c, ['declaration']);
      if (partner instanceof Response) return partner as never;
      const result = await saveDeclarationDraft({ client: c.get('deps').temporal, partnerNumber: partner.link.partnerNumber }, c.req.valid('json').draft, `partner:${partner.link.partnerNumber}`);
      return answer(c, result) as never;
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/partner/accession/declaration',
      tags: ['partner'],
      summary: 'Submit the declaration: measures with their milestones (the workflow’s validator parses it)',
      security: bearer,
      request: {
        headers: idempotencyKey,
        ...body(
          z.record(z.string(), z.unknown()).openapi('Declaration', {
            description: 'title?, preamble?, targetYear?, groups?, measures[] (id, title, fieldOfAction, description, groupLabel?, responsibleUnit?, period?, milestones[] of { text, due: { year, month?, day?, part?, bound?, phase?, text? } }), closing?',
          }),
        ),
      },
      responses: { 201: json(z.object({ version: z.number().int(), submittedAt: z.string() }).openapi('DeclarationReceipt'), 'Received'), 401: refusals[401], 403: refusals[403], 409: refusals[409], 422: refusals[422], 503: refusals[503] },
    }),
    async (c) => {
      const partner = partnerWith(c, ['declaration']);
      if (partner instanceof Response) return partner as never;
      const result = await submitDeclaration({ client: c.get('deps').temporal, partnerNumber: partner.link.partnerNumber }, c.req.valid('json'), `partner:${partner.link.partnerNumber}`);
      return result.ok ? c.json(result.value, 201) : c.json({ errors: result.errors }, result.status);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/partner/accession/signature',
      tags: ['partner'],
      summary: 'Sign the agreement for the organisation (its leadership): name, function and an explicit confirmation',
      security: bearer,
      request: {
        headers: idempotencyKey,
        ...body(z.object({ signer: z.string().optional(), role: z.string().optional(), confirm: z.literal(true, { error: 'must be true: signing is confirmed explicitly' }) }).openapi('PartnerSignature')),
      },
      responses: { 200: json(AccessionStatus, 'The accession after the signature'), 401: refusals[401], 403: refusals[403], 409: refusals[409], 422: refusals[422], 503: refusals[503] },
    }),
    async (c) => {
      const partner = partnerWith(c, ['agreement']);
      if (partner instanceof Response) return partner as never;
      const { signer, role } = c.req.valid('json');
      const result = await recordSignature({ client: c.get('deps').temporal, partnerNumber: partner.link.partnerNumber }, { party: 'partner', signer, role });
      return answer(c, result) as never;
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/partner/milestones',
      tags: ['partner'],
      summary: 'The link’s partner: its declared milestones and their answers',
      security: bearer,
      responses: { 200: json(LifecycleStatus, 'The partnership'), 401: refusals[401], 403: refusals[403], 409: refusals[409] },
    }),
    async (c) => {
      const partner = partnerWith(c, ['milestone']);
      if (partner instanceof Response) return partner as never;
      const status = await lifecycleStatus({ client: c.get('deps').temporal, partnerNumber: partner.link.partnerNumber });
      return status.ok ? c.json(status.value, 200) : c.json({ errors: status.errors }, 409);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/partner/milestones/{milestoneId}/answer',
      tags: ['partner'],
      summary: 'Answer a milestone request: reached (on a date) or delayed (to a new date)',
      security: bearer,
      request: {
        params: z.object({ milestoneId: z.string().min(1).max(100).openapi({ param: { name: 'milestoneId', in: 'path' }, example: 'M1/1' }) }),
        headers: idempotencyKey,
        ...body(z.object({ outcome: z.enum(['reached', 'delayed']), date: z.string().optional(), newDate: z.string().optional(), newDueText: z.string().optional() }).openapi('MilestoneAnswer')),
      },
      responses: { 200: json(LifecycleStatus, 'The partnership after the answer'), 401: refusals[401], 403: refusals[403], 409: refusals[409], 422: refusals[422], 503: refusals[503] },
    }),
    async (c) => {
      const partner = partnerWith(c, ['milestone']);
      if (partner instanceof Response) return partner as never;
      const { milestoneId } = c.req.valid('param');
      if (partner.link.subject !== 'partner' && partner.link.subject !== milestoneId) return c.json({ errors: ['milestoneId: your link is for another milestone'] }, 403);
      const result = await answerMilestone({ client: c.get('deps').temporal, partnerNumber: partner.link.partnerNumber }, { milestoneId, ...c.req.valid('json') });
      return answer(c, result) as never;
    },
  );
}
