/**
 * How fast the compiled annual report is made, and in how much memory, for a large cycle.
 *
 *   npm run bench:compile -- [--partners N] [--corrections K] [--again] [--as-accepted] [--text-only] [--out DIR]
 *
 * Builds a cycle of N synthetic partners (default 1,000) in a throwaway embedded PostgreSQL
 * (or DATABASE_URL's server, in a database of its own): the seed report fixtures are the
 * reports, one after another; most are accepted, some submitted, overdue or never started,
 * a third of the partners were reminded. Then runs the compile activity twice: once from
 * nothing, and once after K accepted reports were corrected (a new accepted version each).
 * Prints wall time, each step's time, PDF pages, the process's peak RSS (worker threads
 * included: they share the process; run one N per process: peak RSS is the process's) and the
 * longest stall of the compiling thread's event loop, which bounds how late a heartbeat can be.
 * The first compilation renders every chapter and stores its fragment (src/db/schema/chapter-fragments.ts):
 * "cold"; the second takes the fragments of the versions not corrected: "warm". `--again` compiles a
 * second time even without corrections (`--corrections 0 --again`: warm, every chapter from its fragment).
 * `--as-accepted` first stores each accepted version's fragment as its acceptance does in the
 * product (`recordReview`), one at a time, and prints what that took per report: the first
 * compilation is then the one staff see after a year of acceptances ("cold" is the one after a
 * change to the chapter renderer, when no stored fragment matches).
 * `--text-only` stops once the version is stored with its text formats (PDF and DOCX not typeset):
 * the part a profile of the read and the text formats needs, in a fraction of the time.
 * `--out DIR` copies each compiled version's files to DIR/v<version> (to compare the output of two builds).
 *
 * Where the time goes: node --cpu-prof --cpu-prof-dir=prof --import tsx scripts/bench-compile.ts
 */
