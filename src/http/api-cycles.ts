/**
 * Cycles in the API: preview (dry run), open, status, compile, and the compiled versions' files
 * (every version kept). Staff read; caseworkers and admins open and compile.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { localDateSchema } from '../domain/local-date';
import { bearer, body, errorResponses, idempotencyKey, json, requireAccount, yearParam } from './api';
import { permissions } from './auth';
import type { AppEnv } from './context';
import { archiveNotReadyText, compileRequest, compiledFile, requestArchiveRetry, compiledVersions, cycleOpeningSchema, cycleProgressView, cycleStatus, openCycle, previewCycle, requestCycleCompile } from './cycle-operations';
import { idempotencyHeader } from './idempotency';

/** Who may do what with a cycle. */
export const cyclePermissions = { view: permissions.viewBoard, manage: permissions.decide } as const;

const Opening = cycleOpeningSchema.openapi('CycleOpening', { description: 'dueDate (YYYY-MM-DD); periodStart/periodEnd default to the calendar year; policy as `cycle open --policy` reads it' });
const Artefact = z.object({ format: z.string(), fileName: z.string(), bytes: z.number(), sha256: z.string() });
const Progress = z
  .object({
    year: z.number(),
    phase: z.enum(['opening', 'open']),
    sweep: z.object({ requestIds: z.array(z.string()), opened: z.number(), total: z.number(), done: z.boolean(), starts: z.record(z.string(), z.number()) }).optional(),
    doneRequests: z.array(z.string()),
    compileOn: z.string().optional(),
    compilations: z.array(z.object({ requestId: z.string(), trigger: z.string(), status: z.string(), version: z.number().optional(), archive: z.enum(['typesetting', 'ready', 'failed']).optional(), emailed: z.number().optional(), errors: z.array(z.string()).optional() })),
    joins: z.array(z.unknown()),
    generation: z.number(),
  })
  .openapi('CycleProgress');
const FormatState = z
  .object({ state: z.enum(['ready', 'pending', 'failed']), at: z.string().optional(), since: z.string().optional(), reason: z.string().optional() })
  .openapi('FormatState', { description: 'ready; pending (PDF and DOCX are typeset after the text formats) since; failed with the reason' });
const CompiledVersion = z
  .object({ year: z.number(), version: z.number(), asOf: z.string(), createdAt: z.string(), partners: z.number(), chapters: z.number(), missing: z.array(z.unknown()), artefacts: z.array(Artefact), formats: z.record(z.string(), FormatState) })
  .openapi('CompiledVersion');
const CompileRequest = z
  .object({ requestId: z.string(), status: z.enum(['queued', 'compiling', 'compiled', 'failed']), version: CompiledVersion.optional(), archive: FormatState.optional(), errors: z.array(z.string()).optional() })
  .openapi('CompileRequest');

