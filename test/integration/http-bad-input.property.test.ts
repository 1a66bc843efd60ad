/**
 * HTTP bodies, in process through app.request() against a real database and the time-skipping
 * Temporal server: 10,000 generated invalid bodies to every route that takes one, logged in as
 * whoever may use it. The routes come from the app's own /openapi.json, so a route added later is
 * covered without writing its cases; hand-written cases add the limits a type alone does not say. Each is refused with a 4xx and "field: reason" lines, no row
 * of any table changes and no workflow is started, signalled, cancelled or terminated. A few
 * hundred decisions pass the route's own schema and go on to a real annual report workflow, whose
 * Update validators refuse them: none is accepted into its history. Classifications that pass the
 * schema reach a stored version and are refused for what it holds (no such field, a value of
 * another kind, what the partner stated, no such version).
 */
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerDataKeyStore } from '../../src/db/queries/partner-data-keys';
import { issuePartnerLink } from '../../src/email/partner-links';
import { createApp } from '../../src/http/app';
import { partnerflowDataConverter } from '../../src/temporal/data-converter';
import { noFaults } from '../../activities';
import { createPartnerflowWorker } from '../../src/temporal/worker';
import { workflowBundle } from '../support/reporting-world';
import { blank, expectFieldLines, notADay, notAnObject, notAString, runsPerBoundary } from '../support/invalid-inputs';
import { origin, createWebWorld, type WebWorld } from '../support/web-world';
import { bodyOperations, invalidBodies, type BodyOperation, type OpenApiDocument } from '../support/openapi-invalid-bodies';
import { reportVersions } from '../../src/db/schema';
import { fieldsOfAction } from '../../src/domain/fields-of-action';
import { measureStatuses, parseReportSubmission } from '../../src/domain/report';
import { openClassifications, type ClassificationKind } from '../../src/domain/report-classification';
import { figureCategories } from '../../src/domain/report-figure';
import { loadedStatus, readReportFixture } from '../support/workflow-story';

let world: WebWorld;
let app: ReturnType<typeof createApp>;
/** Calls that would start or change a workflow, as the app made them. */
const workflowChanges: string[] = [];
/** Update attempts that reached a workflow (its validator then answered). */
let updatesSent = 0;
const tokens = { staff: '', admin: '', partner: '' };
/** Partner 2's sessions from a personal link of each purpose but the report's (accession, milestones). */
const partnerSessions = { declaration: '', agreement: '', milestone: '' };
let reportWorkflowId = '';

const year = 2027;

beforeAll(async () => {
  world = await createWebWorld({ rateLimitPerMinute: 1_000_000 });
  await world.openCycle(year, '2027-03-31');
  tokens.staff = await world.sessionOf('caseworker');
  tokens.admin = await world.sessionOf('admin');
  const { token } = await world.issueLink({ year });
  const exchanged = await world.request('/api/v1/session/link', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  tokens.partner = ((await exchanged.json()) as { sessionToken: string }).sessionToken;
  const subjects = { declaration: 'accession', agreement: 'accession', milestone: 'M1/1' };
  for (const purpose of ['declaration', 'agreement', 'milestone'] as const) {
    const link = await issuePartnerLink(world.database.db, world.config, {
      organisationId: await world.organisationId(2),
      purpose,
      subject: subjects[purpose],
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const session = await world.request('/api/v1/session/link', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: link.url.split('/').at(-1) }) });
    partnerSessions[purpose] = ((await session.json()) as { sessionToken: string }).sessionToken;
    expect(partnerSessions[purpose], `a ${purpose} session`).toMatch(/\S/);
  }
  reportWorkflowId = (await world.startReport({ year })).workflowId;

  const counting: WorkflowClientInterceptor = {
    start: (input, next) => (workflowChanges.push(`start ${input.workflowType}`), next(input)),
    signalWithStart: (input, next) => (workflowChanges.push(`signalWithStart ${input.workflowType}`), next(input)),
    signal: (input, next) => (workflowChanges.push(`signal ${input.workflowExecution.workflowId}`), next(input)),
    terminate: (input, next) => (workflowChanges.push(`terminate ${input.workflowExecution.workflowId}`), next(input)),
    cancel: (input, next) => (workflowChanges.push(`cancel ${input.workflowExecution.workflowId}`), next(input)),
    startUpdate: (input, next) => ((updatesSent += 1), next(input)),
  };
  const temporal = new Client({
    connection: world.env.client.connection,
    namespace: world.env.namespace ?? 'default',
    dataConverter: partnerflowDataConverter({ payloadKeys: world.config.payloadKeys, partnerKeys: partnerDataKeyStore(world.database.db, world.config.payloadKeys) }),
    interceptors: { workflow: [counting] },
  });
  app = createApp({ db: world.database.db, config: world.config, temporal, rateLimitPerMinute: 1_000_000 });
});

