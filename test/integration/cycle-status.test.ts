/**
 * `cycle status` on real PostgreSQL: 1,000 synthetic partners with reports in every phase, some
 * not started, escalations, versions and ledger rows (among them newer emails of other workflows
 * that must not count as the report's last email). The counts and each partner's last email are
 * checked against what the test wrote; CSV and XLSX from the real CLI parse back to the same rows.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleStatusColumns, cycleStatusFileRows } from '../../src/cli/cycle-status-files';
import { cyclePhases, findCycleStatus, type CyclePhase, type CycleStatus, type LastEmail } from '../../src/db/queries/cycle-status';
import { setOverride, upsertCycle } from '../../src/db/queries/reporting';
import { annualReports, emailLedger, organisations, reportVersions, type NewEmailLedgerEntry } from '../../src/db/schema';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import { reportPhases } from '../../src/domain/report-phase';
import { annualReportWorkflowId } from '../../src/temporal/workflow-ids';
import { lifecycleWorkflowId } from '../../workflows/contracts/lifecycle';
import { createTestDatabase, type TestDatabase } from '../support/database';

const run = promisify(execFile);
const year = 2030;
const partnerCount = 1_000;
const dueAt = new Date('2031-03-31T21:59:59.999Z'); // end of 31 March 2031 in Berlin (CEST)
const overrideDue = '2031-05-15';
const emailStatuses = ['sent', 'failed', 'unknown', 'pending', 'sent'] as const;
const startedPhases = ['pending', ...reportPhases] as const;

/** What the test writes for partner i (number i + 1), and so what the status must say. */
type Expected = { number: number; phase: CyclePhase; escalationLevel: number; versions: number; dueDate: string; lastEmail: LastEmail | null };

function expectedOf(i: number): Expected {
  const number = i + 1;
  const started = i % 10 !== 9;
  const emails = started && i % 5 !== 0 ? 1 + (i % 3) : 0;
  const status = emailStatuses[i % 5] ?? 'sent';
  return {
    number,
    phase: started ? (startedPhases[i % startedPhases.length] ?? 'pending') : 'not started',
    escalationLevel: started ? i % 4 : 0,
    versions: started ? i % 3 : 0,
    dueDate: i % 50 === 9 ? overrideDue : '2031-03-31',
    lastEmail:
      emails === 0
        ? null
        : {
            template: `report-reminder-${emails}`,
            status,
            possibleDuplicate: i % 7 === 0,
            sentAt: status === 'sent' ? sentAtOf(i, emails).toISOString() : null,
          },
  };
}

function createdAtOf(i: number, k: number): Date {
  return new Date(Date.UTC(2031, 1, 1, 8, 0, 0) + i * 1_000 + k * 3_600_000);
}
function sentAtOf(i: number, k: number): Date {
  return new Date(createdAtOf(i, k).getTime() + 2_000);
}

const expected = Array.from({ length: partnerCount }, (_, i) => expectedOf(i));
let database: TestDatabase;
let queryMillis: number;
let status: CycleStatus;
let dataDir: string;

