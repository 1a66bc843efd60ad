/**
 * Organisations and their contacts in the API, read-only: the list with each one's stage, one
 * organisation, and its contacts (personal data: staff roles only, as the board).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { findPartnerByNumber, listPartners, type Partner } from '../db/queries/partners';
import { organisationStatuses } from '../domain/partner';
import { bearer, errorResponses, json, requireAccount } from './api';
import { permissions } from './auth';
import type { AppEnv } from './context';

const Organisation = z
  .object({
    number: z.number().int(),
    name: z.string(),
    kind: z.string(),
    stage: z.enum(organisationStatuses).openapi({ description: 'prospect → invited → accession_in_progress → active → left' }),
    accessionDate: z.string().nullable(),
    memberCities: z.array(z.string()),
  })
  .openapi('Organisation');
const Contact = z
  .object({
    role: z.string(),
    name: z.string(),
    email: z.string(),
    language: z.string(),
    /** Delivery to this address fails permanently since then (a bounce), or null. */
    emailFailingSince: z.string().nullable(),
  })
  .openapi('Contact');

function organisationView(partner: Partner): z.infer<typeof Organisation> {
  return { number: partner.number, name: partner.name, kind: partner.kind, stage: partner.status, accessionDate: partner.accessionDate, memberCities: partner.memberCities };
}

const numberParam = z.object({ number: z.coerce.number().int().positive().openapi({ param: { name: 'number', in: 'path' }, example: 2 }) });

export function mountOrganisationApi(api: OpenAPIHono<AppEnv>): void {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/organisations',
      tags: ['organisations'],
      summary: 'Every organisation with its stage, optionally only those at one stage',
      security: bearer,
      request: { query: z.object({ stage: z.enum(organisationStatuses).optional() }) },
      responses: { 200: json(z.array(Organisation), 'In partner-number order'), 401: errorResponses[401], 403: errorResponses[403], 422: errorResponses[422] },
    }),
    async (c) => {
      const guard = requireAccount(c, permissions.viewBoard);
      if (!guard.ok) return guard.response as never;
      const { stage } = c.req.valid('query');
      const partners = await listPartners(c.get('deps').db);
      return c.json(partners.filter((p) => stage === undefined || p.status === stage).map(organisationView), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/organisations/{number}',
      tags: ['organisations'],
      summary: 'One organisation and its stage',
      security: bearer,
      request: { params: numberParam },
      responses: { 200: json(Organisation, 'The organisation'), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 422: errorResponses[422] },
    }),
    async (c) => {
      const guard = requireAccount(c, permissions.viewBoard);
      if (!guard.ok) return guard.response as never;
      const partner = await findPartnerByNumber(c.get('deps').db, c.req.valid('param').number);
      return partner ? c.json(organisationView(partner), 200) : c.json({ errors: [`number: no organisation with number ${c.req.valid('param').number}`] }, 404);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/organisations/{number}/contacts',
      tags: ['organisations'],
      summary: 'The organisation’s contacts (main contact, leadership/signatory) and whether mail to them bounces',
      security: bearer,
      request: { params: numberParam },
      responses: { 200: json(z.array(Contact), 'The contacts'), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 422: errorResponses[422] },
    }),
    async (c) => {
      const guard = requireAccount(c, permissions.viewBoard);
      if (!guard.ok) return guard.response as never;
      const partner = await findPartnerByNumber(c.get('deps').db, c.req.valid('param').number);
      if (!partner) return c.json({ errors: [`number: no organisation with number ${c.req.valid('param').number}`] }, 404);
      return c.json(
        partner.contacts.map((contact) => ({
          role: contact.role,
          name: contact.name,
          email: contact.email,
          language: contact.language,
          emailFailingSince: contact.emailFailingSince?.toISOString() ?? null,
        })),
        200,
      );
    },
  );
}
