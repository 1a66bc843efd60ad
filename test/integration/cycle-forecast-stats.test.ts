/**
 * The previous cycle in a real database, read back as history: `cycle stats` says which step
 * preceded each submission and the year's figures; `cycle open --dry-run` replays each partner's
 * behaviour under the proposed policy and a stricter one, side by side, and names the partner
 * without a previous report instead of guessing. Both through the real CLI.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompilationActivities } from '../../activities/compilation';
import { loadConfig } from '../../src/config';
import { findCycleHistory, findPreviousCycleHistory } from '../../src/db/queries/cycle-history';
import { upsertCycle } from '../../src/db/queries/reporting';
import { annualReports, auditLog, emailLedger, organisations, reportVersions, reportingCycles, type NewEmailLedgerEntry } from '../../src/db/schema';
import { defaultReportingPolicy, defaultReportingPolicyInput } from '../../src/domain/default-policy';
import { annualReportWorkflowId } from '../../src/temporal/workflow-ids';
import { runPartnerflow, type CliResult } from '../support/cli';
import { daysFrom, defaultLadder, ladderBefore } from '../support/cycle-history';
import { createTestDatabase, type TestDatabase } from '../support/database';

const previousYear = 2030;
const previousDue = new Date('2031-03-31T21:59:59.999Z'); // end of Monday 31 March 2031 in Berlin
const at = daysFrom(previousDue);

/**
 * The previous cycle: 1 submits after the invitation, 2 after the first reminder, 3 after the
 * first escalation and is sent back once, 4 is waived, 5 never submits; 7 has left since (its
 * report counts in the statistics, not in the forecast); 6 joined later and has no report.
 */
const partners = [
  { number: 1, status: 'active', phase: 'accepted', level: 0, notices: ladderBefore(-20), versions: [{ days: -20 }], stop: null },
  { number: 2, status: 'active', phase: 'accepted', level: 0, notices: ladderBefore(-10), versions: [{ days: -10 }], stop: null },
  { number: 3, status: 'active', phase: 'accepted', level: 1, notices: ladderBefore(16), versions: [{ days: 16, revisionAt: 18 }, { days: 23 }], stop: null },
  { number: 4, status: 'active', phase: 'waived', level: 0, notices: ladderBefore(5), versions: [], stop: 5 },
  { number: 5, status: 'active', phase: 'overdue', level: 2, notices: defaultLadder, versions: [], stop: null },
  { number: 6, status: 'active', phase: null, level: 0, notices: [], versions: [], stop: null },
  { number: 7, status: 'left', phase: 'accepted', level: 0, notices: ladderBefore(-5), versions: [{ days: -5 }], stop: null },
] as const;

let database: TestDatabase;
let dir: string;

const partnerflow = (...args: string[]): Promise<CliResult> => runPartnerflow(args, { DATABASE_URL: database.url, DEFAULT_TIMEZONE: 'Europe/Berlin', LOG_LEVEL: 'warn' });

beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'partnerflow-forecast-'));
  const { db } = database;
  const orgs = await db
    .insert(organisations)
    .values(partners.map((p) => ({ number: p.number, name: `Partner ${p.number}`, kind: 'municipality' as const, status: p.status, accessionDate: '2020-01-01' })))
    .returning({ id: organisations.id, number: organisations.number });
  const orgId = (number: number) => orgs.find((o) => o.number === number)?.id ?? 0;
  // An older cycle too: the forecast replays the most recent one before the year.
  await upsertCycle(db, { year: previousYear - 1, periodStart: '2029-01-01', periodEnd: '2029-12-31', dueDate: '2030-03-31', policy: defaultReportingPolicy, open: true });
  await upsertCycle(db, { year: previousYear, periodStart: '2030-01-01', periodEnd: '2030-12-31', dueDate: '2031-03-31', policy: defaultReportingPolicy, open: true });
  const [cycle] = await db.select().from(reportingCycles).where(eq(reportingCycles.year, previousYear));
  if (!cycle) throw new Error('no cycle');

  const ledger: NewEmailLedgerEntry[] = [];
  for (const p of partners) {
    if (p.phase === null) continue;
    const workflowId = annualReportWorkflowId(p.number, previousYear);
    const [report] = await db
      .insert(annualReports)
      .values({ cycleId: cycle.id, organisationId: orgId(p.number), phase: p.phase, dueAt: previousDue, escalationLevel: p.level, workflowId })
      .returning({ id: annualReports.id });
    if (!report) throw new Error('no report');
    for (const [index, v] of p.versions.entries()) {
      const revisionAt = 'revisionAt' in v ? v.revisionAt : undefined;
      await db.insert(reportVersions).values({
        annualReportId: report.id,
        version: index + 1,
        reference: `R-${p.number}-${index + 1}`,
        submittedAt: at(v.days),
        content: {},
        review: revisionAt === undefined ? 'accepted' : 'revision_requested',
        reviewedAt: at(revisionAt ?? v.days + 1),
      });
    }
    // Partner 3 was granted an extension to day 20 before it submitted (on day 16): on time. Partner 1's came after its report.
    const extensionAt = p.number === 3 ? 2 : p.number === 1 ? -10 : undefined;
    if (extensionAt !== undefined) {
      await db.insert(auditLog).values({ occurredAt: at(extensionAt), actor: 'staff:Weber', entityType: 'annual_report', entityId: workflowId, action: 'extension-granted', details: { dueAt: at(20).toISOString(), dueDate: '2031-04-20' } });
    }
    if (p.stop !== null) {
      await db.insert(auditLog).values({ occurredAt: at(p.stop), actor: 'staff:Weber', entityType: 'annual_report', entityId: workflowId, action: 'waived' });
    }
    const email = (key: string, template: string, sentAt: Date | null, status: 'sent' | 'failed' = 'sent') =>
      ledger.push({ idempotencyKey: `${workflowId}/${key}`, messageId: `<${p.number}/${key}@test>`, workflowId, recipientEmail: 'x@example.org', template, subject: template, status, sentAt });
    for (const step of p.notices) {
      email(`initial/${step.stepId}#0/partner_main_contact/1`, step.template, at(step.days));
      // A second recipient a minute later: still one notice, sent when the first went out.
      email(`initial/${step.stepId}#0/partner_leadership/2`, step.template, new Date(at(step.days).getTime() + 60_000));
    }
    // Neither a failed send nor a one-off notice is a step that preceded a submission.
    email('initial/reminder-2w#1/partner_main_contact/1', 'report-reminder', null, 'failed');
    email('notice/extension-2031-04-30/partner_main_contact/1', 'report-extension-granted', at(-21));
  }
  await db.insert(emailLedger).values(ledger);

  const strict = {
    ...defaultReportingPolicyInput,
    deadline: {
      ...defaultReportingPolicyInput.deadline,
      steps: defaultReportingPolicyInput.deadline.steps
        .filter((step) => step.id !== 'reminder-3d')
        .map((step) => (step.escalationLevel === 1 ? { ...step, offset: { ...step.offset, duration: 'P1W' } } : step)),
    },
  };
  writeFileSync(join(dir, 'strict.json'), JSON.stringify(strict));
}, 60_000);