async function partnerflow(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: database.url, DEFAULT_TIMEZONE: 'Europe/Berlin', LOG_LEVEL: 'warn' };
  try {
    const { stdout, stderr } = await run('node', ['bin/partnerflow.js', ...args], { env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

async function inChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += 1_000) await insert(rows.slice(i, i + 1_000));
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'partnerflow-cycle-status-'));
  const { db } = database;
  const organisationRows = await db
    .insert(organisations)
    .values([
      ...expected.map((e) => ({ number: e.number, name: `Partner ${e.number}`, kind: 'municipality' as const, status: 'active' as const, accessionDate: '2020-01-01' })),
      // Left the network with a report in the cycle: listed. Left without one, or never joined: not.
      { number: 1_001, name: 'Gone with a report', kind: 'company' as const, status: 'left' as const, accessionDate: '2019-01-01' },
      { number: 1_002, name: 'Gone without a report', kind: 'company' as const, status: 'left' as const, accessionDate: '2019-01-01' },
      { number: 1_003, name: 'Prospect', kind: 'company' as const, status: 'prospect' as const, accessionDate: null },
    ])
    .returning({ id: organisations.id, number: organisations.number });
  const idOf = new Map(organisationRows.map((row) => [row.number, row.id]));
  const organisationId = (number: number) => idOf.get(number) ?? 0;

  await upsertCycle(db, { year, periodStart: `${year}-01-01`, periodEnd: `${year}-12-31`, dueDate: '2031-03-31', policy: defaultReportingPolicy, open: true });
  // Another year's cycle, whose reports must not be counted in this one.
  await upsertCycle(db, { year: year - 1, periodStart: `${year - 1}-01-01`, periodEnd: `${year - 1}-12-31`, dueDate: '2030-03-31', policy: defaultReportingPolicy, open: true });
  const cycleIds = await db.query.reportingCycles.findMany({ columns: { id: true, year: true } });
  const cycleOf = (y: number) => cycleIds.find((c) => c.year === y)?.id ?? 0;
  for (const e of expected) {
    if (e.dueDate === overrideDue) await setOverride(db, { cycleId: cycleOf(year), organisationId: organisationId(e.number), dueDate: overrideDue, reason: 'asked in time' });
  }

  const started = expected.filter((e) => e.phase !== 'not started');
  const reportRows = await db
    .insert(annualReports)
    .values([
      ...started.map((e) => ({
        cycleId: cycleOf(year),
        organisationId: organisationId(e.number),
        phase: e.phase as (typeof startedPhases)[number],
        dueAt,
        escalationLevel: e.escalationLevel,
        workflowId: annualReportWorkflowId(e.number, year),
      })),
      { cycleId: cycleOf(year), organisationId: organisationId(1_001), phase: 'closed' as const, dueAt, escalationLevel: 0, workflowId: annualReportWorkflowId(1_001, year) },
      // Last year's report of a partner not started this year: neither its phase nor its emails count.
      { cycleId: cycleOf(year - 1), organisationId: organisationId(10), phase: 'accepted' as const, dueAt, escalationLevel: 3, workflowId: annualReportWorkflowId(10, year - 1) },
    ])
    .returning({ id: annualReports.id, workflowId: annualReports.workflowId });
  const reportIdOf = new Map(reportRows.map((row) => [row.workflowId, row.id]));
  const versions = started.flatMap((e) =>
    Array.from({ length: e.versions }, (_, v) => ({
      annualReportId: reportIdOf.get(annualReportWorkflowId(e.number, year)) ?? 0,
      version: v + 1,
      reference: `R-${e.number}-${v + 1}`,
      submittedAt: createdAtOf(e.number, v),
      content: {},
    })),
  );
  await inChunks(versions, (chunk) => db.insert(reportVersions).values(chunk));

  const ledger: NewEmailLedgerEntry[] = [];
  const email = (key: string, workflowId: string, template: string, createdAt: Date, extra: Partial<NewEmailLedgerEntry> = {}) =>
    ledger.push({ idempotencyKey: key, messageId: `<${key}@test>`, workflowId, recipientEmail: 'someone@example.org', template, subject: template, createdAt, ...extra });
  for (const [i, e] of expected.entries()) {
    const count = e.lastEmail ? Number(e.lastEmail.template.split('-').at(-1)) : 0;
    for (let k = 1; k <= count; k += 1) {
      const last = k === count;
      const outcome = last ? (e.lastEmail?.status ?? 'sent') : 'sent';
      email(`${e.number}/${k}`, annualReportWorkflowId(e.number, year), `report-reminder-${k}`, createdAtOf(i, k), {
        status: outcome,
        possibleDuplicate: last && (e.lastEmail?.possibleDuplicate ?? false),
        sentAt: outcome === 'sent' ? sentAtOf(i, k) : null,
      });
    }
    // Newer emails of the partner's lifecycle and of last year's report are not this report's.
    email(`${e.number}/lifecycle`, lifecycleWorkflowId(e.number), 'milestone-question', createdAtOf(i, 10), { status: 'sent', sentAt: createdAtOf(i, 10) });
    email(`${e.number}/last-year`, annualReportWorkflowId(e.number, year - 1), 'report-overdue', createdAtOf(i, 11), { status: 'sent', sentAt: createdAtOf(i, 11) });
  }
  await inChunks(ledger, (chunk) => db.insert(emailLedger).values(chunk));
  await db.execute(sql`analyze`);

  const started_ = performance.now();
  const found = await findCycleStatus(db, year);
  queryMillis = performance.now() - started_;
  if (!found) throw new Error('no cycle status');
  status = found;
  console.log(`cycle status for ${status.partners} partners (${ledger.length} ledger rows, ${versions.length} versions): ${queryMillis.toFixed(0)} ms`);
}, 120_000);

