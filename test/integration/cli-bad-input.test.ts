/**
 * Bad input to the real `partnerflow` command line: each problem is one line naming the file,
 * field or server and the reason, the exit code says it failed, and nothing is stored or started.
 * Runs against a real (embedded) PostgreSQL and the Temporal test server.
 */
import '../support/quiet-temporal';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { defaultReportingPolicyFor } from '../../src/domain/default-policy';
import { importPartnerFile, listPartners } from '../../src/db/queries/partners';
import { upsertCycle } from '../../src/db/queries/reporting';
import { testServerExecutable } from '../../src/temporal/binaries';
import { annualReportWorkflowId } from '../../src/temporal/workflow-ids';
import { runPartnerflow, type CliResult } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePorts } from '../support/ports';
import { startingAgainOnTimeout } from '../../src/dev/time-skipping';

let database: TestDatabase;
let temporal: TestWorkflowEnvironment;
let dir: string;
const cycleYear = 2026;

/** `partnerflow ...` against the test database and Temporal server (or `env` overrides); never throws. */
const partnerflow = (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
  runPartnerflow(args, {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'cli-bad-input',
    // The client records a refused Update as a warning on stderr by design; these tests read what a person is told.
    LOG_LEVEL: 'error',
    ...env,
  });

/** Refused with exactly one line on stderr and nothing on stdout. */
function expectOneLine(outcome: CliResult, line: string): void {
  expect(outcome.stderr).toBe(`${line}\n`);
  expect(outcome.stdout).toBe('');
  expect(outcome.code).toBe(1);
}

async function expectNoWorkflow(partner: number, year: number): Promise<void> {
  await expect(temporal.client.workflow.getHandle(annualReportWorkflowId(partner, year)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
}

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** `inner` wrapped in `levels` arrays. */
function nested(levels: number, inner: string): string {
  return `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;
}

const validReport = readFileSync('test/fixtures/reports/02-kreis-lippe.json');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'partnerflow-bad-input-'));
  database = await createTestDatabase();
  const demo = readFileSync('src/dev/demo-partners.json', 'utf8');
  const imported = await importPartnerFile(database.db, 'demo-partners.json', demo);
  expect('summary' in imported).toBe(true);
  // A prospect: known, but with no accession, so it reports nothing yet.
  const prospect = 'number,name,kind,mainContactName,mainContactEmail,mainContactLanguage,leadershipName,leadershipEmail\n'
    + '900,Stadt Probeland,district,Eva Probe,ikoe@probeland.example,de,Otto Probe,leitung@probeland.example\n';
  expect('summary' in (await importPartnerFile(database.db, 'prospect.csv', prospect))).toBe(true);
  const config = loadConfig({ DATABASE_URL: database.url });
  await upsertCycle(database.db, {
    year: cycleYear,
    periodStart: `${cycleYear}-01-01`,
    periodEnd: `${cycleYear}-12-31`,
    dueDate: `${cycleYear + 1}-03-31`,
    policy: defaultReportingPolicyFor({ timezone: config.timezone, sendingWindow: config.sendingWindow }),
    open: false,
  });
  const { binaries } = loadConfig({ PARTNERFLOW_CACHE: process.env.PARTNERFLOW_CACHE });
  temporal = await startingAgainOnTimeout(() => TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable(binaries.cacheDir) } }));
}, 180_000);

afterAll(async () => {
  await temporal?.teardown();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('files that are not valid UTF-8', () => {
  it('refuses a partner file, naming the byte, and imports nothing', async () => {
    const before = await listPartners(database.db);
    const good = readFileSync('test/fixtures/partners/good.csv');
    const at = good.indexOf('Kreis Musterland');
    const bad = Buffer.concat([good.subarray(0, at), Buffer.from([0xff]), good.subarray(at)]);
    const path = file('partners.csv', bad);
    expectOneLine(await partnerflow(['partners', 'import', path]), `${path}: is not valid UTF-8 (byte ${at})`);
    expect(await listPartners(database.db)).toEqual(before);
  }, 60_000);

  it('refuses a report file with a broken multi-byte sequence', async () => {
    // "ü" is C3 BC; C3 followed by a plain letter is invalid at the letter.
    const at = validReport.indexOf('"');
    const bad = Buffer.concat([validReport.subarray(0, at + 1), Buffer.from([0xc3, 0x41]), validReport.subarray(at + 1)]);
    const path = file('report.json', bad);
    expectOneLine(await partnerflow(['report', 'submit', '--partner', '2', '--year', String(cycleYear), '--file', path]), `${path}: is not valid UTF-8 (byte ${at + 2})`);
    await expectNoWorkflow(2, cycleYear);
  }, 60_000);
});

describe('deeply nested JSON', () => {
  it('refuses a report file nested deeper than the limit, and accepts the limit itself as JSON', async () => {
    const deep = file('deep-report.json', `{"fieldsOfAction": ${nested(64, '1')}}`);
    expectOneLine(await partnerflow(['report', 'submit', '--partner', '2', '--year', String(cycleYear), '--file', deep]), `${deep}: nested deeper than 64 levels`);
    // 64 levels is not too deep: the file is refused for its content instead.
    const limit = file('limit-report.json', `{"fieldsOfAction": ${nested(63, '1')}}`);
    const atLimit = await partnerflow(['report', 'submit', '--partner', '2', '--year', String(cycleYear), '--file', limit]);
    expect(atLimit.code).toBe(1);
    expect(atLimit.stderr).toContain(`${limit} is not a valid report:`);
  }, 60_000);

  it('refuses extreme nesting with the same line', async () => {
    const path = file('extreme.json', nested(200_000, ''));
    expectOneLine(await partnerflow(['report', 'submit', '--partner', '2', '--year', String(cycleYear), '--file', path]), `${path}: nested deeper than 64 levels`);
  }, 60_000);

  it('refuses a deeply nested partner file and imports nothing', async () => {
    const before = await listPartners(database.db);
    const path = file('deep-partners.json', `{"partners": ${nested(100, '{}')}}`);
    expectOneLine(await partnerflow(['partners', 'import', path]), `${path}: nested deeper than 64 levels`);
    expect(await listPartners(database.db)).toEqual(before);
  }, 60_000);
});

describe('report start for what does not exist', () => {
  it('refuses an unknown partner and starts nothing', async () => {
    expectOneLine(await partnerflow(['report', 'start', '--partner', '999', '--year', String(cycleYear)]), '--partner: no partner with number 999');
    await expectNoWorkflow(999, cycleYear);
  }, 60_000);

  it('refuses a partner that is not active and starts nothing', async () => {
    expectOneLine(await partnerflow(['report', 'start', '--partner', '900', '--year', String(cycleYear)]), '--partner: partner 900 is prospect, not active');
    await expectNoWorkflow(900, cycleYear);
  }, 60_000);

  it('refuses a year without a cycle and starts nothing', async () => {
    expectOneLine(
      await partnerflow(['report', 'start', '--partner', '3', '--year', '2099']),
      '--year: no reporting cycle for 2099; open it with `partnerflow report open`',
    );
    await expectNoWorkflow(3, 2099);
  }, 60_000);
});

describe('report submit without a workflow', () => {
  it('says which workflow is missing and how to start it', async () => {
    const path = file('good-report.json', validReport);
    expectOneLine(
      await partnerflow(['report', 'submit', '--partner', '4', '--year', String(cycleYear), '--file', path]),
      `--partner/--year: no annual report workflow ${annualReportWorkflowId(4, cycleYear)}; start it with \`partnerflow report start\``,
    );
  }, 60_000);
});