import { chmod, cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { storeAcceptedChapterFragment } from '../activities/chapter-fragments';
import { createCompilationActivities, type CompilationStep, type CompiledReportVersion } from '../activities/compilation';
import { KEEP_ALIVE_MS } from '../activities/keep-alive';
import { loadConfig } from '../src/config';
import { defaultReportingPolicy } from '../src/domain/default-policy';
import { createDb, type Database } from '../src/db/client';
import { reportVersions } from '../src/db/schema';
import { migrateDatabase } from '../src/db/migrate';
import { ensureDatabase, startEmbeddedPostgres } from '../src/dev/postgres';

const { values } = parseArgs({
  options: {
    partners: { type: 'string', default: '1000' },
    corrections: { type: 'string', default: '1' },
    'text-only': { type: 'boolean', default: false },
    again: { type: 'boolean', default: false },
    'as-accepted': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const partners = Number(values.partners);
const corrections = Number(values.corrections);
if (!Number.isInteger(partners) || partners < 1) throw new Error(`--partners: must be a whole number above 0, got "${values.partners}"`);
if (!Number.isInteger(corrections) || corrections < 0 || corrections > partners) {
  throw new Error(`--corrections: must be a whole number from 0 to --partners, got "${values.corrections}"`);
}
const year = 2018;
const fixturesDir = new URL('../test/fixtures/reports/', import.meta.url);

/** The seed reports entered as fixtures (file names start with the partner's number). */
async function seedReports(): Promise<unknown[]> {
  const names = (await readdir(fixturesDir)).filter((name) => /^\d{2}-.*\.json$/.test(name)).sort();
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(new URL(name, fixturesDir), 'utf8')) as unknown));
}

/**
 * One statement per table, generated in the database, so seeding 10,000 partners takes seconds and
 * leaves nothing in this process's memory. Partner n's standing: every 50th submitted, every 40th
 * overdue, every 97th never started, the rest accepted; every third was reminded twice.
 */
async function seedCycle(db: Database, reports: unknown[]): Promise<void> {
  await db.execute(sql`
    insert into organisations (number, name, kind, report_heading, status, accession_date)
    select n, 'Partnerorganisation ' || n, 'association', 'Bericht der Partnerorganisation ' || n, 'active',
           date '2012-01-01' + (n / 4)
      from generate_series(1, ${partners}) n`);
  // The cycle's policy as the cycle workflow stores it (parsed, defaults filled in): the statistics read its steps and time zone.
  await db.execute(sql`
    insert into reporting_cycles (year, period_start, period_end, due_date, policy, status, opened_at)
    values (${year}, '2018-01-01', '2018-12-31', '2018-03-31', ${JSON.stringify(defaultReportingPolicy)}::jsonb, 'open', now())`);
  await db.execute(sql`
    insert into annual_reports (cycle_id, organisation_id, phase, due_at, escalation_level, workflow_id)
    select c.id, o.id,
           (case when o.number % 50 = 0 then 'submitted' when o.number % 40 = 0 then 'overdue' else 'accepted' end)::report_phase,
           timestamptz '2018-03-31 22:00:00+00', case when o.number % 40 = 0 then 2 else 0 end,
           'annual-report/' || o.number || '/' || ${year}
      from organisations o, reporting_cycles c
     where c.year = ${year} and o.number % 97 <> 0`);
  await db.execute(sql`
    insert into report_versions (annual_report_id, version, reference, submitted_at, content, review, reviewed_at)
    select ar.id, 1, 'JB-' || ${year} || '-' || o.number || '-V1',
           timestamptz '2018-03-01 09:00:00+00' + (o.number % 60) * interval '1 day',
           (${JSON.stringify(reports)}::jsonb) -> (o.number % ${reports.length}),
           (case when ar.phase = 'accepted' then 'accepted' else 'pending' end)::review_status,
           case when ar.phase = 'accepted' then timestamptz '2018-05-01 09:00:00+00' end
      from annual_reports ar join organisations o on o.id = ar.organisation_id
     where ar.phase in ('accepted', 'submitted')`);
  await db.execute(sql`
    insert into email_ledger (idempotency_key, message_id, workflow_id, recipient_email, template, subject, status)
    select ar.workflow_id || ':reminder:' || k, '<reminder-' || o.number || '-' || k || '@bench.example>', ar.workflow_id,
           'partner-' || o.number || '@bench.example', 'report-reminder', 'Erinnerung', 'sent'
      from annual_reports ar join organisations o on o.id = ar.organisation_id, generate_series(1, 2) k
     where o.number % 3 = 0`);
}

/** A correction: the partner sends a revised report, staff accept it; the chapter text changes. */
async function correctReports(db: Database, count: number): Promise<void> {
  await db.execute(sql`
    insert into report_versions (annual_report_id, version, reference, submitted_at, content, review, reviewed_at)
    select v.annual_report_id, 2, replace(v.reference, '-V1', '-V2'), timestamptz '2018-06-01 09:00:00+00',
           jsonb_set(v.content, '{blocks}', coalesce(v.content -> 'blocks', '[]'::jsonb)
             || '[{"kind": "text", "text": "Berichtigung vom 1. Juni 2018: eine Zahl war falsch übertragen."}]'::jsonb),
           'accepted', timestamptz '2018-06-02 09:00:00+00'
      from report_versions v
     where v.review = 'accepted' and v.version = 1
       and v.annual_report_id in (select id from annual_reports where phase = 'accepted' order by id limit ${count})`);
}

/** Typst writes one page object per page: "/Type /Page" (never followed by an "s"). */
async function pdfPages(compiled: CompiledReportVersion): Promise<number> {
  let pages = 0;
  for (const artefact of compiled.artefacts.filter((a) => a.format === 'pdf')) {
    const text = (await readFile(join(compiled.dir, artefact.fileName))).toString('latin1');
    pages += text.match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
  }
  return pages;
}

async function withDatabaseUrl<T>(use: (url: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const fresh = async (adminUrl: string) => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
    await admin`drop database if exists partnerflow_bench_compile with (force)`.finally(() => admin.end({ timeout: 5 }));
    return ensureDatabase(adminUrl, 'partnerflow_bench_compile');
  };
  if (!config.database.embedded) return use(await fresh(config.database.url));
  const root = await mkdtemp(join(tmpdir(), 'partnerflow-bench-compile-'));
  await chmod(root, 0o755); // the server runs as the postgres user and must enter the folder
  const server = await startEmbeddedPostgres({ dataDir: join(root, 'data'), persistent: false });
  try {
    return await use(await fresh(server.adminUrl));
  } finally {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

/** Each accepted version's chapter fragment, stored one after another as `recordReview` stores it at acceptance. */
async function storeFragmentsAsAccepted(db: Database): Promise<void> {
  const accepted = await db.select({ annualReportId: reportVersions.annualReportId, version: reportVersions.version }).from(reportVersions).where(eq(reportVersions.review, 'accepted'));
  const started = performance.now();
  let stored = 0;
  for (const version of accepted) if (await storeAcceptedChapterFragment(db, version)) stored += 1;
  const ms = performance.now() - started;
  process.stdout.write(`Stored ${stored} of ${accepted.length} accepted versions' chapter fragments as their acceptances do, in ${seconds(ms / 1000)} (${(ms / Math.max(1, accepted.length)).toFixed(1)} ms an acceptance).\n`);
}

const seconds = (s: number) => `${s.toFixed(1)} s`;
const megabytes = (kb: number) => `${Math.round(kb / 1024)} MB`;

const dataDir = await mkdtemp(join(tmpdir(), 'partnerflow-bench-compile-data-'));
try {
  await withDatabaseUrl(async (url) => {
    await migrateDatabase(url);
    const { db, close } = createDb(url);
    try {
      let started = performance.now();
      await seedCycle(db, await seedReports());
      process.stdout.write(`Seeded ${partners} partners in ${seconds((performance.now() - started) / 1000)}.\n`);
      const config = loadConfig({ DATABASE_URL: url, PARTNERFLOW_DATA_DIR: dataDir });
      const run = async (label: string, requestId: string) => {
        const steps: { step: CompilationStep; cpu: number }[] = [];
        const cpu = process.cpuUsage();
        const cpuSeconds = () => {
          const used = process.cpuUsage(cpu);
          return (used.user + used.system) / 1e6;
        };
        const { compileAnnualReport, typesetArchiveFormats } = createCompilationActivities({ db, config, onStep: (step) => steps.push({ step, cpu: cpuSeconds() }) });
        // How long this thread went without running a timer: as long the keep-alive's heartbeats wait.
        const stalls = monitorEventLoopDelay({ resolution: 10 });
        stalls.enable();
        started = performance.now();
        // As the cycle workflow does: the version is stored with its text formats, then PDF and DOCX follow.
        const stored = await compileAnnualReport({ year, asOf: '2018-09-30', requestId, archiveFormats: 'follow' });
        const usable = { wall: (performance.now() - started) / 1000, cpu: cpuSeconds() };
        const textSteps = steps.length;
        const compiled = values['text-only'] ? stored : await typesetArchiveFormats({ year, version: stored.version });
        const wall = (performance.now() - started) / 1000;
        const total = cpuSeconds();
        stalls.disable();
        if (values.out !== undefined) await cp(compiled.dir, join(values.out, `v${compiled.version}`), { recursive: true });
        // The typesetting activity counts its steps from its own start: shown from the compilation's.
        const shown = steps.map(({ step, cpu: at }, index) => ({ step: index < textSteps ? step : { ...step, at: step.at + usable.wall }, cpu: at }));
        process.stdout.write(
          `\n${label}: version ${compiled.version}, ${compiled.chapters} chapters of ${compiled.partners} partners, ` +
            `${compiled.missing.length} listed as missing\n` +
            `  wall time        ${seconds(wall)}\n` +
            // All threads of the process; on a shared machine the fairer figure than the wall time.
            `  CPU time         ${seconds(total)}\n` +
            `  text formats ready (version stored and usable: figures, charts, HTML, Markdown, CSV, XLSX, JSON) after ${seconds(usable.wall)} (CPU ${seconds(usable.cpu)})\n` +
            (values['text-only']
              ? `  archive formats not typeset (--text-only)\n`
              : `  archive formats ready (PDF/A and DOCX volumes typeset, marked ready) after ${seconds(wall)} (CPU ${seconds(total)})\n`) +
            `  step             took     done at\n` +
            shown
              .map(
                ({ step: s }, index) =>
                  (index === textSteps ? `  -- typesetArchiveFormats --\n` : '') +
                  `  ${s.step.padEnd(16)} ${seconds(s.seconds).padStart(7)}  ${seconds(s.at).padStart(7)}` +
                  `${s.files > 1 ? `  ${s.files} files` : ''}${s.reused > 0 ? `, ${s.reused} taken over (version before, or already in place)` : ''}` +
                  `${s.chapters ? `  ${s.chapters.fromFragments} chapters from stored fragments, ${s.chapters.rendered} parsed and rendered` : ''}\n`,
              )
              .join('') +
            (values['text-only'] ? '' : `  PDF pages        ${await pdfPages(compiled)}\n`) +
            `  peak RSS so far  ${megabytes(process.resourceUsage().maxRSS)}\n` +
            `  longest event-loop stall ${(stalls.max / 1e6).toFixed(0)} ms (the keep-alive's heartbeats wait as long; KEEP_ALIVE_MS ${KEEP_ALIVE_MS})\n`,
        );
      };
      if (values['as-accepted']) await storeFragmentsAsAccepted(db);
      await run(values['as-accepted'] ? 'First compilation after the acceptances' : 'First compilation', 'bench-first');
      if (corrections > 0 || values.again) {
        if (corrections > 0) await correctReports(db, corrections);
        await run(corrections > 0 ? `After ${corrections} correction(s)` : 'Again, nothing changed', 'bench-corrected');
      }
    } finally {
      await close();
    }
  });
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