afterAll(async () => {
  await world?.teardown();
});

/** Every table's rows, as one digest per table: any change to any row shows. */
async function tableDigests(): Promise<Record<string, string>> {
  const { db } = world.database;
  const tables = await db.execute<{ name: string }>(sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`);
  const digests: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await db.execute<{ digest: string }>(
      sql`select count(*) || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${sql.identifier(name)} t`,
    );
    digests[name] = row?.digest ?? '';
  }
  return digests;
}

type BadRequest = { method: string; path: string; token?: string; body: string; field?: string; operation?: string };

const asJson = (input: unknown) => JSON.stringify(input) ?? 'null';
/** A body that is no JSON at all. */
const garbage = fc.string({ maxLength: 30 }).filter((text) => {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
});

/** An object body whose `field` is replaced by each of `values` (or left out); the rest valid. */
function withBadField(valid: Record<string, unknown>, field: string, values: fc.Arbitrary<unknown>): fc.Arbitrary<{ body: string; field?: string }> {
  return fc.oneof(
    values.map((value) => ({ body: asJson({ ...valid, [field]: value }), field })),
    fc.constant(field in valid ? { body: asJson(Object.fromEntries(Object.entries(valid).filter(([key]) => key !== field))), field } : { body: asJson({ ...valid, [field]: 42 }), field }),
    notAnObject.map((value) => ({ body: asJson(value) })),
    garbage.map((body) => ({ body })),
  );
}

const routes: fc.Arbitrary<BadRequest> = fc.oneof(
  withBadField({ token: 'abc' }, 'token', fc.oneof(notAString, fc.constant(''), fc.constant('t'.repeat(201)))).map((r) => ({ ...r, method: 'POST', path: '/api/v1/session/link' })),
  fc
    .oneof(
      withBadField({ email: 'jana.becker@mkffi.example', password: 'x' }, 'email', fc.oneof(notAString, fc.constantFrom('', 'a@', 'x'.repeat(321)))),
      withBadField({ email: 'jana.becker@mkffi.example', password: 'x' }, 'password', fc.oneof(notAString, fc.constantFrom('', 'p'.repeat(1001)))),
    )
    .map((r) => ({ ...r, method: 'POST', path: '/api/v1/session/login' })),
  withBadField({ code: '123456' }, 'code', fc.oneof(notAString, fc.string({ maxLength: 8 }).filter((code) => !/^\d{6}$/.test(code))))
    .map((r) => ({ ...r, method: 'POST', path: '/api/v1/session/second-factor', token: tokens.admin })),
  withBadField(
    { fields: {} },
    'fields',
    fc.oneof(
      notAnObject,
      fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), notAString, { minKeys: 1, maxKeys: 3 }),
      fc.constant({ text: 'x'.repeat(20_001) }),
    ),
  ).map((r) => ({ ...r, method: 'PUT', path: `/api/v1/partner/reports/${year}/draft`, token: tokens.partner })),
  fc
    .oneof(
      fc.constantFrom('reportingPeriod', 'author', 'blocks', 'sections').chain((field) =>
        // Neither an object nor a list: wrong for each of these fields.
        fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 5 })).map((value) => ({
          body: asJson({ reportingPeriod: { stated: false }, author: { stated: false }, blocks: [], sections: [], [field]: value }),
          field,
        })),
      ),
      fc.constant({ body: asJson({ reportingPeriod: { stated: false }, author: { stated: false }, blocks: [], sections: [] }), field: 'sections' }),
      fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 1 })).map(([key, value]) => ({ body: asJson({ [`x_${key}`]: value }) })),
      notAnObject.map((value) => ({ body: asJson(value) })),
      garbage.map((body) => ({ body })),
    )
    .map((r) => ({ ...r, method: 'POST', path: `/api/v1/partner/reports/${year}/submission`, token: tokens.partner })),
  fc
    .tuple(fc.constantFrom('accept', 'revision', 'extension', 'waiver'), fc.constantFrom('comment', 'comments', 'dueDate', 'reason'), notAString)
    .map(([decision, field, value]) => ({ method: 'POST', path: `/api/v1/reports/${year}/2/decisions/${decision}`, token: tokens.staff, body: asJson({ [field]: value }), field })),
  withBadField({ expiresAt: '2030-01-01T00:00:00Z' }, 'expiresAt', fc.oneof(notAString, notADay, fc.constantFrom('2020-01-01T00:00:00Z', '2030-01-01', '2030-01-01T25:00:00Z')))
    .map((r) => ({ ...r, method: 'POST', path: `/api/v1/reports/${year}/2/links`, token: tokens.staff })),
  fc
    .tuple(fc.constantFrom('cancel', 'terminate'), withBadField({ reason: 'x' }, 'reason', fc.oneof(notAString, blank, fc.constant('r'.repeat(2_001)))))
    .map(([action, r]) => ({ ...r, method: 'POST', path: `/api/v1/workflows/${encodeURIComponent(reportWorkflowId)}/${action}`, token: tokens.admin })),
);

/**
 * Who may use an operation: nobody for the login routes; for the portal, the partner through a
 * link of the purpose the route takes; a caseworker for reports, an admin for the rest.
 */
function tokenFor(operation: BodyOperation): string | undefined {
  if (!operation.secured) return undefined;
  if (operation.path.startsWith('/api/v1/partner/accession/signature')) return partnerSessions.agreement;
  if (operation.path.startsWith('/api/v1/partner/accession/')) return partnerSessions.declaration;
  if (operation.path.startsWith('/api/v1/partner/milestones/')) return partnerSessions.milestone;
  if (operation.path.startsWith('/api/v1/partner/')) return tokens.partner;
  if (operation.path.startsWith('/api/v1/reports/')) return tokens.staff;
  return tokens.admin;
}

/** Path parameters filled with what exists in the world: partner 2, the open year, the running report. */
function pathsFor(operation: BodyOperation, existingEmail: number): fc.Arbitrary<string> {
  const values = operation.parameters.map(({ name, schema }): fc.Arbitrary<string> => {
    if (name === 'year') return fc.constant(String(year));
    if (name === 'partner') return fc.constant('2');
    if (name === 'id' && operation.path.startsWith('/api/v1/workflows/')) return fc.constant(reportWorkflowId);
    if (name === 'id' && operation.path.startsWith('/api/v1/emails/')) return fc.constant(String(existingEmail));
    if (schema?.enum) return fc.constantFrom(...schema.enum.map(String));
    if (schema?.example !== undefined) return fc.constant(String(schema.example));
    throw new Error(`${operation.method} ${operation.path}: no value for path parameter ${name}; say which exists in the world`);
  });
  return fc.tuple(...values).map((filled) =>
    operation.parameters.reduce((path, { name }, index) => path.replace(`{${name}}`, encodeURIComponent(filled[index] ?? '')), operation.path),
  );
}

/** Invalid bodies for every operation with a JSON body, as the app's OpenAPI document declares it. */
function documentedRoutes(operations: BodyOperation[], existingEmail: number): fc.Arbitrary<BadRequest> {
  return fc.oneof(
    ...operations.map((operation) =>
      fc.tuple(pathsFor(operation, existingEmail), invalidBodies(operation.schema)).map(([path, body]) => ({
        ...body,
        method: operation.method,
        path,
        token: tokenFor(operation),
        operation: `${operation.method} ${operation.path}`,
      })),
    ),
  );
}

async function send(request: BadRequest): Promise<{ status: number; errors: string[] }> {
  const headers = new Headers({ 'content-type': 'application/json', origin });
  if (request.token) headers.set('authorization', `Bearer ${request.token}`);
  const response = await app.request(`${origin}${request.path}`, { method: request.method, headers, body: request.body });
  const text = await response.text();
  let errors: string[] = [];
  try {
    errors = (JSON.parse(text) as { errors?: string[] }).errors ?? [];
  } catch {
    throw new Error(`${request.method} ${request.path} ${request.body.slice(0, 80)}: ${response.status} answered without JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, errors };
}