export function mountCycleApi(api: OpenAPIHono<AppEnv>): void {
  api.openapi(
    createRoute({
      method: 'post',
      path: '/cycles/{year}/preview',
      tags: ['cycles'],
      summary: 'Dry run: the sends each due date would plan for the active partners; stores and starts nothing',
      security: bearer,
      request: { params: yearParam, ...body(Opening) },
      responses: { 200: json(z.object({ year: z.number(), dueDate: z.string(), timezone: z.string(), steps: z.number(), partners: z.number(), warnings: z.array(z.string()), groups: z.array(z.unknown()) }), 'The plan'), 401: errorResponses[401], 403: errorResponses[403], 422: errorResponses[422] },
    }),
    async (c) => {
      const guard = requireAccount(c, cyclePermissions.view);
      if (!guard.ok) return guard.response as never;
      return c.json(await previewCycle(c.get('deps'), { ...c.req.valid('json'), year: c.req.valid('param').year }), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/cycles/{year}/open',
      tags: ['cycles'],
      summary: 'Open the cycle: store it and have its workflow start every active partner’s report once, in batches (opening again starts nothing twice). Returns at once; follow GET /cycles/{year}/progress',
      security: bearer,
      request: { params: yearParam, headers: idempotencyKey, ...body(Opening) },
      responses: {
        202: json(z.object({ year: z.number(), dueDate: z.string(), partners: z.number(), workflowId: z.string(), requestId: z.string() }), 'Opening: the workflow starts the reports'),
        401: errorResponses[401],
        403: errorResponses[403],
        422: errorResponses[422],
      },
    }),
    async (c) => {
      const guard = requireAccount(c, cyclePermissions.manage);
      if (!guard.ok) return guard.response as never;
      const opened = await openCycle(c.get('deps'), { ...c.req.valid('json'), year: c.req.valid('param').year });
      c.header('location', `${c.req.path.replace(/\/open$/, '')}/progress`);
      return c.json(opened, 202);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/cycles/{year}/progress',
      tags: ['cycles'],
      summary: 'The cycle workflow’s progress: opened n of N partners, compilations queued and done, partners who joined during the cycle',
      security: bearer,
      request: { params: yearParam },
      responses: { 200: json(Progress, 'The progress'), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
    }),
    async (c) => {
      const guard = requireAccount(c, cyclePermissions.view);
      if (!guard.ok) return guard.response as never;
      const { year } = c.req.valid('param');
      const progress = await cycleProgressView(c.get('deps'), year);
      return progress ? c.json(progress, 200) : c.json({ errors: [`year: no cycle workflow for ${year}; open the cycle first`] }, 404);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/cycles/{year}/status',
      tags: ['cycles'],
      summary: 'Counts per phase and escalation level, and per partner the phase and last email',
      security: bearer,
      request: { params: yearParam },
      responses: { 200: json(z.object({ year: z.number(), dueDate: z.string(), status: z.string(), partners: z.number(), phases: z.record(z.string(), z.number()), escalationLevels: z.array(z.object({ level: z.number(), partners: z.number() })), rows: z.array(z.unknown()) }), 'The status'), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
    }),
    async (c) => {
      const guard = requireAccount(c, cyclePermissions.view);
      if (!guard.ok) return guard.response as never;
      const { year } = c.req.valid('param');
      const status = await cycleStatus(c.get('deps'), year);
      return status ? c.json(status, 200) : c.json({ errors: [`year: no reporting cycle for ${year}`] }, 404);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/cycles/{year}/compilations',
      tags: ['cycles'],
      summary: 'Ask for a new version of the year’s report from the accepted reports (earlier versions stay). Returns at once (202); the cycle workflow compiles, GET the Location for the outcome',
      security: bearer,
      request: { params: yearParam, headers: idempotencyKey, ...body(z.object({ asOf: localDateSchema.optional().openapi({ description: 'The "Stand" date; today when absent' }) })) },
      responses: { 202: json(CompileRequest, 'Queued'), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409], 422: errorResponses[422] },
    }),
    async (c) => {
      const guard = requireAccount(c, cyclePermissions.manage);
      if (!guard.ok) return guard.response as never;
      const { year } = c.req.valid('param');
      const key = c.req.header(idempotencyHeader);
      const result = await requestCycleCompile(c.get('deps'), { year, asOf: c.req.valid('json').asOf, ...(key ? { requestId: `api:${key}` } : {}) });
      if (!result.ok) return c.json({ errors: result.errors }, result.status);
      c.header('location', `${c.req.path}/requests/${encodeURIComponent(result.value.requestId)}`);
      return c.json(result.value, 202);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/cycles/{year}/compilations/requests/{requestId}',
      tags: ['cycles'],
      summary: 'Where a compile request stands: queued, compiling, compiled (with its version: its text formats are there; `archive` says whether its PDF and DOCX are pending, ready or failed) or failed (with the reasons)',
      security: bearer,
      request: { params: yearParam.extend({ requestId: z.string().min(1).max(200).openapi({ param: { name: 'requestId', in: 'path' } }) }) },
      responses: { 200: json(CompileRequest, 'The request'), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
    }),
    async (c) => {
      const guard = requireAccount(c, cyclePermissions.view);
      if (!guard.ok) return guard.response as never;
      const { year, requestId } = c.req.valid('param');
      const found = await compileRequest(c.get('deps'), year, requestId);
      return found ? c.json(found, 200) : c.json({ errors: [`requestId: no compile request ${requestId} for ${year}`] }, 404);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/cycles/{year}/compilations',
      tags: ['cycles'],
      summary: 'Every compiled version of the year, newest first, with its files',
      security: bearer,
      request: { params: yearParam },
      responses: { 200: json(z.array(CompiledVersion), 'The versions'), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
    }),
    async (c) => {
      const guard = requireAccount(c, cyclePermissions.view);
      if (!guard.ok) return guard.response as never;
      const { year } = c.req.valid('param');
      const versions = await compiledVersions(c.get('deps'), year);
      return versions ? c.json(versions, 200) : c.json({ errors: [`year: no reporting cycle for ${year}`] }, 404);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/cycles/{year}/compilations/{version}/typesetting',
      tags: ['cycles'],
      summary: 'Typeset a version’s PDF and DOCX again after they failed, then email staff with them. Returns at once (202); the version’s formats show how it goes',
      security: bearer,
      request: { params: yearParam.extend({ version: z.coerce.number().int().positive().openapi({ param: { name: 'version', in: 'path' } }) }) },
      responses: {
        202: json(z.object({ year: z.number(), version: z.number(), status: z.literal('queued') }), 'Queued'),
        401: errorResponses[401],
        403: errorResponses[403],
        404: errorResponses[404],
        409: errorResponses[409],
        422: errorResponses[422],
      },
    }),
    async (c) => {
      const guard = requireAccount(c, cyclePermissions.manage);
      if (!guard.ok) return guard.response as never;
      const { year, version } = c.req.valid('param');
      const result = await requestArchiveRetry(c.get('deps'), { year, version });
      if (!result.ok) return c.json({ errors: result.errors }, result.status);
      return c.json(result.value, 202);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/cycles/{year}/compilations/{version}/{file}',
      tags: ['cycles'],
      summary: 'Download one file of a compiled version',
      security: bearer,
      request: {
        params: yearParam.extend({
          version: z.coerce.number().int().positive().openapi({ param: { name: 'version', in: 'path' } }),
          file: z.string().min(1).max(200).openapi({ param: { name: 'file', in: 'path' }, example: 'jahresbericht-2027.pdf' }),
        }),
      },
      responses: { 200: { description: 'The file' }, 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: json(z.object({ errors: z.array(z.string()), state: FormatState }), 'A PDF or DOCX still being typeset (Retry-After), or whose typesetting failed (the reason)') },
    }),
    async (c) => {
      const guard = requireAccount(c, cyclePermissions.view);
      if (!guard.ok) return guard.response as never;
      const { year, version, file } = c.req.valid('param');
      const found = await compiledFile(c.get('deps'), year, version, file);
      if (!found) return c.json({ errors: ['file: no such file in this version'] }, 404);
      // Not yet (or not) there: 409 with why, and when pending a hint when to ask again.
      if (found.kind === 'archive-not-ready') {
        if (found.state.state === 'pending') c.header('retry-after', '60');
        return c.json({ errors: [`file: ${archiveNotReadyText(found)}`], state: found.state }, 409);
      }
      return c.body(found.body, 200, { 'content-type': found.contentType, 'content-length': String(found.bytes), 'content-disposition': `attachment; filename="${found.fileName}"` }) as never;
    },
  );
}
