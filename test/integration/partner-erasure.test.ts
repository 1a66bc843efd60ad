/**
 * `partnerflow partners export|erase` and `retention purge` on real PostgreSQL, as an admin types
 * them. The erasure of a partner's old histories is told in test/workflows/history-privacy.test.ts.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredData } from '../../src/db/queries/privacy';
import { annualReports, auditLog, contacts, emailLedger, reportingCycles, reportVersions } from '../../src/db/schema';
import { runPartnerflow, type CliResult } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { seedPartnerWithContacts } from '../support/privacy';

let database: TestDatabase;

const partnerflow = (...args: string[]): Promise<CliResult> => runPartnerflow(args, { DATABASE_URL: database.url });

/** A partner with a report of `year` in `phase`, one version per review given, and a mail to its main contact. */
async function partnerWithReport(number: number, year: number, phase: 'accepted' | 'overdue', reviews: ('accepted' | 'revision_requested')[]) {
  const { db } = database;
  const organisation = await seedPartnerWithContacts(db, { number });
  const [cycle] = await db
    .insert(reportingCycles)
    .values({ year, periodStart: `${year - 1}-10-01`, periodEnd: `${year}-09-30`, dueDate: `${year}-03-31`, policy: {}, status: 'open' })
    .onConflictDoNothing()
    .returning();
  const cycleId = cycle?.id ?? (await db.query.reportingCycles.findFirst({ where: eq(reportingCycles.year, year) }))!.id;
  const workflowId = `annual-report/${number}/${year}`;
  const [report] = await db
    .insert(annualReports)
    .values({ cycleId, organisationId: organisation.id, phase, dueAt: new Date(`${year}-03-31T21:59:59Z`), workflowId })
    .returning();
  for (const [index, review] of reviews.entries()) {
    await db.insert(reportVersions).values({
      annualReportId: report!.id,
      version: index + 1,
      reference: `JB-${year}-${number}-V${index + 1}`,
      submittedAt: new Date(`${year}-03-0${index + 1}T10:00:00Z`),
      content: { author: { name: 'Aylin Demir', role: 'Integrationsbeauftragte' }, narrative: `Bericht ${index + 1} über das Jahr ${year}` },
      review,
      reviewComment: review === 'revision_requested' ? 'Bitte ergänzen, Frau Demir.' : null,
    });
  }
  const [contact] = await db.select().from(contacts).where(eq(contacts.organisationId, organisation.id));
  await db.insert(emailLedger).values({
    idempotencyKey: `${workflowId}/invitation/${contact!.email}`,
    messageId: `${number}-${year}.invitation@example.org`,
    workflowId,
    organisationId: organisation.id,
    contactId: contact!.id,
    recipientEmail: contact!.email,
    template: 'report-invitation',
    subject: `Jahresbericht ${year}`,
    status: 'sent',
    createdAt: new Date(`${year}-02-17T08:00:00Z`),
  });
  await db.insert(auditLog).values({
    occurredAt: new Date(`${year}-03-01T10:00:00Z`),
    actor: 'Aylin Demir',
    entityType: 'annual_report',
    entityId: workflowId,
    action: 'report-submitted',
    details: { version: 1, reference: `JB-${year}-${number}-V1`, comment: 'eingereicht von Frau Demir' },
  });
  return organisation;
}

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

