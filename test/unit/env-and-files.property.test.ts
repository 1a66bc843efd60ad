/**
 * The environment (src/config.ts) and the files the CLI reads (src/cli/files.ts, partner files,
 * report files, policy files): 10,000 generated invalid inputs each, every one refused without a
 * crash, with "field: reason" lines naming what is wrong. (The CLI end to end, storing nothing:
 * test/integration/cli-bad-input.test.ts.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig } from '../../src/config';
import { CliError } from '../../src/cli/output';
import { maxJsonDepth, parseJsonText, readPolicy, readText } from '../../src/cli/files';
import { defaultReportingPolicyInput } from '../../src/domain/default-policy';
import { parsePartnerFile } from '../../src/domain/partner-file';
import { blank, brokenObjects, expectFieldLines, notADay, notAString, runsPerBoundary, type FieldBreaker } from '../support/invalid-inputs';

const dir = mkdtempSync(join(tmpdir(), 'partnerflow-bad-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Something that is not a whole number in [min, max], as an environment variable would carry it. */
const outside = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ min: max + 1 }).map(String),
    fc.integer({ max: min - 1 }).map(String),
    fc.double({ min, max, noInteger: true, noNaN: true }).map(String),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
  );
const notStartingWith = (...prefixes: string[]) =>
  fc.string({ minLength: 1, maxLength: 30 }).filter((value) => value.trim() !== '' && !prefixes.some((prefix) => value.startsWith(prefix)));
const isZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};
const nonEmpty = (arbitrary: fc.Arbitrary<string>) => arbitrary.filter((value) => value !== '');

/** Every variable src/config.ts checks, with values it must refuse. */
const invalidValues: Record<string, fc.Arbitrary<string>> = {
  DATABASE_URL: notStartingWith('postgres:', 'postgresql:'),
  EMBEDDED_POSTGRES_PORT: outside(1024, 65535),
  TEMPORAL_ADDRESS: nonEmpty(fc.string({ maxLength: 20 }).filter((value) => !/^[^:\s]+:\d{1,5}$/.test(value))),
  SMTP_URL: notStartingWith('smtp:', 'smtps:'),
  MAIL_FROM: nonEmpty(fc.string({ maxLength: 20 }).filter((value) => !value.includes('@'))),
  PUBLIC_BASE_URL: notStartingWith('http:', 'https:'),
  DEFAULT_TIMEZONE: nonEmpty(fc.string({ maxLength: 16 }).filter((zone) => !isZone(zone))),
  SENDING_WINDOW_START: nonEmpty(fc.string({ maxLength: 6 }).filter((value) => !/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/.test(value))),
  SENDING_WINDOW_END: fc.constantFrom('24:01', '25:00', '7:00', '12:60', 'noon', '12.00'),
  LOG_LEVEL: nonEmpty(fc.string({ maxLength: 8 }).filter((value) => !['debug', 'info', 'warn', 'error'].includes(value))),
  LOG_FORMAT: nonEmpty(fc.string({ maxLength: 8 }).filter((value) => !['json', 'pretty'].includes(value))),
  METRICS_PORT: outside(1, 65535),
  PAYLOAD_KEYS: nonEmpty(fc.string({ maxLength: 30 })),
  CODEC_ADMIN_TOKEN: fc.string({ minLength: 1, maxLength: 23 }),
  CODEC_SERVER_PORT: outside(1, 65535),
  TEMPORAL_RETENTION_DAYS: outside(1, 3650),
  DATA_RETENTION_YEARS: outside(1, 100),
  MAIL_CATCHER_PORT: outside(1, 65535),
  MAIL_CATCHER_WEB_PORT: outside(1, 65535),
  TEMPORAL_UI_PORT: outside(1, 65535),
  // Names only: '..' or '/' would lead back to a folder that exists (and a folder is executable).
  TEMPORAL_CLI_PATH: fc.stringMatching(/^[a-z0-9_-]{1,12}$/).map((name) => join(dir, 'no-such-binary', name)),
  FAULT_INJECTION: nonEmpty(fc.string({ maxLength: 30 })).filter((value) => value !== 'notice.afterSmtpAccepted:kill'),
  WORKER_MAX_CACHED_WORKFLOWS: outside(2, 100_000),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: outside(2, 1_000),
  WORKER_WORKFLOW_TASK_POLLERS: outside(2, 500),
  WORKER_MAX_CONCURRENT_ACTIVITIES: outside(1, 10_000),
  WORKER_DEADLOCK_DETECTION: nonEmpty(fc.string({ maxLength: 10 })).filter((value) => value !== 'on' && value !== 'off'),
  WORKER_STACK_TRACES: nonEmpty(fc.string({ maxLength: 10 })).filter((value) => value !== 'on' && value !== 'off'),
  WORKER_WORKFLOW_HEAP_MB: outside(128, 65_536),
  WORKER_ROLE: nonEmpty(fc.string({ maxLength: 10 })).filter((value) => !['all', 'workflows', 'documents'].includes(value)),
  CYCLE_START_CONCURRENCY: outside(1, 1_000),
  HTTP_WORKFLOW_WAIT_SECONDS: outside(1, 300),
};

