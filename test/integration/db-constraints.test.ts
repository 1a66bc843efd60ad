import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/db/queries/audit';
import {
  accessions,
  agreements,
  annualReports,
  auditLog,
  contacts,
  emailLedger,
  organisations,
  reportVersions,
  reportingCycles,
  signatures,
} from '../../src/db/schema';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** Runs `write` and returns the name of the constraint PostgreSQL rejected it with. */
async function violatedConstraint(write: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await write();
  } catch (error) {
    // Drizzle wraps driver errors; the PostgreSQL error is the cause.
    const cause = (error as { cause?: unknown }).cause ?? error;
    if (cause instanceof postgres.PostgresError) return cause.constraint_name;
    throw error;
  }
  return undefined;
}

describe('database invariants', () => {
  let t: TestDatabase;
  let organisationId: number;

  beforeAll(async () => {
    t = await createTestDatabase();
    const [org] = await t.db
      .insert(organisations)
      .values({ number: 1, name: 'Kreis Lippe', kind: 'district', status: 'active', accessionDate: '2012-08-15' })
      .returning();
    organisationId = org!.id;
  });
  afterAll(() => t?.drop());

  const ledgerEntry = (key: string, messageId: string) => ({
    idempotencyKey: key,
    messageId,
    recipientEmail: 'ikoe@kreis-lippe.example',
    template: 'report-invitation',
    subject: 'Einladung zum Jahresbericht 2019',
  });

  it('rejects a second ledger row with the same idempotency key, and one with the same Message-ID', async () => {
    await t.db.insert(emailLedger).values(ledgerEntry('report-2019-1/invitation/main', '<a@partnerflow>'));
    expect(
      await violatedConstraint(() =>
        t.db.insert(emailLedger).values(ledgerEntry('report-2019-1/invitation/main', '<b@partnerflow>')),
      ),
    ).toBe('email_ledger_idempotency_key_unique');
    expect(
      await violatedConstraint(() =>
        t.db.insert(emailLedger).values(ledgerEntry('report-2019-1/reminder/main', '<a@partnerflow>')),
      ),
    ).toBe('email_ledger_message_id_unique');
    const [row] = await t.db.select().from(emailLedger);
    expect(row).toMatchObject({ status: 'pending', attempts: 0, claimedAt: null, sentAt: null });
  });

  it('records an audit event once when a retried activity repeats its event key', async () => {
    const entry = {
      occurredAt: new Date('2019-10-01T08:00:00Z'),
      actor: 'workflow:annual-report-2019-1',
      entityType: 'annual_report',
      entityId: '1',
      action: 'reminder.sent',
      eventKey: 'annual-report-2019-1/reminder/1',
    };
    await recordAudit(t.db, entry);
    await recordAudit(t.db, { ...entry, details: { attempt: 2 } });
    await recordAudit(t.db, { ...entry, eventKey: undefined });
    await recordAudit(t.db, { ...entry, eventKey: undefined });

    const rows = await t.db.select().from(auditLog).where(eq(auditLog.action, 'reminder.sent'));
    expect(rows.map((r) => [r.eventKey, r.details])).toEqual([
      ['annual-report-2019-1/reminder/1', null],
      [null, null],
      [null, null],
    ]);
  });

  it('keeps one partner per number and one contact per role', async () => {
    expect(
      await violatedConstraint(() =>
        t.db.insert(organisations).values({ number: 1, name: 'Doppelt', kind: 'district' }),
      ),
    ).toBe('organisations_number_unique');
    const contact = { organisationId, role: 'main_contact' as const, name: 'Jonas Schneider', email: 'a@x.example' };
    await t.db.insert(contacts).values(contact);
    expect(await violatedConstraint(() => t.db.insert(contacts).values(contact))).toBe(
      'contacts_organisation_role_unique',
    );
  });

  it('refuses an active partner without a date of accession', async () => {
    expect(
      await violatedConstraint(() =>
        t.db.insert(organisations).values({ number: 2, name: 'Kreis Soest', kind: 'district', status: 'active' }),
      ),
    ).toBe('organisations_member_has_accession_date');
    await t.db.insert(organisations).values({ number: 2, name: 'Kreis Soest', kind: 'district', status: 'invited' });
  });

  it('keeps one report per partner and cycle, and numbers its versions uniquely', async () => {
    const [cycle] = await t.db
      .insert(reportingCycles)
      .values({ year: 2019, periodStart: '2018-10-01', periodEnd: '2019-09-30', dueDate: '2019-10-31', policy: {} })
      .returning();
    const report = { cycleId: cycle!.id, organisationId, dueAt: new Date('2019-10-31T22:59:59Z') };
    const [annual] = await t.db.insert(annualReports).values(report).returning();
    expect(annual).toMatchObject({ phase: 'pending', escalationLevel: 0 });
    expect(await violatedConstraint(() => t.db.insert(annualReports).values(report))).toBe(
      'annual_reports_cycle_organisation_unique',
    );

    const version = {
      annualReportId: annual!.id,
      version: 1,
      reference: 'PF-2019-0001-1',
      submittedAt: new Date('2019-10-20T10:00:00Z'),
      content: { sections: [] },
    };
    await t.db.insert(reportVersions).values(version);
    expect(
      await violatedConstraint(() => t.db.insert(reportVersions).values({ ...version, reference: 'PF-2019-0001-1b' })),
    ).toBe('report_versions_report_version_unique');
    expect(await violatedConstraint(() => t.db.insert(reportVersions).values({ ...version, version: 2 }))).toBe(
      'report_versions_reference_unique',
    );
  });

  it('takes one signature per side of an agreement and allows one accession in progress per organisation', async () => {
    const [accession] = await t.db.insert(accessions).values({ organisationId }).returning();
    expect(
      await violatedConstraint(() => t.db.insert(accessions).values({ organisationId })),
    ).toBe('accessions_one_in_progress');
    const [agreement] = await t.db
      .insert(agreements)
      .values({
        accessionId: accession!.id,
        initiativeName: 'Erfolgsfaktor Interkulturelle Öffnung – NRW stärkt Vielfalt!',
        partnerSignatoryRole: 'Landrat',
        stateSignatoryName: 'Serap Güler',
        stateSignatoryRole: 'Staatssekretärin für Integration',
        ministry: 'Ministerium für Kinder, Familie, Flüchtlinge und Integration',
      })
      .returning();
    const signature = {
      agreementId: agreement!.id,
      party: 'state' as const,
      signerName: 'Serap Güler',
      signerRole: 'Staatssekretärin für Integration',
      signedAt: new Date('2018-09-13T10:00:00Z'),
    };
    await t.db.insert(signatures).values(signature);
    await t.db
      .insert(signatures)
      .values({ ...signature, party: 'partner', signerName: 'Dr. Karin Albrecht', signerRole: 'Landrätin' });
    expect(await violatedConstraint(() => t.db.insert(signatures).values(signature))).toBe(
      'signatures_agreement_party_unique',
    );

    await t.db.update(accessions).set({ status: 'withdrawn' }).where(eq(accessions.id, accession!.id));
    await t.db.insert(accessions).values({ organisationId });
  });

  it('sets updatedAt from the database clock when a row changes', async () => {
    const [before] = await t.db.select().from(organisations).where(eq(organisations.id, organisationId));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [after] = await t.db
      .update(organisations)
      .set({ reportHeading: 'Bericht des Kreises Lippe' })
      .where(eq(organisations.id, organisationId))
      .returning();
    expect(after!.updatedAt.getTime()).toBeGreaterThan(before!.updatedAt.getTime());
    expect(after!.createdAt).toEqual(before!.createdAt);
  });
});
