/**
 * Staff are emailed the compiled annual report: real PostgreSQL, a real compilation, real SMTP.
 * Three partners (one accepted, one overdue, one never asked); a caseworker reading German, a
 * head of unit reading English, an admin and a former caseworker who are not emailed.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompilationActivities, type CompiledReportVersion } from '../../activities/compilation';
import { createCompilationMailActivities, type CompiledReportMailing } from '../../activities/compilation-mail';
import { loadConfig } from '../../src/config';
import { insertReportVersion, saveReportState, setReview, upsertCycle } from '../../src/db/queries/reporting';
import { emailLedger, organisations, reportingCycles, staff } from '../../src/db/schema';
import { defaultReportingPolicy } from '../../src/domain/default-policy';
import { attachmentsOf, compiledReportEmail } from '../../src/email/compiled-report-mail';
import { noFaults } from '../../src/faults';
import { readFixture } from '../support/compiled-report-world';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { header, startTestMail, type TestMail } from '../support/mail';

const run = promisify(execFile);
const year = 2026;
const caseworker = { name: 'Jana Becker', email: 'jana.becker@mkffi.example', role: 'caseworker' as const, language: 'de' as const };
const headOfUnit = { name: 'Dr. Murat Yilmaz', email: 'referatsleitung@mkffi.example', role: 'head_of_unit' as const, language: 'en' as const };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let database: TestDatabase;
let mail: TestMail;
let dataDir: string;
let config: ReturnType<typeof loadConfig>;
let compiled: CompiledReportVersion;
let mailing: CompiledReportMailing;
const staffIds = new Map<string, number>();

beforeAll(async () => {
  database = await createTestDatabase();
  mail = await startTestMail();
  dataDir = mkdtempSync(join(tmpdir(), 'partnerflow-mail-data-'));
  config = loadConfig({ DATABASE_URL: database.url, SMTP_URL: mail.smtp.url, PARTNERFLOW_DATA_DIR: dataDir });
  const { db } = database;
  const people = await db
    .insert(staff)
    .values([
      caseworker,
      headOfUnit,
      { name: 'Admin', email: 'admin@mkffi.example', role: 'admin' },
      { name: 'Former Caseworker', email: 'former@mkffi.example', role: 'caseworker', active: false },
    ])
    .returning({ id: staff.id, email: staff.email });
  for (const person of people) staffIds.set(person.email, person.id);
  const partners = await db
    .insert(organisations)
    .values([
      { number: 2, name: 'Kreis Lippe', kind: 'district', status: 'active', accessionDate: '2012-08-15' },
      { number: 3, name: 'Stadt Bielefeld', kind: 'municipality', status: 'active', accessionDate: '2013-01-10' },
      { number: 4, name: 'Caritasverband Unna', kind: 'association', status: 'active', accessionDate: '2014-05-01' },
    ])
    .returning({ id: organisations.id, number: organisations.number });
  await upsertCycle(db, { year, periodStart: `${year}-01-01`, periodEnd: `${year}-12-31`, dueDate: `${year + 1}-03-31`, policy: defaultReportingPolicy, open: true });
  const [cycle] = await db.select({ id: reportingCycles.id }).from(reportingCycles).where(eq(reportingCycles.year, year));
  const idOf = (number: number) => partners.find((p) => p.number === number)?.id ?? 0;
  const dueAt = new Date(`${year + 1}-03-31T21:59:59.999Z`);
  const accepted = await saveReportState(db, { cycleId: cycle?.id ?? 0, organisationId: idOf(2), phase: 'accepted', dueAt, escalationLevel: 0, workflowId: `annual-report/2/${year}` });
  await insertReportVersion(db, { annualReportId: accepted, version: 1, reference: `JB-${year}-2-V1`, submittedAt: new Date(`${year + 1}-03-10T09:00:00Z`), content: readFixture('minimal.json') });
  await setReview(db, { annualReportId: accepted, version: 1, review: 'accepted', comment: undefined, reviewedAt: new Date(`${year + 1}-03-12T09:00:00Z`) });
  await saveReportState(db, { cycleId: cycle?.id ?? 0, organisationId: idOf(3), phase: 'overdue', dueAt, escalationLevel: 1, workflowId: `annual-report/3/${year}` });

  compiled = await createCompilationActivities({ db, config }).compileAnnualReport({ year, asOf: `${year + 1}-04-30`, requestId: 'first' });
  mailing = await mailActivities().emailCompiledReport({ year, version: compiled.version });
}, 180_000);

afterAll(async () => {
  await mail?.stop();
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function mailActivities() {
  return createCompilationMailActivities({ db: database.db, mailer: mail.mailer, config, faults: noFaults });
}

const to = (address: string) => mail.catcher.messages.filter((m) => m.envelope.to.includes(address));

describe('staff emailed the compiled report', () => {
  it('reaches each active caseworker and head of unit once, in their language, with the counts and the missing partners by name', () => {
    expect(compiled).toMatchObject({ version: 1, partners: 3, chapters: 1 });
    expect(mailing).toEqual({
      year,
      version: 1,
      deliveries: [
        { staffId: staffIds.get(caseworker.email), status: 'sent' },
        { staffId: staffIds.get(headOfUnit.email), status: 'sent' },
      ],
    });
    expect(mail.catcher.messages).toHaveLength(2);

    const [german] = to(caseworker.email);
    expect(german?.subject).toBe('Jahresbericht 2026 zusammengestellt (Version 1): 1 von 3 Berichten enthalten');
    expect(german?.text).toBe(
      [
        'Guten Tag Jana Becker,',
        '',
        'der Gesamtbericht 2026 ist als Version 1 zusammengestellt worden. Frühere Versionen bleiben erhalten.',
        '',
        'Version: 1\nStand: 30.04.2027\nPartner im Bericht: 3\nEnthaltene Berichte: 1\nNicht enthalten: 2',
        '',
        'Nicht enthalten sind die Berichte dieser Partner:\n- 3 Stadt Bielefeld: überfällig\n- 4 Caritasverband Unna: nicht angefordert',
        '',
        `Im Anhang: ${compiled.artefacts.filter((a) => a.format === 'pdf' || a.format === 'docx').map((a) => a.fileName).join(', ')}.`,
        '',
        'Diese Nachricht wurde von Partnerflow automatisch erstellt.',
        '',
        'Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen',
        '',
      ].join('\n'),
    );
    expect(header(german as NonNullable<typeof german>, 'content-language')).toBe('de');

    const [english] = to(headOfUnit.email);
    expect(english?.subject).toBe('Annual report 2026 compiled (version 1): 1 of 3 reports included');
    expect(english?.text).toContain('The reports of these partners are not included:\n- 3 Stadt Bielefeld: overdue\n- 4 Caritasverband Unna: not requested');
    expect(english?.text).toContain('As of: 30 April 2027');
    expect(to('admin@mkffi.example')).toEqual([]);
    expect(to('former@mkffi.example')).toEqual([]);
  });

  it('attaches the PDF and the DOCX exactly as stored, and nothing else', () => {
    const stored = compiled.artefacts.filter((a) => a.format === 'pdf' || a.format === 'docx');
    for (const message of mail.catcher.messages) {
      expect(message.attachments.map((a) => ({ name: a.filename, type: a.contentType, sha256: sha256(a.content) }))).toEqual(
        stored.map((a) => ({
          name: a.fileName,
          type: a.format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          sha256: a.sha256,
        })),
      );
    }
  });

  it('keeps one ledger row per staff member and version, whose Message-ID the mail carries', async () => {
    const rows = await database.db.select().from(emailLedger).where(like(emailLedger.idempotencyKey, 'compiled-report/%')).orderBy(emailLedger.id);
    expect(rows.map((r) => ({ key: r.idempotencyKey, template: r.template, status: r.status, to: r.recipientEmail, staffId: r.staffId }))).toEqual([
      { key: `compiled-report/${year}/v1/staff/${staffIds.get(caseworker.email)}`, template: 'compiled-report-ready', status: 'sent', to: caseworker.email, staffId: staffIds.get(caseworker.email) },
      { key: `compiled-report/${year}/v1/staff/${staffIds.get(headOfUnit.email)}`, template: 'compiled-report-ready', status: 'sent', to: headOfUnit.email, staffId: staffIds.get(headOfUnit.email) },
    ]);
    expect(mail.catcher.messages.map((m) => m.messageId).sort()).toEqual(rows.map((r) => r.messageId).sort());
  });

  it('sends nothing twice when asked again for the same version (a retried activity)', async () => {
    const again = await mailActivities().emailCompiledReport({ year, version: 1 });
    expect(again.deliveries.map((d) => d.status)).toEqual(['already-sent', 'already-sent']);
    expect(mail.catcher.messages).toHaveLength(2);
  });

  it('refuses a version that does not exist, without retrying', async () => {
    await expect(mailActivities().emailCompiledReport({ year, version: 9 })).rejects.toMatchObject({
      nonRetryable: true,
      message: `version: no compiled report ${year} version 9`,
    });
  });

  it('names the files on the server instead of attaching them when they are too large to mail', () => {
    const files = attachmentsOf(compiled, 1_000);
    expect(files.attach).toEqual([]);
    expect(files.tooLarge.map((a) => a.format)).toEqual(['pdf', 'docx']);
    const email = compiledReportEmail(compiled, { id: 1, ...caseworker }, {
      attach: [],
      tooLarge: files.tooLarge.map((a) => ({ fileName: a.fileName, path: join(compiled.dir, a.fileName), bytes: 12_345_678 })),
    });
    expect(email.attachments).toBeUndefined();
    expect(email.text).toContain(
      `Zu groß für den Versand per E-Mail, abgelegt auf dem Server:\n- ${join(compiled.dir, files.tooLarge[0]?.fileName ?? '')} (12,3 MB)`,
    );
  });

  it('`partnerflow cycle compile` emails the new version; `cycle email` sends it again to nobody', async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: database.url, SMTP_URL: mail.smtp.url, PARTNERFLOW_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    const { stdout } = await run('node', ['bin/partnerflow.js', 'cycle', 'compile', '--year', String(year), '--as-of', `${year + 1}-05-15`, '--json'], { env, timeout: 120_000 });
    const printed = JSON.parse(stdout) as CompiledReportVersion & { emailed: CompiledReportMailing['deliveries'] };
    expect(printed.version).toBe(2);
    expect(printed.emailed.map((d) => d.status)).toEqual(['sent', 'sent']);
    // The text formats were stored first, the PDF and DOCX after: both moments printed.
    const timing = printed as unknown as { textFormatsReadyAfter: number; archiveFormatsReadyAfter: number };
    expect(timing.textFormatsReadyAfter).toBeGreaterThan(0);
    expect(timing.archiveFormatsReadyAfter).toBeGreaterThanOrEqual(timing.textFormatsReadyAfter);
    expect(printed.formats).toMatchObject({ pdf: { state: 'ready' }, docx: { state: 'ready' }, html: { state: 'ready' } });
    expect(to(caseworker.email).map((m) => m.subject)).toEqual([
      'Jahresbericht 2026 zusammengestellt (Version 1): 1 von 3 Berichten enthalten',
      'Jahresbericht 2026 zusammengestellt (Version 2): 1 von 3 Berichten enthalten',
    ]);

    const again = await run('node', ['bin/partnerflow.js', 'cycle', 'email', '--year', String(year), '--version', '2'], { env, timeout: 60_000 });
    expect(again.stdout).toBe('Emailed version 2 to 0 staff member(s); 2 had it already.\n');
    expect(mail.catcher.messages).toHaveLength(4);

    const quiet = await run('node', ['bin/partnerflow.js', 'cycle', 'compile', '--year', String(year), '--no-email'], { env, timeout: 120_000 });
    expect(quiet.stdout).toContain('version 3');
    expect(quiet.stdout).toMatch(/^Text formats and figures of version 3 ready after [\d.]+ s \(.+\); typesetting PDF and DOCX …\nPDF and DOCX ready after [\d.]+ s\.\n/);
    expect(quiet.stdout).not.toContain('Emailed');
    expect(mail.catcher.messages).toHaveLength(4);
  }, 240_000);

  it('waits for the PDF and DOCX: refused (not retried) while they are typeset, sent with them attached once they are ready', async () => {
    const activities = createCompilationActivities({ db: database.db, config });
    const stored = await activities.compileAnnualReport({ year, asOf: `${year + 1}-05-20`, requestId: 'archive-follows', archiveFormats: 'follow' });
    const sentBefore = mail.catcher.messages.length;
    await expect(mailActivities().emailCompiledReport({ year, version: stored.version })).rejects.toMatchObject({
      nonRetryable: true,
      type: 'ArchiveFormatsNotReady',
      message: `version: the PDF and DOCX of ${year} version ${stored.version} are still being typeset`,
    });
    expect(mail.catcher.messages).toHaveLength(sentBefore);
    const ready = await activities.typesetArchiveFormats({ year, version: stored.version });
    const mailed = await mailActivities().emailCompiledReport({ year, version: stored.version });
    expect(mailed.deliveries.map((d) => d.status)).toEqual(['sent', 'sent']);
    const archive = ready.artefacts.filter((a) => a.format === 'pdf' || a.format === 'docx');
    expect(archive.map((a) => a.format)).toEqual(['pdf', 'docx']);
    for (const message of mail.catcher.messages.slice(sentBefore)) {
      expect(message.attachments.map((a) => ({ name: a.filename, sha256: sha256(a.content) }))).toEqual(archive.map((a) => ({ name: a.fileName, sha256: a.sha256 })));
    }
  }, 120_000);
});
