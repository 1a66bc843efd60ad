/**
 * The world of one partner's reporting year, on real parts: a migrated PostgreSQL database,
 * an SMTP mail catcher, the time-skipping Temporal test server and a worker on its own queue.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { bundleWorkflowCode, type Worker, type WorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { noFaults, type FaultInjector } from '../../activities';
import { loadConfig, type Config } from '../../src/config';
import { contacts, emailLedger, organisations, reportingCycles, staff } from '../../src/db/schema';
import { startMailCatcher, type MailCatcher, type MailCatcherOptions } from '../../src/dev/mail-catcher';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import type { ReportingPolicy } from '../../src/domain/policy';
import { createMailer, type Mailer } from '../../src/email/transport';
import { startAnnualReport } from '../../src/temporal/annual-report-client';
import { createDocumentsWorker, createPartnerflowWorker } from '../../src/temporal/worker';
import { loadWorkflowBundle, type WorkflowBundle } from '../../src/temporal/workflow-bundle';
import { failureConverterPath, partnerflowDataConverter } from '../../src/temporal/data-converter';
import { partnerDataKeyStore } from '../../src/db/queries/partner-data-keys';
import type { AnnualReportInput } from '../../workflows/contracts/annual-report';
import { createTestDatabase, type TestDatabase } from './database';
import { startTimeSkippingServer } from '../../src/dev/time-skipping';
import { findPersonalData, rawHistory, reportTexts } from './history-scan';

export const partner = {
  number: 2,
  name: 'Kreis Lippe',
  mainContact: { name: 'Petra Schmidt', email: 'ikoe@kreis-lippe.example', language: 'de' as const },
  leadership: { name: 'Dr. Axel Lehmann', email: 'landrat@kreis-lippe.example', language: 'en' as const },
};
export const caseworker = { name: 'Jana Becker', email: 'jana.becker@mkffi.example' };
export const headOfUnit = { name: 'Dr. Murat Yilmaz', email: 'referatsleitung@mkffi.example' };

let productBundle: Promise<WorkflowBundle> | undefined;
/** Bundling takes seconds; test files share the bundle the worker uses, from the cache provisioning fills. */
export function workflowBundle(): Promise<WorkflowBundle> {
  productBundle ??= loadWorkflowBundle(loadConfig().binaries.cacheDir, { logger: quietLogger }).then(({ bundle }) => bundle);
  return productBundle;
}

/** A bundle of other workflows, e.g. test-only ones in test/fixtures/workflows; failures encoded as in the product. */
export function bundleOf(path: string): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: path, failureConverterPath, logger: quietLogger });
}

export type WorkerChoices = {
  faults?: FaultInjector;
  /** Other workflows than the product's, e.g. test-only ones. */
  bundle?: WorkflowBundleWithSourceMap;
  /** For stories of many workflows: a cache (default none, so every task replays) and more slots. */
  tuning?: Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions'>;
  /** Settings the worker's activities see instead of the world's (e.g. a data folder, a start concurrency). */
  config?: Partial<Config>;
};

export type ReportingWorld = {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  database: TestDatabase;
  mail: MailCatcher;
  mailer: Mailer;
  config: Config;
  /** Runs `body` while a worker (with the given fault injector and workflows) serves this world's queue. */
  withWorker<T>(body: () => Promise<T>, options?: WorkerChoices): Promise<T>;
  startReport(input: Omit<AnnualReportInput, 'partnerNumber'> & { partnerNumber?: number }): ReturnType<typeof startAnnualReport>;
  /** Adds a reporting cycle for `year` due on `dueDate` (YYYY-MM-DD). */
  openCycle(year: number, dueDate: string, policy?: ReportingPolicy): Promise<void>;
  /** The emails that arrived, in order, as (template-agnostic) summaries. */
  sentTo(address: string): string[];
  teardown(): Promise<void>;
};