function expectRefused(request: BadRequest, outcome: { status: number; errors: string[] }): void {
  const what = `${request.method} ${request.path} ${request.body.slice(0, 120)} → ${outcome.status} ${outcome.errors.join(' | ')}`;
  expect(outcome.status, what).toBeGreaterThanOrEqual(400);
  expect(outcome.status, what).toBeLessThan(500);
  expectFieldLines(outcome.errors, request.field);
}

describe(`HTTP bodies: ${runsPerBoundary} invalid ones`, () => {
  const throughWorkflow = 300;

  it('refuses each with a 4xx and field lines; no row changes, no workflow starts', async () => {
    const document = (await (await app.request(`${origin}/openapi.json`)).json()) as OpenApiDocument;
    const operations = bodyOperations(document);
    // The walk must find the routes of every module, or it would pass by testing nothing.
    for (const known of ['POST /api/v1/session/login', 'POST /api/v1/accessions', 'POST /api/v1/cycles/{year}/open', 'POST /api/v1/emails/{id}/resend', 'POST /api/v1/partner/milestones/{milestoneId}/answer']) {
      expect(operations.map((operation) => `${operation.method} ${operation.path}`)).toContain(known);
    }
    // No email has been sent yet in this world (no worker runs here): then ledger id 1, refused for its body before it is looked up.
    const [email] = await world.database.db.execute<{ id: number }>(sql`select min(id)::int as id from email_ledger`);
    const sent = new Map<string, number>();
    const before = await tableDigests();
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 1, arbitrary: routes }, { weight: 3, arbitrary: documentedRoutes(operations, email?.id ?? 1) }), async (request) => {
        if (request.operation) sent.set(request.operation, (sent.get(request.operation) ?? 0) + 1);
        expectRefused(request, await send(request));
      }),
      { numRuns: runsPerBoundary - throughWorkflow },
    );
    expect(await tableDigests()).toEqual(before);
    expect(workflowChanges).toEqual([]);
    for (const operation of operations) expect(sent.get(`${operation.method} ${operation.path}`) ?? 0, `${operation.method} ${operation.path} got invalid bodies`).toBeGreaterThan(50);
  }, 300_000);

  it('refuses decisions that pass the route but not the workflow’s Update validator, and the workflow takes none', async () => {
    // A worker with a workflow cache (the world's replays every task from the start, too slow for hundreds of Updates).
    const worker = await createPartnerflowWorker({
      connection: world.env.nativeConnection,
      namespace: world.env.namespace ?? 'default',
      taskQueue: world.taskQueue,
      deps: { db: world.database.db, mailer: world.mailer, config: world.config, faults: noFaults },
      workflowBundle: await workflowBundle(),
    });
    const running = worker.run();
    try {
      // Its first task writes the report's row and audit entry; what follows must change nothing.
      await loadedStatus(world.env.client.workflow.getHandle(reportWorkflowId));
      await checkDecisionsThroughWorkflow();
    } finally {
      worker.shutdown();
      await running;
    }
  }, 300_000);

  it('refuses classifications that pass the route but not the stored version, and changes no row', async () => {
    // A submitted version of partner 2's report (its row was written by the workflow's first task
    // above), stored as the workflow stores one, with one field of action that the partner stated.
    const content = await readReportFixture('02-kreis-lippe.json');
    (content as { sections: { fieldOfAction: unknown }[] }).sections[0]!.fieldOfAction = 'FORTBILDUNG';
    const [report] = await world.database.db.execute<{ id: number }>(
      sql`select r.id from annual_reports r join organisations o on o.id = r.organisation_id join reporting_cycles c on c.id = r.cycle_id where o.number = 2 and c.year = ${year}`,
    );
    if (!report) throw new Error('partner 2 has no annual report row: the previous test must run first');
    await world.database.db.insert(reportVersions).values({ annualReportId: report.id, version: 1, reference: `JB-${year}-02-V1`, submittedAt: new Date(), content });
    const parsed = parseReportSubmission(content);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const open = openClassifications(parsed.report);
    const openPaths = new Set(open.map((c) => c.path));
    const allowed: Record<ClassificationKind, Set<string>> = { fieldOfAction: new Set(fieldsOfAction), status: new Set(measureStatuses), category: new Set(figureCategories) };
    const classification = fc.oneof(
      // A path that names no classification of this report, with a value that would fit one.
      fc
        .oneof(fc.string({ maxLength: 40 }), fc.constantFrom('reportingPeriod', 'author', 'sections[0].heading', 'sections[99].fieldOfAction', 'blocks[0].title', 'sections[0].blocks[0].status.assigned'))
        .filter((path) => !openPaths.has(path) && path !== 'sections[0].fieldOfAction')
        .map((path) => ({ reference: `JB-${year}-02-V1`, body: { path, value: 'laufend' }, field: 'path' })),
      // A classification the partner left open, with a value of no kind or another kind.
      fc
        .tuple(fc.constantFrom(...open), fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...fieldsOfAction, ...measureStatuses, ...figureCategories)))
        .filter(([target, value]) => !allowed[target.kind].has(value))
        .map(([target, value]) => ({ reference: `JB-${year}-02-V1`, body: { path: target.path, value }, field: 'value' })),
      // What the partner stated: neither overwritten nor withdrawn.
      fc.constantFrom('ZUGANG', null).map((value) => ({ reference: `JB-${year}-02-V1`, body: { path: 'sections[0].fieldOfAction', value }, field: 'path' })),
      // A version that does not exist.
      fc.constantFrom(`JB-${year}-02-V2`, `JB-${year - 1}-02-V1`, 'V1').map((reference) => ({ reference, body: { path: open[0]?.path, value: 'laufend' }, field: 'reference' })),
    );
    const before = await tableDigests();
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(classification, async ({ reference, body, field }) => {
        const request = { method: 'POST', path: `/api/v1/reports/${year}/2/versions/${encodeURIComponent(reference)}/classifications`, token: tokens.staff, body: asJson(body), field };
        const outcome = await send(request);
        statuses.add(outcome.status);
        expectRefused(request, outcome);
      }),
      { numRuns: 500 },
    );
    expect([...statuses].sort()).toEqual([404, 409, 422]);
    expect(await tableDigests()).toEqual(before);
    expect(workflowChanges).toEqual([]);
  });

  async function checkDecisionsThroughWorkflow(): Promise<void> {
    const before = await tableDigests();
    const updatesBefore = updatesSent;
    // Strings everywhere (the route's schema), but wrong for the decision: blank, too long, not a date, missing.
    const decisions = fc.oneof(
      fc.oneof(blank, fc.constant('c'.repeat(2_001))).map((comment) => ({ decision: 'accept', body: { comment }, field: 'comment' })),
      fc.oneof(blank.map((comments) => ({ comments })), fc.constant({})).map((body) => ({ decision: 'revision', body, field: 'comments' })),
      fc.oneof(
        notADay.map((dueDate) => ({ body: { dueDate, reason: 'Personalwechsel' }, field: 'dueDate' })),
        blank.map((reason) => ({ body: { dueDate: '2027-04-30', reason }, field: 'reason' })),
        fc.constant({ body: { reason: 'Personalwechsel' }, field: 'dueDate' }),
      ).map((r) => ({ decision: 'extension', ...r })),
      fc.oneof(blank.map((reason) => ({ reason })), fc.constant({})).map((body) => ({ decision: 'waiver', body, field: 'reason' })),
    );
    await fc.assert(
      fc.asyncProperty(decisions, async ({ decision, body, field }) => {
        const request = { method: 'POST', path: `/api/v1/reports/${year}/2/decisions/${decision}`, token: tokens.staff, body: asJson(body), field };
        const outcome = await send(request);
        expect(outcome.status, outcome.errors.join(' | ')).toBe(422);
        expectRefused(request, outcome);
      }),
      { numRuns: throughWorkflow },
    );
    expect(updatesSent - updatesBefore, 'each went to the workflow').toBe(throughWorkflow);
    const { events } = await world.env.client.workflow.getHandle(reportWorkflowId).fetchHistory();
    expect((events ?? []).filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes).length).toBe(0);
    expect(await tableDigests()).toEqual(before);
    expect(workflowChanges).toEqual([]);
  }
});
