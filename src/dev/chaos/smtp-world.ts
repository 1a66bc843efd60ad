/**
 * The world the SMTP fault scenarios run in, on real parts: a migrated PostgreSQL database, the
 * time-skipping Temporal test server (a compressed reporting cycle passes in seconds, retry
 * back-offs too), a worker with the product's workflows and activities, and the scripted SMTP
 * server. N partners, each with a main contact and a leadership signatory, one caseworker and one
 * head of unit: a never-submitted report sends 8 mails per partner, 2 of them to staff.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { inArray } from 'drizzle-orm';
import { noFaults } from '../../../activities';
import { loadConfig, type Config } from '../../config';
import { createDb, type Database } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { partnerDataKeyStore } from '../../db/queries/partner-data-keys';
import { contacts, emailLedger, organisations, reportingCycles, staff } from '../../db/schema';
import { defaultReportingPolicy } from '../../domain/default-policy';
import { createMailer } from '../../email/transport';
import { startAnnualReport } from '../../temporal/annual-report-client';
import { partnerflowDataConverter } from '../../temporal/data-converter';
import { createPartnerflowWorker } from '../../temporal/worker';
import { loadWorkflowBundle } from '../../temporal/workflow-bundle';
import { ensureDatabase, startEmbeddedPostgres } from '../postgres';
import { startScriptedSmtp, type ScriptedSmtp, type ScriptedSmtpOptions } from './scripted-smtp';
import { startTimeSkippingServer } from '../time-skipping';

/** Where the scenarios get PostgreSQL: a server to make a database on (the suite's), or none (one is started). */
export type SmtpWorldParts = { postgresAdminUrl?: string };

export const staffAddresses = { caseworker: 'caseworker@mkffi.example', headOfUnit: 'head-of-unit@mkffi.example' } as const;
export const mainContactAddress = (partner: number) => `main-${partner}@partner-${partner}.example`;
export const leadershipAddress = (partner: number) => `leadership-${partner}@partner-${partner}.example`;

/** The cycle every scenario runs: due 31.03.2027; by 03.05. every step of the standard policy went out. */
export const year = 2027;
export const cycleEnd = '2027-05-03T10:00:00Z';
/** Mails per partner that never submits under the standard policy (see test/workflows/annual-report.test.ts). */
export const mailsPerPartner = 8;

export type SmtpWorld = {
  db: Database;
  smtp: ScriptedSmtp;
  config: Config;
  /** Starts one report per partner, lets the cycle pass in skipped time and waits until every mail settled. */
  runCycle(): Promise<{ workflows: WorkflowHandle[]; settledAt: Date }>;
  stop(): Promise<void>;
};

export type SmtpWorldOptions = {
  partners: number;
  smtp: ScriptedSmtpOptions;
  /** What the worker logs in with (SMTP_USER/SMTP_PASSWORD); defaults to the server's login. */
  workerLogin?: { user: string; pass: string };
  parts?: SmtpWorldParts;
  log: (line: string) => void;
};