afterAll(async () => {
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('cycle status', () => {
  it('counts every phase and escalation level exactly, not-started partners included', () => {
    const phases = Object.fromEntries(cyclePhases.map((phase) => [phase, expected.filter((e) => e.phase === phase).length]));
    phases.closed = (phases.closed ?? 0) + 1; // the partner who left with its report
    expect(status.partners).toBe(partnerCount + 1);
    expect(status.phases).toEqual(phases);
    expect(status.phases['not started']).toBe(100);
    const levels = [0, 1, 2, 3].map((level) => ({
      level,
      partners: expected.filter((e) => e.escalationLevel === level).length + (level === 0 ? 1 : 0),
    }));
    expect(status.escalationLevels).toEqual(levels);
  });

  it("lists each partner's phase, due date, versions and last email of its report", () => {
    const byNumber = new Map(status.rows.map((row) => [row.partner, row]));
    expect([...byNumber.keys()].sort((a, b) => a - b)).toEqual([...expected.map((e) => e.number), 1_001]);
    for (const e of expected) {
      const row = byNumber.get(e.number);
      expect(row, `partner ${e.number}`).toEqual({
        partner: e.number,
        name: `Partner ${e.number}`,
        phase: e.phase,
        dueAt: e.phase === 'not started' ? null : dueAt.toISOString(),
        dueDate: e.dueDate,
        escalationLevel: e.escalationLevel,
        versions: e.versions,
        lastEmail: e.lastEmail,
      });
    }
    // Spot checks that the generator made what the comparisons rely on.
    expect(byNumber.get(8)?.lastEmail).toEqual({ template: 'report-reminder-2', status: 'unknown', possibleDuplicate: true, sentAt: null });
    expect(byNumber.get(10)).toMatchObject({ phase: 'not started', lastEmail: null, escalationLevel: 0 });
  });

  it('answers for 1,000 partners well within the 2 s target', () => {
    // The target is 2 s for 10,000 partners; a generous bound here keeps a busy CI from flaking.
    expect(queryMillis).toBeLessThan(5_000);
  });

  it('says in one line that a year has no cycle', async () => {
    expect(await findCycleStatus(database.db, 2040)).toBeUndefined();
    const result = await partnerflow('cycle', 'status', '--year', '2040');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('--year: no reporting cycle for 2040\n');
  }, 60_000);

  it('prints JSON that reads back to the status the query found', async () => {
    const result = await partnerflow('cycle', 'status', '--year', String(year), '--json');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(JSON.stringify(status)));
  }, 60_000);

  it('prints the partners as CSV that parses back to the same rows', async () => {
    const result = await partnerflow('cycle', 'status', '--year', String(year), '--csv');
    expect(result.stderr).toBe('');
    const parsed = parseCsv(result.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(parsed[0] ?? {})).toEqual([...cycleStatusColumns]);
    expect(parsed).toEqual(cycleStatusFileRows(status).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)]))));
    expect(parsed.find((row) => row.partner === '8')).toMatchObject({ lastEmailStatus: 'unknown', lastEmailPossibleDuplicate: 'true', lastEmailSentAt: '' });
  }, 60_000);

  it('writes an XLSX whose partner sheet reads back to the same rows', async () => {
    const file = join(dataDir, 'status.xlsx');
    const result = await partnerflow('cycle', 'status', '--year', String(year), '--xlsx', file);
    expect(result.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet(`Partners ${year}`);
    const rows: unknown[][] = [];
    sheet?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const [header, ...body] = rows;
    expect(header).toEqual([...cycleStatusColumns]);
    // exceljs leaves empty strings out of a row: undefined there reads as ''.
    const read = body.map((cells) => Object.fromEntries(cycleStatusColumns.map((column, i) => [column, cells[i] ?? ''])));
    expect(read).toEqual(cycleStatusFileRows(status));
    const counts: unknown[][] = [];
    workbook.getWorksheet('Counts')?.eachRow((row) => counts.push((row.values as unknown[]).slice(1)));
    expect(counts).toContainEqual(['phase', 'not started', 100]);
  }, 60_000);

  it('shows moments in local time in the table', async () => {
    const result = await partnerflow('cycle', 'status', '--year', String(year));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Cycle ${year} (open), due 2031-03-31: ${partnerCount + 1} partner(s)`);
    expect(result.stdout).toMatch(/^not started\s+100$/m);
    // Partner 2: due at the end of 31 March in Berlin; its last email failed, so it has no sending time.
    expect(result.stdout).toMatch(/^2\s+Partner 2\s+awaiting_submission\s+2031-03-31 23:59 \(Mon\)\s+1\s+1\s+report-reminder-2: failed$/m);
    // Partner 5: its last email was sent at 10:00:06 UTC, 11:00 in Berlin (CET).
    expect(result.stdout).toMatch(/^5\s+Partner 5\s+revision_requested\s+2031-03-31 23:59 \(Mon\)\s+0\s+1\s+report-reminder-2: sent 2031-02-01 11:00 \(Sat\)$/m);
  }, 60_000);
});