export async function createReportingWorld(options: { rejectRecipients?: MailCatcherOptions['rejectRecipients'] } = {}): Promise<ReportingWorld> {
  const { binaries } = loadConfig({ PARTNERFLOW_CACHE: process.env.PARTNERFLOW_CACHE });
  const database = await createTestDatabase();
  const mail = await startMailCatcher({ smtpPort: 0, rejectRecipients: options.rejectRecipients });
  const config = loadConfig({ SMTP_URL: `smtp://127.0.0.1:${mail.smtpPort}`, DATABASE_URL: database.url });
  // The test client encrypts like the product's, so the histories the stories leave are the product's.
  const dataConverter = partnerflowDataConverter({
    payloadKeys: config.payloadKeys,
    // Recorded replay fixtures outlive this database, so they are sealed with the (dev) keyring alone.
    partnerKeys: process.env.RECORD_HISTORIES ? undefined : partnerDataKeyStore(database.db, config.payloadKeys),
  });
  const env = await startTimeSkippingServer(binaries.cacheDir, dataConverter);
  const mailer = createMailer(config.smtp);
  const taskQueue = `reporting-${randomUUID()}`;
  const started: WorkflowHandle[] = [];
  await seedPartner(database);

  // A test that timed out leaves its body, and so its workers, running; the SDK refuses a second
  // worker on the same queue in one process, so every later test of the file would fail at once.
  // The next withWorker stops them first.
  let running: Worker[] = [];
  const stopLeftovers = async () => {
    for (const worker of running) if (worker.getState() === 'RUNNING') worker.shutdown();
    const stopped = () => running.every((worker) => ['STOPPED', 'FAILED'].includes(worker.getState()));
    for (const deadline = Date.now() + 30_000; !stopped() && Date.now() < deadline; ) await sleep(100);
    running = [];
  };

  return {
    env,
    taskQueue,
    database,
    mail,
    mailer,
    config,
    async withWorker(body, { faults = noFaults, bundle, tuning, config: overrides } = {}) {
      await stopLeftovers();
      const shared = {
        connection: env.nativeConnection,
        namespace: env.namespace ?? 'default',
        taskQueue,
        deps: { db: database.db, mailer, config: { ...config, ...overrides }, faults },
        dataConverter,
      };
      // Both roles, as one worker process of WORKER_ROLE=all runs them.
      const documents = await createDocumentsWorker(shared);
      const worker = await createPartnerflowWorker({
        ...shared,
        workflowBundle: bundle ?? (await workflowBundle()),
        // No cache: every workflow task replays the whole history (each story doubles as a replay
        // test), and a stopped worker's sticky queue never holds a task back from the next worker.
        maxCachedWorkflows: 0,
        // One workflow task at a time: with no cache the SDK's core evicts a run to take another
        // run's task, even while the first run's local activity (openReport) is on its way, and
        // the two then evict each other every 10 s, each task timing out (a report started
        // while a cancelled one still had a task to run did so for over a minute). The log
        // says "There should not be any outgoing commands … This is an SDK bug."
        maxConcurrentWorkflowTaskExecutions: 1,
        ...tuning,
      });
      running = [documents, worker];
      const result = await documents.runUntil(worker.runUntil(body));
      running = [];
      return result;
    },
    async startReport(input) {
      const handle = await startAnnualReport(env.client, taskQueue, { partnerNumber: input.partnerNumber ?? partner.number, ...input });
      started.push(handle);
      return handle;
    },
    async openCycle(year, dueDate, policy = defaultReportingPolicy) {
      await database.db.insert(reportingCycles).values({
        year,
        periodStart: `${year - 1}-10-01`,
        periodEnd: `${year}-09-30`,
        dueDate,
        policy,
        status: 'open',
      });
    },
    sentTo: (address) =>
      mail.messages
        .filter((message) => message.envelope.to.includes(address))
        .map((message) => message.subject ?? ''),
    async teardown() {
      try {
        // Every story doubles as a check that its histories hold no personal data in clear.
        await expectNoPersonalDataInHistories(started);
      } finally {
        mailer.close();
        await mail.stop();
        await env.teardown();
        await database.drop();
      }
    },
  };
}

async function seedPartner({ db }: TestDatabase): Promise<void> {
  const [worker] = await db.insert(staff).values({ ...caseworker, role: 'caseworker' }).returning();
  await db.insert(staff).values({ ...headOfUnit, role: 'head_of_unit' });
  const [organisation] = await db
    .insert(organisations)
    .values({
      number: partner.number,
      name: partner.name,
      kind: 'district',
      status: 'active',
      accessionDate: '2012-08-15',
      caseworkerId: worker?.id,
    })
    .returning();
  if (!organisation) throw new Error('seeding the partner failed');
  await db.insert(contacts).values([
    { organisationId: organisation.id, role: 'main_contact', ...partner.mainContact },
    { organisationId: organisation.id, role: 'leadership_signatory', ...partner.leadership },
  ]);
}

/** The people of this world and the fixture reports' text: none of it may be readable in a history. */
export async function personalNeedles(): Promise<string[]> {
  const people = [partner.mainContact, partner.leadership, caseworker, headOfUnit];
  return [...people.flatMap((person) => [person.name, person.email]), ...(await reportTexts())];
}

async function expectNoPersonalDataInHistories(handles: WorkflowHandle[]): Promise<void> {
  const needles = await personalNeedles();
  for (const handle of handles) {
    const findings = findPersonalData(await rawHistory(handle), needles);
    if (findings.length > 0) {
      throw new Error(
        `${handle.workflowId}: personal data in clear in its history:\n${findings.map((f) => `  ${f.path}: ${f.found}`).join('\n')}`,
      );
    }
  }
}

export async function ledgerRows(world: ReportingWorld) {
  return world.database.db.select().from(emailLedger).orderBy(emailLedger.id);
}

export async function ledgerRowsFor(world: ReportingWorld, address: string) {
  return world.database.db.select().from(emailLedger).where(eq(emailLedger.recipientEmail, address)).orderBy(emailLedger.id);
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string) => console.error(message),
};