describe('report status for a year without a cycle', () => {
  it('refuses instead of listing everyone as not started', async () => {
    expectOneLine(await partnerflow(['report', 'status', '--year', '2099']), '--year: no reporting cycle for 2099');
    // The year that has a cycle still lists its partners.
    const known = await partnerflow(['report', 'status', '--year', String(cycleYear), '--json']);
    expect(known.code).toBe(0);
    expect((JSON.parse(known.stdout) as unknown[]).length).toBeGreaterThan(0);
  }, 60_000);
});

describe('servers that do not answer', () => {
  it('names PostgreSQL and what to start when the database is down', async () => {
    const [port] = await freePorts(1);
    const outcome = await partnerflow(['partners', 'list'], { DATABASE_URL: `postgres://partnerflow:secret@127.0.0.1:${port}/partnerflow` });
    expectOneLine(outcome, `PostgreSQL at 127.0.0.1:${port} is not reachable: start the stack with \`npm run dev\`, or set DATABASE_URL`);
    const migrate = await partnerflow(['migrate'], { DATABASE_URL: `postgres://partnerflow:secret@127.0.0.1:${port}/partnerflow` });
    expectOneLine(migrate, `PostgreSQL at 127.0.0.1:${port} is not reachable: start the stack with \`npm run dev\`, or set DATABASE_URL`);
  }, 60_000);

  it('names Temporal and what to start when its frontend is down', async () => {
    const [port] = await freePorts(1);
    const outcome = await partnerflow(['report', 'status', '--year', String(cycleYear)], { TEMPORAL_ADDRESS: `127.0.0.1:${port}` });
    expectOneLine(outcome, `Temporal at 127.0.0.1:${port} is not reachable: start the stack with \`npm run dev\`, or set TEMPORAL_ADDRESS`);
  }, 60_000);
});