function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw new Error(`crashed instead of refusing: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  throw new Error(`accepted an invalid environment: ${JSON.stringify(env)}`);
}

describe(`the environment: ${runsPerBoundary} invalid ones`, () => {
  it('knows a bad value for every variable it checks', () => {
    const unchecked = ['PARTNERFLOW_DATA_DIR', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'PARTNERFLOW_CACHE', 'SMTP_USER', 'SMTP_PASSWORD'];
    expect(configVariables.filter((name) => !(name in invalidValues) && !unchecked.includes(name))).toEqual([]);
  });

  it('refuses one to four bad variables, naming each and only those', () => {
    const badEnvironment = fc
      .uniqueArray(fc.constantFrom(...Object.keys(invalidValues)), { minLength: 1, maxLength: 4 })
      .chain((names) => fc.tuple(...names.map((name) => (invalidValues[name] as fc.Arbitrary<string>).map((value) => [name, value] as const))));
    fc.assert(
      fc.property(badEnvironment, (pairs) => {
        const problems = configProblems(Object.fromEntries(pairs));
        expectFieldLines(problems);
        const named = new Set(problems.map((line) => line.slice(0, line.indexOf(':'))));
        expect([...named].sort()).toEqual(pairs.map(([name]) => name).sort());
      }),
      { numRuns: runsPerBoundary - 1_000 },
    );
  });

  it('refuses settings that are fine alone but not together', () => {
    const together = fc.oneof(
      fc.string({ minLength: 1, maxLength: 8 }).map((user) => [{ SMTP_USER: user }, 'SMTP_PASSWORD'] as const),
      fc.string({ minLength: 1, maxLength: 8 }).map((pass) => [{ SMTP_PASSWORD: pass }, 'SMTP_USER'] as const),
      fc
        .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 23 }))
        .map(([a, b]) => {
          const [start, end] = [Math.max(a, b), Math.min(a, b)].map((hour) => `${String(hour).padStart(2, '0')}:00`) as [string, string];
          return [{ SENDING_WINDOW_START: start, SENDING_WINDOW_END: end }, 'SENDING_WINDOW_END'] as const;
        }),
      fc.integer({ min: 3, max: 500 }).map((pollers) => [{ WORKER_WORKFLOW_TASK_POLLERS: String(pollers), WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: String(pollers - 1) }, 'WORKER_WORKFLOW_TASK_POLLERS'] as const),
      fc.integer({ min: 3, max: 1_000 }).map((tasks) => [{ WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: String(tasks), WORKER_MAX_CACHED_WORKFLOWS: String(tasks - 1), WORKER_WORKFLOW_TASK_POLLERS: '2' }, 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'] as const),
      fc.webUrl({ validSchemes: ['https'] }).filter((url) => !/\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(url)).map((url) => [{ PUBLIC_BASE_URL: url }, 'PAYLOAD_KEYS'] as const),
    );
    fc.assert(
      fc.property(together, ([env, named]) => {
        const problems = configProblems(env);
        expectFieldLines(problems, named);
      }),
      { numRuns: 1_000 },
    );
  });
});

/** What a CLI file reader throws, caught: the lines a person reads. */
async function cliRefusal(run: () => unknown): Promise<string[]> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CliError) return error.lines;
    throw new Error(`crashed instead of refusing: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  throw new Error('accepted an invalid file');
}

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe(`CLI files: ${runsPerBoundary} invalid ones`, () => {
  // Shares of the 10,000: a policy is the slowest to check (its steps are planned against many due dates).
  const share = { json: 3_000, utf8: 2_000, partnerJson: 3_000, partnerCsv: 1_000, policy: 1_000 };

  it('refuses text that is not JSON, or nests too deeply, in one line naming the file', async () => {
    const notJson = fc.string({ maxLength: 40 }).filter((text) => !isJson(text));
    const tooDeep = fc.tuple(fc.integer({ min: maxJsonDepth + 1, max: 20_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}'])).map(([depth, [open, close]]) => `${open.repeat(depth)}1${close.repeat(depth)}`);
    await fc.assert(
      fc.asyncProperty(fc.oneof(notJson, tooDeep), async (text) => {
        const lines = await cliRefusal(() => parseJsonText('report.json', text));
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^report\.json: (is not valid JSON \(.+\)|nested deeper than 64 levels)$/);
      }),
      { numRuns: share.json },
    );
  });

  it('refuses a file that is not UTF-8, naming the first bad byte', async () => {
    const file = join(dir, 'partners.csv');
    // Bytes no UTF-8 text holds, and which of them is the first a decoder cannot accept (a lead byte
    // may be fine until the next one: ED starts a surrogate only once A0 follows).
    const invalid = fc.constantFrom(
      { bytes: [0xff], at: 0 },
      { bytes: [0xfe], at: 0 },
      { bytes: [0x80], at: 0 },
      { bytes: [0xc0, 0x80], at: 0 },
      { bytes: [0xed, 0xa0, 0x80], at: 1 },
      { bytes: [0xf8, 0x88, 0x80, 0x80, 0x80], at: 0 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 30 }), invalid, fc.string({ maxLength: 10 }), async (before, bad, after) => {
        const prefix = Buffer.from(before, 'utf8');
        writeFileSync(file, Buffer.concat([prefix, Buffer.from(bad.bytes), Buffer.from(after, 'utf8')]));
        expect(await cliRefusal(() => readText(file))).toEqual([`${file}: is not valid UTF-8 (byte ${prefix.length + bad.at})`]);
      }),
      { numRuns: share.utf8 },
    );
  });

  it('refuses every bad row of a partner file (JSON or CSV), naming row and field, without throwing', () => {
    const valid = { number: 101, name: 'Kreis Musterland', kind: 'district', accessionDate: '2019-02-14', mainContactEmail: 'ikoe@kreis-musterland.example' };
    const breakers: FieldBreaker[] = [
      { field: 'number', value: fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true, noNaN: true }), fc.string({ maxLength: 5 }), fc.constant(null)) },
      { field: 'name', value: fc.oneof(notAString, blank) },
      { field: 'kind', value: fc.oneof(notAString, fc.string({ maxLength: 10 })) },
      { field: 'accessionDate', value: fc.oneof(notAString, notADay) },
      { field: 'mainContactEmail', value: fc.oneof(notAString, fc.string({ maxLength: 12 }).filter((s) => !s.includes('@'))) },
    ];
    const rows = fc.array(brokenObjects(valid, breakers, ['number', 'name', 'kind']), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(rows, (broken) => {
        const parsed = parsePartnerFile('partners.json', JSON.stringify(broken.map((row) => row.input)));
        expect('errors' in parsed).toBe(true);
        if ('errors' in parsed) expectFieldLines(parsed.errors);
      }),
      { numRuns: share.partnerJson },
    );
    // CSV: a row with a bad cell; every line names the line number and the field.
    const header = 'number,name,kind,accessionDate';
    const badCell = fc.oneof(
      fc.record({ field: fc.constant('number'), row: fc.stringMatching(/^-?[a-z0-9.]{0,5}$/).filter((v) => !(Number.isInteger(Number(v)) && Number(v) > 0)).map((v) => `${v},Kreis,district,2019-02-14`) }),
      fc.record({ field: fc.constant('kind'), row: fc.stringMatching(/^[a-z]{1,8}$/).filter((v) => !['district', 'city', 'municipality'].includes(v)).map((v) => `101,Kreis,${v},2019-02-14`) }),
      fc.record({ field: fc.constant('accessionDate'), row: fc.constantFrom('2019-02-30', '14.02.2019', '2019', 'x').map((v) => `101,Kreis,district,${v}`) }),
    );
    fc.assert(
      fc.property(badCell, ({ field, row }) => {
        const parsed = parsePartnerFile('partners.csv', `${header}\n${row}\n`);
        expect('errors' in parsed).toBe(true);
        if ('errors' in parsed) {
          expectFieldLines(parsed.errors);
          expect(parsed.errors.some((line) => line.startsWith('line 2') && line.includes(field)), parsed.errors.join(' | ')).toBe(true);
        }
      }),
      { numRuns: share.partnerCsv },
    );
  });

  it('refuses a policy file that cannot work, with one line per problem under the file name', async () => {
    const file = join(dir, 'policy.json');
    const steps = defaultReportingPolicyInput.deadline.steps;
    const brokenPolicy = fc.oneof(
      fc.record({ sendTime: fc.constantFrom('9:00', '25:00', 'morgens', '') }).map(({ sendTime }) => ({ deadline: { ...defaultReportingPolicyInput.deadline, sendTime } })),
      fc.integer({ min: 0, max: steps.length - 1 }).chain((index) =>
        fc.record({ duration: fc.constantFrom('P', 'P-1D', '6 weeks', 'PT', 'P1.5D'), index: fc.constant(index) }),
      ).map(({ duration, index }) => ({
        ...defaultReportingPolicyInput,
        deadline: { ...defaultReportingPolicyInput.deadline, steps: steps.map((step, i) => (i === index ? { ...step, offset: { ...step.offset, duration } } : step)) },
      })),
      fc.constantFrom('Europe/Bonn', 'CET+1', '').map((timezone) => ({ ...defaultReportingPolicyInput, deadline: { ...defaultReportingPolicyInput.deadline, timezone } })),
      fc.jsonValue({ maxDepth: 2 }).filter((value) => typeof value !== 'object' || value === null || Array.isArray(value) || !('deadline' in value)),
    );
    await fc.assert(
      fc.asyncProperty(brokenPolicy, async (policy) => {
        writeFileSync(file, JSON.stringify(policy));
        const [first, ...problems] = await cliRefusal(() => readPolicy(file));
        expect(first).toBe(`${file} is not a valid policy:`);
        expectFieldLines(problems.map((line) => line.replace(/^ {2}/, '')));
      }),
      { numRuns: share.policy },
    );
  });
});