export async function startSmtpWorld(options: SmtpWorldOptions): Promise<SmtpWorld> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    const { db, url: databaseUrl } = await chaosDatabase(options.parts, stops);
    const smtp = await startScriptedSmtp(options.smtp);
    stops.push(smtp.stop);
    const login = options.workerLogin ?? options.smtp.login;
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      SMTP_URL: smtp.url,
      ...(login && { SMTP_USER: login.user, SMTP_PASSWORD: login.pass }),
      PARTNERFLOW_CACHE: process.env.PARTNERFLOW_CACHE,
    });
    const mailer = createMailer(config.smtp);
    stops.push(async () => mailer.close());
    await seedCycle(db, options.partners);
    const { env, dataConverter } = await startSkippedTime(config, db, stops);
    const { bundle } = await loadWorkflowBundle(config.binaries.cacheDir);
    const taskQueue = `chaos-smtp-${randomUUID()}`;
    const worker = await createPartnerflowWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      deps: { db, mailer, config, faults: noFaults },
      dataConverter,
      workflowBundle: bundle,
    });

    return {
      db,
      smtp,
      config,
      async runCycle() {
        return worker.runUntil(async () => {
          const workflows: WorkflowHandle[] = [];
          for (let partner = 1; partner <= options.partners; partner++) {
            workflows.push(await startAnnualReport(env.client, taskQueue, { partnerNumber: partner, year }));
          }
          options.log(`${workflows.length} annual reports started; letting the cycle pass`);
          await env.sleep(Date.parse(cycleEnd) - (await env.currentTimeMs()));
          const settledAt = await waitUntilSettled(db, options.partners * mailsPerPartner, options.log);
          return { workflows, settledAt };
        });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A fresh, migrated database on the given server, or on a PostgreSQL of its own. */
export async function chaosDatabase(parts: SmtpWorldParts | undefined, stops: (() => Promise<void>)[]): Promise<{ db: Database; url: string }> {
  const adminUrl = parts?.postgresAdminUrl ?? (await ownPostgres(stops));
  const url = await ensureDatabase(adminUrl, `pf_chaos_${randomBytes(6).toString('hex')}`);
  await migrateDatabase(url);
  const { db, close } = createDb(url);
  stops.push(close);
  return { db, url };
}

/** The time-skipping test server with our search attributes, and a client that encrypts like the product's. */
export async function startSkippedTime(config: Config, db: Database, stops: (() => Promise<void>)[]) {
  const dataConverter = partnerflowDataConverter({ payloadKeys: config.payloadKeys, partnerKeys: partnerDataKeyStore(db, config.payloadKeys) });
  const env = await startTimeSkippingServer(config.binaries.cacheDir, dataConverter);
  stops.push(() => env.teardown());
  return { env, dataConverter };
}

/** Until every intended mail has a final ledger state (sent, failed, or held for an address on hold); the time the last one got it. */
export async function waitUntilSettled(db: Database, intended: number, log: (line: string) => void): Promise<Date> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const rows = await db.select({ status: emailLedger.status }).from(emailLedger);
    const open = rows.filter((row) => row.status !== 'sent' && row.status !== 'failed' && row.status !== 'held').length;
    if (rows.length >= intended && open === 0) return new Date();
    if (Date.now() > deadline) {
      throw new Error(`mail did not settle within 120 s: ${rows.length} of ${intended} intended in the ledger, ${open} without an outcome`);
    }
    log(`waiting: ${rows.length}/${intended} in the ledger, ${open} open`);
    await sleep(500);
  }
}

/** Ministry staff, N partners with two contacts each, and the open cycle of `year`. */
export async function seedCycle(db: Database, partners: number, cycleYear = year): Promise<void> {
  const [caseworker] = await db
    .insert(staff)
    .values([
      { name: 'Jana Becker', email: staffAddresses.caseworker, role: 'caseworker' },
      { name: 'Dr. Murat Yilmaz', email: staffAddresses.headOfUnit, role: 'head_of_unit' },
    ])
    .returning();
  const rows = await db
    .insert(organisations)
    .values(
      Array.from({ length: partners }, (_, index) => ({
        number: index + 1,
        name: `Partnerkommune ${index + 1}`,
        kind: 'municipality' as const,
        status: 'active' as const,
        accessionDate: '2015-01-01',
        caseworkerId: caseworker?.id,
      })),
    )
    .returning({ id: organisations.id, number: organisations.number });
  await db.insert(contacts).values(
    rows.flatMap(({ id, number }) => [
      { organisationId: id, role: 'main_contact' as const, name: `Kontakt ${number}`, email: mainContactAddress(number) },
      { organisationId: id, role: 'leadership_signatory' as const, name: `Leitung ${number}`, email: leadershipAddress(number) },
    ]),
  );
  await db.insert(reportingCycles).values({
    year: cycleYear,
    periodStart: `${cycleYear - 1}-10-01`,
    periodEnd: `${cycleYear}-09-30`,
    dueDate: `${cycleYear}-03-31`,
    policy: defaultReportingPolicy,
    status: 'open',
  });
}

/** A throwaway PostgreSQL for a run of `npm run chaos` that was given none. */
export async function ownPostgres(stops: (() => Promise<void>)[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'partnerflow-chaos-pg-'));
  stops.push(() => rm(root, { recursive: true, force: true }));
  // mkdtemp makes the folder private to us; a server dropped to the postgres user must enter it.
  await chmod(root, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: join(root, 'data'), persistent: false });
  stops.push(server.stop);
  return server.adminUrl;
}

/** Ledger rows of the given addresses (or all), for counting. */
export async function ledgerOf(db: Database, addresses?: string[]) {
  const query = db.select().from(emailLedger);
  return addresses ? query.where(inArray(emailLedger.recipientEmail, addresses)) : query;
}