describe('partnerflow partners export and erase', () => {
  it('exports a partner with its people, reports and mail as JSON', async () => {
    await partnerWithReport(11, 2027, 'accepted', ['revision_requested', 'accepted']);
    const { code, stdout, stderr } = await partnerflow('partners', 'export', '11');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const exported = JSON.parse(stdout) as {
      partner: { number: number };
      contacts: { name: string }[];
      annualReports: { year: number; versions: { content: { narrative: string } }[] }[];
      emails: { recipientEmail: string }[];
    };
    expect(exported.partner.number).toBe(11);
    expect(exported.contacts.map((c) => c.name).sort()).toEqual(['Aylin Demir', 'Bernd Vogel']);
    expect(exported.annualReports[0]?.versions.map((v) => v.content.narrative)).toEqual(['Bericht 1 über das Jahr 2027', 'Bericht 2 über das Jahr 2027']);
    expect(exported.emails.map((e) => e.recipientEmail)).toEqual(['aylin.demir@stadt-11.example']);
  });

  it('erases the personal data, keeps the accepted version without its author, and audits the erasure', async () => {
    const organisation = await partnerWithReport(12, 2027, 'accepted', ['revision_requested', 'accepted']);
    const bystander = await partnerWithReport(13, 2027, 'accepted', ['accepted']);
    const { code, stdout } = await partnerflow('partners', 'erase', '12', '--reason', 'Austritt 2028', '--by', 'staff:admin');
    expect(code).toBe(0);
    expect(stdout).toContain('Erased partner 12: 2 contact(s) removed, 1 report version(s) erased');

    const { db } = database;
    expect(await db.select().from(contacts).where(eq(contacts.organisationId, organisation.id))).toEqual([]);
    const versions = await db
      .select({ content: reportVersions.content, comment: reportVersions.reviewComment })
      .from(reportVersions)
      .innerJoin(annualReports, eq(annualReports.id, reportVersions.annualReportId))
      .where(eq(annualReports.organisationId, organisation.id))
      .orderBy(reportVersions.version);
    expect(versions[0]).toMatchObject({ content: { erased: true }, comment: null });
    expect(versions[1]?.content).toEqual({ author: { erased: true }, narrative: 'Bericht 2 über das Jahr 2027' });
    expect((await db.select().from(emailLedger).where(eq(emailLedger.organisationId, organisation.id))).map((e) => e.recipientEmail)).toEqual(['erased']);
    const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, 'annual-report/12/2027'));
    expect(audit.map((a) => [a.actor, a.details])).toEqual([['erased', { version: 1, reference: 'JB-2027-12-V1' }]]);
    const [erasure] = await db.select().from(auditLog).where(eq(auditLog.action, 'partner.erased'));
    expect(erasure).toMatchObject({ actor: 'staff:admin', entityId: String(organisation.id), details: { reason: 'Austritt 2028', contactsRemoved: 2 } });

    // Another partner is untouched.
    expect((await db.select().from(contacts).where(eq(contacts.organisationId, bystander.id))).length).toBe(2);
    expect((await db.select().from(auditLog).where(eq(auditLog.entityId, 'annual-report/13/2027')))[0]?.actor).toBe('Aylin Demir');
  });

  it('redacts its audit entries wherever they are filed: accession, lifecycle, notices, holds on its addresses; another partner\'s stay', async () => {
    const { db } = database;
    /** What the workflows and holds file about partner `n`, as they file it. */
    const filed = (n: number) => [
      { entityType: 'accession', entityId: String(n), action: 'declaration-submitted', actor: 'Aylin Demir', details: { status: 'submitted', comment: 'von Frau Demir' } },
      { entityType: 'partner', entityId: String(n), action: 'contact-changed', actor: 'staff:1', details: { role: 'main_contact', name: 'Aylin Demir' } },
      {
        entityType: 'notice',
        entityId: `accession/${n}/declaration/invitation#0`,
        action: 'notice-gave-up',
        actor: 'system',
        details: { workflowId: `accession/${n}`, template: 'declaration-invitation', reason: `aylin.demir@stadt-${n}.example: 450 Mailbox busy` },
      },
      { entityType: 'address', entityId: `aylin.demir@stadt-${n}.example`, action: 'address-hold-released', actor: 'staff:1', details: { contactIds: [1] } },
    ];
    await partnerWithReport(16, 2027, 'accepted', ['accepted']);
    await partnerWithReport(17, 2027, 'accepted', ['accepted']);
    await db.insert(auditLog).values([...filed(16), ...filed(17)].map((entry) => ({ ...entry, occurredAt: new Date('2027-04-01T10:00:00Z') })));
    const exported = JSON.parse((await partnerflow('partners', 'export', '16')).stdout) as { audit: { entityType: string }[] };
    expect(exported.audit.map((entry) => entry.entityType).sort()).toEqual(['accession', 'address', 'annual_report', 'notice', 'partner']);

    expect((await partnerflow('partners', 'erase', '16', '--reason', 'Austritt', '--by', 'staff:admin')).code).toBe(0);
    const entries = async (n: number) =>
      (await db.select().from(auditLog).orderBy(auditLog.id))
        .filter((entry) => entry.entityType !== 'annual_report' && entry.entityType !== 'organisation')
        .filter((entry) => entry.entityId === String(n) || entry.entityId.includes(`/${n}/`) || entry.entityId.includes(`stadt-${n}.`) || (n === 16 && entry.entityId === 'erased'))
        .map((entry) => ({ entityType: entry.entityType, entityId: entry.entityId, actor: entry.actor, details: entry.details }));
    expect(await entries(16)).toEqual([
      { entityType: 'accession', entityId: '16', actor: 'erased', details: { status: 'submitted' } },
      { entityType: 'partner', entityId: '16', actor: 'staff:1', details: { role: 'main_contact' } },
      { entityType: 'notice', entityId: 'accession/16/declaration/invitation#0', actor: 'system', details: { template: 'declaration-invitation' } },
      { entityType: 'address', entityId: 'erased', actor: 'staff:1', details: {} },
    ]);
    expect(await entries(17)).toEqual(filed(17).map(({ action: _action, ...entry }) => entry));
  });

  it('refuses to erase a partner whose report is still open, and changes nothing', async () => {
    const organisation = await partnerWithReport(14, 2028, 'overdue', ['revision_requested']);
    const { code, stderr } = await partnerflow('partners', 'erase', '14', '--reason', 'Antrag');
    expect(code).toBe(1);
    expect(stderr).toContain('report 2028: still overdue; accept, waive or close it before erasing partner 14');
    expect((await database.db.select().from(contacts).where(eq(contacts.organisationId, organisation.id))).length).toBe(2);
    expect(await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'partner.erased'), eq(auditLog.entityId, String(organisation.id))))).toEqual([]);
  });

  it('names a partner that does not exist', async () => {
    const { code, stderr } = await partnerflow('partners', 'erase', '999', '--reason', 'Test');
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('partner 999: no such partner');
  });
});

describe('retention purge', () => {
  it('removes old mail records and never-accepted versions, keeps accepted ones, and is idempotent', async () => {
    await partnerWithReport(21, 2016, 'accepted', ['revision_requested', 'accepted']);
    const { db } = database;
    const now = new Date('2027-06-01T00:00:00Z');
    const first = await purgeExpiredData(db, { years: 10, now });
    expect(first).toEqual({ cutoff: '2017-06-01T00:00:00.000Z', emailsDeleted: 1, versionsErased: 1 });
    expect(await db.select().from(emailLedger).where(eq(emailLedger.workflowId, 'annual-report/21/2016'))).toEqual([]);
    const versions = await db
      .select({ content: reportVersions.content })
      .from(reportVersions)
      .where(eq(reportVersions.reference, 'JB-2016-21-V2'));
    expect(versions[0]?.content).toMatchObject({ narrative: 'Bericht 2 über das Jahr 2016' });
    // The 2027 reports of the other tests are younger than ten years.
    expect(await db.$count(emailLedger)).toBeGreaterThan(0);
    expect(await purgeExpiredData(db, { years: 10, now })).toEqual({ cutoff: '2017-06-01T00:00:00.000Z', emailsDeleted: 0, versionsErased: 0 });
  });
});
