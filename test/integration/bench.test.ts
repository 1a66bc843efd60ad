/**
 * `npm run bench` with a handful of partners, so the script cannot rot: it runs the compressed
 * cycle on the real dev server, PostgreSQL, SMTP sink and worker process, prints every figure,
 * and every intended email arrives exactly once. The timings themselves are not asserted.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';

const run = promisify(execFile);
const partners = 10;
let database: TestDatabase;
let stdout: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: database.url, LOG_LEVEL: 'warn' };
  // Waves 12 s apart: on a busy machine every report must have started before the first reminder.
  ({ stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--partners', String(partners), '--gap', '12'], {
    env,
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  }));
}, 300_000);

afterAll(async () => {
  await database?.drop();
});

/** The value column of a figure's row in the printed table. */
function figure(name: string): string {
  const row = stdout.split('\n').find((line) => line.startsWith(name));
  if (row === undefined) throw new Error(`no figure "${name}" in:\n${stdout}`);
  return row.slice(name.length).trim();
}

const seconds = /^\d+\.\d s$/;
const megabytes = /^\d+(\.\d+)? MB$/;

describe('npm run bench', () => {
  it('delivers every intended email once, each wave complete', () => {
    // Invitation, two reminders and an escalation to two people: five emails a partner.
    expect(figure('emails intended')).toBe(String(5 * partners));
    expect(figure('emails delivered (distinct Message-IDs)')).toBe(String(5 * partners));
    expect(figure('emails duplicated')).toBe('0');
    for (const [wave, intended] of [['invitation', partners], ['reminder 1', partners], ['reminder 2', partners], ['escalation', 2 * partners]] as const) {
      // The wave table's rows: the label, then column padding (the figure rows also begin with "invitation").
      const row = stdout.split('\n').find((line) => line.startsWith(`${wave}  `));
      expect(row, wave).toMatch(new RegExp(`^${wave}\\s+\\d\\d:\\d\\d:\\d\\d\\s+${intended}/${intended}\\s+\\d+\\.\\d s\\s+\\d+\\.\\d/s\\s+\\d+\\.\\d\\d ×$`));
    }
  });

  it('prints the time figures, the floor and the ratio to it', () => {
    for (const name of ['wall time', 'starts issued', 'starts settled (every first state recorded)', 'compile: text formats ready (cycle compile)', 'compile: PDF/DOCX ready', 'cycle status query']) {
      expect(figure(name), name).toMatch(seconds);
    }
    expect(figure('emails per second (first to last accepted)')).toMatch(/^\d+\.\d\/s$/);
    expect(figure('floor: no-op workflows settled')).toMatch(/^\d+\.\d s \(\d+\.\d\/s\)$/);
    expect(figure('floor: one-activity workflows settled')).toMatch(/^\d+\.\d s \(\d+\.\d\/s\)$/);
    expect(figure('invitation wave / one-activity floor')).toMatch(/^\d+\.\d\d ×$/);
    // CPU of each process, read from /proc: the worker and Temporal did some work (PostgreSQL is
    // measured only when the bench starts its own; this test gives it DATABASE_URL).
    const cpu = /^(\d+\.\d) \/ (\d+\.\d)(?: \/ \d+\.\d)? s \((\d+) ms a workflow\)$/.exec(figure('CPU until starts settled: worker / Temporal / PostgreSQL'));
    expect(cpu, 'CPU until starts settled').not.toBeNull();
    expect(Number(cpu?.[1])).toBeGreaterThan(0);
    expect(Number(cpu?.[2])).toBeGreaterThan(0);
    expect(figure('CPU of the one-activity floor: worker / Temporal')).toMatch(/^\d+\.\d \/ \d+\.\d s \(\d+ ms a workflow\)$/);
    // PDF and DOCX follow the text formats: ready no earlier.
    expect(Number.parseFloat(figure('compile: PDF/DOCX ready'))).toBeGreaterThanOrEqual(Number.parseFloat(figure('compile: text formats ready (cycle compile)')));
  });

  it('asks only the reports whose emails did not all arrive, and says whom it could not ask', () => {
    // Every email arrived: no report is left to ask (some may have been asked while the last wave was on its way).
    expect(figure('reports asked which steps they skipped')).toMatch(
      new RegExp(`^(none|\\d+ questions in \\d+ rounds?); ${partners} reports had every email in the end, 0 were settled by their answer$`),
    );
    expect(figure('reports not asked / not answered in time')).toBe('0 / 0');
  });

  it('prints the memory of worker, server and floor worker, and per cached workflow', () => {
    for (const name of ['peak RSS: worker', 'peak RSS: Temporal dev server', 'peak RSS: floor worker']) {
      expect(figure(name), name).toMatch(megabytes);
    }
    expect(figure('worker RSS idle / after starts settled')).toMatch(/^\d+(\.\d+)? MB \/ \d+(\.\d+)? MB$/);
    // With ten workflows the growth may drown in the worker's own noise; then it says so ("—").
    expect(figure('worker memory per cached workflow')).toMatch(/^(\d+(\.\d+)? MB|—)$/);
    expect(figure('workflows in the worker cache')).toBe(String(partners));
    expect(stdout).toMatch(/worker: cache 1000 workflows, 10 workflow tasks at once, 5 pollers, 100 activities; 20 starts at once/);
  });
});