afterAll(async () => {
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('cycle history from the database', () => {
  it('reads versions, the waiver and each notice once, without failed sends and one-off notices', async () => {
    const history = await findCycleHistory(database.db, previousYear);
    expect(history?.reports.map((r) => r.partner)).toEqual([1, 2, 3, 4, 5, 7]);
    const third = history?.reports.find((r) => r.partner === 3);
    expect(third?.dueAt).toEqual(previousDue);
    expect(third?.versions.map((v) => [v.version, v.submittedAt, v.review, v.reviewedAt])).toEqual([
      [1, at(16), 'revision_requested', at(18)],
      [2, at(23), 'accepted', at(24)],
    ]);
    expect(third?.notices.map((n) => [n.round, n.stepId, n.occurrence, n.sentAt])).toEqual(ladderBefore(16).map((s) => ['initial', s.stepId, 0, at(s.days)]));
    expect(history?.reports.find((r) => r.partner === 4)?.stopped).toEqual({ by: 'waived', at: at(5) });
    expect(history?.reports.map((r) => [r.partner, r.extendedDueAt])).toEqual([[1, null], [2, null], [3, at(20)], [4, null], [5, null], [7, null]]);
    expect((await findPreviousCycleHistory(database.db, previousYear + 1))?.year).toBe(previousYear);
    expect(await findPreviousCycleHistory(database.db, previousYear - 1)).toBeUndefined();
  });
});

describe('a cycle whose stored policy today\'s schema would refuse', () => {
  it('still reads, with the steps it names', async () => {
    const legacy = {
      deadline: {
        timezone: 'Europe/Berlin',
        legacyWindow: 'weekdays',
        steps: [{ id: 'mahnung', kind: 'escalation', template: 'report-mahnung', escalationLevel: 3, offset: { direction: 'after', days: 7 } }],
      },
      revision: { deadline: { steps: [] } },
    };
    await database.db.insert(reportingCycles).values({ year: 2020, periodStart: '2020-01-01', periodEnd: '2020-12-31', dueDate: '2021-03-31', policy: legacy });
    try {
      const history = await findCycleHistory(database.db, 2020);
      expect(history?.policy.deadline.steps).toEqual([{ id: 'mahnung', kind: 'escalation', escalationLevel: 3 }]);
      expect(history?.reports).toEqual([]);
    } finally {
      await database.db.delete(reportingCycles).where(eq(reportingCycles.year, 2020));
    }
  });
});

describe('partnerflow cycle stats', () => {
  it('says which step preceded each submission, with shares and median days', async () => {
    const result = await partnerflow('cycle', 'stats', '--year', String(previousYear), '--json');
    expect(result.stderr).toBe('');
    const stats = JSON.parse(result.stdout) as { statistics: unknown; effectiveness: { initial: unknown; revision: unknown; submissions: { partner: number; step: string }[] } };
    expect(stats.effectiveness.initial).toEqual([
      { step: 'invitation', submissions: 1, share: 0.25, medianDays: 22 },
      // Partner 2 four days after the reminder, partner 7 nine days after.
      { step: 'reminder-1', submissions: 2, share: 0.5, medianDays: 6.5 },
      { step: 'escalation-1', submissions: 1, share: 0.25, medianDays: 2 },
    ]);
    expect(stats.effectiveness.revision).toEqual([{ step: 'revision-request', submissions: 1, share: 1, medianDays: 5 }]);
    expect(stats.statistics).toEqual({
      year: previousYear,
      partners: 6,
      submitted: { count: 4, of: 6 },
      // Partner 3 by its extension.
      onTime: { count: 4, of: 4 },
      accepted: { count: 4, of: 6 },
      waived: { count: 1, of: 6 },
      reminders: 8,
      partnersReminded: { count: 5, of: 6 },
      escalations: [
        { level: 1, notices: 4 },
        { level: 2, notices: 2 },
      ],
      partnersEscalated: { count: 2, of: 6 },
      revised: { count: 1, of: 6 },
    });
  }, 60_000);

  it('prints the steps as CSV and as a table', async () => {
    const csv = await partnerflow('cycle', 'stats', '--year', String(previousYear), '--csv');
    expect(parseCsv(csv.stdout, { columns: true })).toEqual([
      { round: 'initial', step: 'invitation', submissions: '1', share: '0.2500', medianDays: '22' },
      { round: 'initial', step: 'reminder-1', submissions: '2', share: '0.5000', medianDays: '6.5' },
      { round: 'initial', step: 'escalation-1', submissions: '1', share: '0.2500', medianDays: '2' },
      { round: 'revision', step: 'revision-request', submissions: '1', share: '1.0000', medianDays: '5' },
    ]);
    const table = await partnerflow('cycle', 'stats', '--year', String(previousYear));
    expect(table.stdout).toContain('on time (of those submitted)  4 of 4 (100.0 %)');
    expect(table.stdout).toMatch(/^reminder-1\s+2\s+50\.0 %\s+6\.5$/m);
  }, 60_000);

  it('refuses a year without a cycle', async () => {
    const result = await partnerflow('cycle', 'stats', '--year', '1999');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--year: no reporting cycle for 1999');
  }, 60_000);
});

describe('partnerflow cycle open --dry-run: the forecast', () => {
  type Totals = { invitations: number; reminders: number; overdueNotices: number; escalations: { level: number; notices: number }[]; reviews: number; revisionReviews: number };
  type Forecast = { previousYear: number; policies: { policy: string; forecast: { totals: Totals; partners: unknown; weeks: { week: string }[] } }[] };

  it('replays the previous cycle under both policies and names the partner without a previous report', async () => {
    const result = await partnerflow('cycle', 'open', '--year', '2031', '--due-date', '2032-03-31', '--dry-run', '--json', '--compare-policy', join(dir, 'strict.json'));
    expect(result.stderr).toBe('');
    const { forecast } = JSON.parse(result.stdout) as { forecast: Forecast };
    expect(forecast.previousYear).toBe(previousYear);
    const [proposed, strict] = forecast.policies;
    // Due Wed 31.03.2032 (Easter Monday 29.03.): partner 1 submits before the first reminder,
    // 2 after it, 3 after the first escalation and revises before the revision's reminder,
    // 4 is waived after the overdue notice, 5 gets every step; 6 is not forecast.
    expect(proposed?.forecast.totals).toEqual({
      invitations: 5,
      reminders: 7,
      overdueNotices: 3,
      escalations: [
        { level: 1, notices: 4 },
        { level: 2, notices: 2 },
      ],
      reviews: 3,
      revisionReviews: 1,
    });
    expect(proposed?.forecast.partners).toEqual({ forecast: 5, submitted: 3, notSubmitted: 1, stopped: 1, withoutPreviousReport: [6] });
    // Without the three-day reminder and escalating after one week: partner 4, waived on day 5, is not escalated either way.
    expect(strict?.policy).toBe(join(dir, 'strict.json'));
    expect(strict?.forecast.totals).toEqual({
      invitations: 5,
      reminders: 4,
      overdueNotices: 3,
      escalations: [
        { level: 1, notices: 4 },
        { level: 2, notices: 2 },
      ],
      reviews: 3,
      revisionReviews: 1,
    });
    expect(strict?.forecast.weeks.map((w) => w.week)).toContain('2032-W15');
  }, 60_000);

  it('prints the two forecasts side by side per week', async () => {
    const result = await partnerflow('cycle', 'open', '--year', '2031', '--due-date', '2032-03-31', '--dry-run', '--compare-policy', join(dir, 'strict.json'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Forecast from the behaviour in cycle ${previousYear}`);
    expect(result.stdout).toMatch(/^week\s+monday\s+invitations\s+reminders\s+overdue\s+escalation1\s+escalation2\s+reviews\s+revisionReviews$/m);
    // The invitation week, then the reminder weeks of each policy.
    expect(result.stdout).toMatch(/^2032-W08\s+2032-02-16\s+5 \/ 5\s+0 \/ 0\s/m);
    expect(result.stdout).toMatch(/^total\s+5 \/ 5\s+7 \/ 4\s+3 \/ 3\s+4 \/ 4\s+2 \/ 2\s+3 \/ 3\s+1 \/ 1$/m);
    expect(result.stdout).toContain('Not forecast (no report in cycle 2030; nothing is assumed about them): 1 partner(s): 6');
  }, 60_000);

  it('refuses a policy to compare with that cannot work, naming the step', async () => {
    const result = await partnerflow('cycle', 'open', '--year', '2031', '--due-date', '2032-03-31', '--dry-run', '--compare-policy', 'test/fixtures/policies/no-steps.json');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('test/fixtures/policies/no-steps.json is not a valid policy:\n');
    expect(result.stderr).toMatch(/deadline\.steps: a policy needs at least one step/);
  }, 60_000);

  it('refuses --compare-policy without --dry-run, before storing anything', async () => {
    const result = await partnerflow('cycle', 'open', '--year', '2031', '--due-date', '2032-03-31', '--compare-policy', join(dir, 'strict.json'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--compare-policy: only with --dry-run');
    expect(await database.db.select().from(reportingCycles).where(eq(reportingCycles.year, 2031))).toEqual([]);
  }, 60_000);
});

describe('the compiled report across years', () => {
  it('compares every cycle up to the year and shows the step before each submission, "not stated" where nobody submitted', async () => {
    const config = loadConfig({ DATABASE_URL: database.url, PARTNERFLOW_DATA_DIR: join(dir, 'data') });
    const compiled = await createCompilationActivities({ db: database.db, config }).compileAnnualReport({ year: previousYear, asOf: '2031-06-30' });
    const html = readFileSync(join(compiled.dir, `jahresbericht-${previousYear}.html`), 'utf8');
    const rowsOf = (caption: string) => {
      const table = new RegExp(`<caption>${caption}</caption>[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
      return [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map(([, row]) => [...(row ?? '').matchAll(/<t[dh]>(.*?)<\/t[dh]>/g)].map(([, cell]) => cell));
    };
    expect(rowsOf('Einreichung je Berichtsjahr')).toEqual([
      ['Berichtsjahr', 'Partner', 'Eingereicht', 'Pünktlich (von den eingereichten)'],
      // The older cycle has no reports: its shares are not stated, not 0 %.
      ['2029', '0', 'nicht angegeben', 'nicht angegeben'],
      ['2030', '6', '4 von 6 (66,7 %)', '4 von 4 (100 %)'],
    ]);
    expect(rowsOf('Erinnerungen und Eskalationen je Berichtsjahr')).toEqual([
      ['Berichtsjahr', 'Erinnerungen', 'Partner mit Erinnerung', 'Eskalationen', 'Partner mit Eskalation'],
      ['2029', '0', 'nicht angegeben', '0', 'nicht angegeben'],
      ['2030', '8', '5 von 6 (83,3 %)', '6 (Stufe 1: 4, Stufe 2: 2)', '2 von 6 (33,3 %)'],
    ]);
    expect(html).toContain('<caption>Welcher Schritt der Einreichung vorausging (Berichtsjahr 2030)</caption>');
    expect(html).toMatch(/<tr><td>1\. Erinnerung<\/td><td>2<\/td><td>50 %<\/td><td>6,5<\/td><\/tr>/);
    expect(html).toContain('<figure id="chart-years">');
    expect(html).toContain('<figure id="chart-steps">');
    const markdown = readFileSync(join(compiled.dir, `jahresbericht-${previousYear}.md`), 'utf8');
    expect(markdown).toContain('| 2030 | 6 | 4 von 6 (66,7 %) | 4 von 4 (100 %) |');
    // The exports carry the same figures as numbers; a share without base is "nicht angegeben".
    const yearsCsv = parseCsv(readFileSync(join(compiled.dir, `jahresbericht-${previousYear}-zahlen-years.csv`), 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
    expect(yearsCsv.map((row) => [row.Berichtsjahr, row.Partner, row.Eingereicht, row['Eingereicht %'], row.Pünktlich, row['Pünktlich % der eingereichten'], row['Eskalationen Stufe 2']])).toEqual([
      ['2029', '0', '0', 'nicht angegeben', '0', 'nicht angegeben', '0'],
      ['2030', '6', '4', '66.7', '4', '100', '2'],
    ]);
    const stepsCsv = parseCsv(readFileSync(join(compiled.dir, `jahresbericht-${previousYear}-zahlen-steps.csv`), 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
    expect(stepsCsv.map((row) => [row.Fassung, row.Schritt, row.Einreichungen, row['Anteil %'], row['Median Tage bis zur Einreichung']])).toEqual([
      ['erste Fassung', 'Einladung', '1', '25', '22'],
      ['erste Fassung', '1. Erinnerung', '2', '50', '6.5'],
      ['erste Fassung', 'Eskalation Stufe 1', '1', '25', '2'],
      ['überarbeitete Fassung', 'Bitte um Überarbeitung', '1', '100', '5'],
    ]);
    const json = JSON.parse(readFileSync(join(compiled.dir, `jahresbericht-${previousYear}-zahlen.json`), 'utf8')) as { statisticsFigures: { id: string }[] };
    expect(json.statisticsFigures.map((f) => f.id)).toEqual(['years', 'steps']);
    expect(compiled.artefacts.map((a) => a.fileName)).toEqual(
      expect.arrayContaining([`jahresbericht-${previousYear}-abbildung-years.svg`, `jahresbericht-${previousYear}-abbildung-steps.svg`, `jahresbericht-${previousYear}.pdf`]),
    );
  }, 180_000);
});
