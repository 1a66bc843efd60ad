/**
 * A partner's personal data: what the right of access exports, what erasure removes, what
 * retention purges. Personal here means about people: the partner's contacts (names, addresses),
 * who wrote a report, its unpublished text, what was mailed to whom. The organisation itself (a
 * public body) and the facts of the process (dates, states, references) stay.
 *
 * Erasure keeps accepted versions' content, because the compiled annual report published it, but
 * replaces their author (a person, not published); versions never accepted lose their content.
 */
import { and, eq, inArray, isNull, like, lt, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { annualReports, auditLog, contacts, emailLedger, organisations, partnerDataKeys, reportingCycles, reportVersions } from '../schema';
import { finalReportPhases } from '../../domain/report-phase';
import { recordAudit } from './audit';
import { deleteChapterFragments } from './chapter-fragments';
import { destroyPartnerDataKeys } from './partner-data-keys';

/** What stands in the place of erased data, so a reader sees that something was there. */
export const erasedMarker = 'erased';

export class PartnerNotFoundError extends Error {
  override readonly name = 'PartnerNotFoundError';
  readonly code = 'partner-not-found';
  constructor(readonly partnerNumber: number) {
    super(`partner ${partnerNumber}: no such partner`);
  }
}

export class ErasureRefusedError extends Error {
  override readonly name = 'ErasureRefusedError';
  readonly code = 'erasure-refused';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Everything stored about a partner, for the right of access (`partners export`). */
export async function exportPartner(db: DbOrTx, partnerNumber: number) {
  const organisation = await db.query.organisations.findFirst({
    where: eq(organisations.number, partnerNumber),
    with: { contacts: true },
  });
  if (!organisation) throw new PartnerNotFoundError(partnerNumber);
  const reports = await db.query.annualReports.findMany({
    where: eq(annualReports.organisationId, organisation.id),
    with: { cycle: { columns: { year: true } }, versions: { orderBy: (v, { asc }) => [asc(v.version)] } },
    orderBy: (r, { asc }) => [asc(r.id)],
  });
  const emails = await db.select().from(emailLedger).where(eq(emailLedger.organisationId, organisation.id)).orderBy(emailLedger.id);
  const audit = await db.select().from(auditLog).where(auditOf(organisation, reports, addressesOf(organisation.contacts))).orderBy(auditLog.id);
  const dataKeys = await db
    .select({ id: partnerDataKeys.id, createdAt: partnerDataKeys.createdAt, destroyedAt: partnerDataKeys.destroyedAt })
    .from(partnerDataKeys)
    .where(eq(partnerDataKeys.organisationId, organisation.id));
  const { contacts: people, ...partner } = organisation;
  return {
    exportedAt: new Date().toISOString(),
    partner,
    contacts: people,
    annualReports: reports.map(({ cycle, versions, ...report }) => ({ year: cycle.year, ...report, versions })),
    emails,
    audit,
    // Only that they exist and when they were destroyed: the keys themselves never leave the database.
    dataKeys,
  };
}
export type PartnerExport = Awaited<ReturnType<typeof exportPartner>>;

export type ErasureSummary = {
  partnerNumber: number;
  contactsRemoved: number;
  versionsErased: number;
  acceptedVersionsKept: number;
  emailsRedacted: number;
  auditEntriesRedacted: number;
  dataKeysDestroyed: number;
};

/**
 * Removes a partner's personal data in one transaction and destroys its data keys, so the copies
 * in Temporal histories can no longer be decrypted. Refused while one of its reports is still
 * open: its workflow would need the data it is about to lose.
 */
export async function erasePartner(
  db: DbOrTx,
  input: { partnerNumber: number; reason: string; actor: string; now?: Date },
): Promise<ErasureSummary> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [organisation] = await tx.select().from(organisations).where(eq(organisations.number, input.partnerNumber)).for('update');
    if (!organisation) throw new PartnerNotFoundError(input.partnerNumber);
    const reports = await tx
      .select({ id: annualReports.id, phase: annualReports.phase, workflowId: annualReports.workflowId, year: reportingCycles.year })
      .from(annualReports)
      .innerJoin(reportingCycles, eq(reportingCycles.id, annualReports.cycleId))
      .where(eq(annualReports.organisationId, organisation.id));
    const open = reports.filter((report) => !finalReportPhases.some((phase) => phase === report.phase));
    if (open.length > 0) {
      throw new ErasureRefusedError(
        open.map((r) => `report ${r.year}: still ${r.phase}; accept, waive or close it before erasing partner ${input.partnerNumber}`),
      );
    }

    const removedContacts = await tx.delete(contacts).where(eq(contacts.organisationId, organisation.id)).returning({ id: contacts.id, email: contacts.email });
    const reportIds = reports.map((r) => r.id);
    const erasedVersions = reportIds.length
      ? await tx
          .update(reportVersions)
          .set({ content: { [erasedMarker]: true, erasedAt: now.toISOString() }, reviewComment: null })
          .where(and(inArray(reportVersions.annualReportId, reportIds), ne(reportVersions.review, 'accepted')))
          .returning({ id: reportVersions.id })
      : [];
    const keptVersions = reportIds.length
      ? await tx
          .update(reportVersions)
          .set({ content: sql`jsonb_set(${reportVersions.content}, '{author}', ${JSON.stringify({ [erasedMarker]: true })}::jsonb)` })
          .where(and(inArray(reportVersions.annualReportId, reportIds), eq(reportVersions.review, 'accepted')))
          .returning({ id: reportVersions.id })
      : [];
    // Rendered copies of what the versions printed (the author's name among it) go with them.
    await deleteChapterFragments(tx, [...erasedVersions, ...keptVersions].map((v) => v.id));
    // Mail to the partner's people; mail about the partner to ministry staff names staff only.
    const redactedEmails = await tx
      .update(emailLedger)
      .set({ recipientEmail: erasedMarker, smtpResponse: null, lastError: null })
      .where(and(eq(emailLedger.organisationId, organisation.id), isNull(emailLedger.staffId)))
      .returning({ id: emailLedger.id });
    const redactedAudit = await tx
      .update(auditLog)
      .set({
        // Keeps the facts of the process; drops names, addresses, comments and reasons (a notice's
        // reason names the address that refused it).
        details: sql`case when jsonb_typeof(${auditLog.details}) = 'object' then (select coalesce(jsonb_object_agg(key, value), '{}'::jsonb) from jsonb_each(${auditLog.details}) where key in ('status', 'dueAt', 'escalationLevel', 'version', 'reference', 'number', 'date', 'milestoneId', 'template', 'role')) else ${auditLog.details} end`,
        actor: sql`case when ${auditLog.actor} in ('system', 'cli') or ${auditLog.actor} like 'workflow:%' or ${auditLog.actor} like 'staff:%' then ${auditLog.actor} else ${erasedMarker} end`,
        // A hold is filed under the address itself.
        entityId: sql`case when ${auditLog.entityType} = 'address' then ${erasedMarker} else ${auditLog.entityId} end`,
      })
      // An earlier erasure's own entry keeps its reason.
      .where(and(auditOf(organisation, reports, addressesOf(removedContacts)), ne(auditLog.action, 'partner.erased')))
      .returning({ id: auditLog.id });
    const dataKeysDestroyed = await destroyPartnerDataKeys(tx, organisation.id);

    const summary: ErasureSummary = {
      partnerNumber: input.partnerNumber,
      contactsRemoved: removedContacts.length,
      versionsErased: erasedVersions.length,
      acceptedVersionsKept: keptVersions.length,
      emailsRedacted: redactedEmails.length,
      auditEntriesRedacted: redactedAudit.length,
      dataKeysDestroyed,
    };
    await recordAudit(tx, {
      occurredAt: now,
      actor: input.actor,
      entityType: 'organisation',
      entityId: String(organisation.id),
      action: 'partner.erased',
      details: { ...summary, reason: input.reason },
    });
    return summary;
  });
}

export type PurgeSummary = { cutoff: string; emailsDeleted: number; versionsErased: number };

/**
 * Retention in PostgreSQL: after `years`, the record of mails sent (addresses) goes, and report
 * versions that were never accepted lose their content. Accepted reports and the audit log stay.
 * Run daily (`partnerflow retention purge`); running it again changes nothing.
 */
export async function purgeExpiredData(db: DbOrTx, input: { years: number; now?: Date; actor?: string }): Promise<PurgeSummary> {
  const now = input.now ?? new Date();
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - input.years);
  return db.transaction(async (tx) => {
    const emails = await tx.delete(emailLedger).where(lt(emailLedger.createdAt, cutoff)).returning({ id: emailLedger.id });
    const versions = await tx
      .update(reportVersions)
      .set({ content: { [erasedMarker]: true, erasedAt: now.toISOString() }, reviewComment: null })
      .where(
        and(
          lt(reportVersions.submittedAt, cutoff),
          ne(reportVersions.review, 'accepted'),
          sql`not (${reportVersions.content} ? ${erasedMarker})`,
        ),
      )
      .returning({ id: reportVersions.id });
    const summary = { cutoff: cutoff.toISOString(), emailsDeleted: emails.length, versionsErased: versions.length };
    if (emails.length + versions.length > 0) {
      await recordAudit(tx, {
        occurredAt: now,
        actor: input.actor ?? 'system',
        entityType: 'retention',
        entityId: summary.cutoff,
        action: 'retention.purged',
        details: summary,
      });
    }
    return summary;
  });
}

/**
 * The audit entries about a partner, under whatever they are filed: its organisation row, its
 * reports' workflows, its accession and lifecycle (by its number), the notices of its workflows
 * (by key prefix, which begins with the workflow's id, a resend's too) and holds on its people's
 * addresses (by the address).
 */
function auditOf(organisation: { id: number; number: number }, reports: { workflowId: string | null }[], addresses: string[]) {
  const workflowIds = reports.flatMap((r) => (r.workflowId ? [r.workflowId] : []));
  const number = organisation.number;
  return or(
    and(eq(auditLog.entityType, 'organisation'), eq(auditLog.entityId, String(organisation.id))),
    workflowIds.length ? and(eq(auditLog.entityType, 'annual_report'), inArray(auditLog.entityId, workflowIds)) : undefined,
    and(inArray(auditLog.entityType, ['accession', 'partner']), eq(auditLog.entityId, String(number))),
    and(
      eq(auditLog.entityType, 'notice'),
      or(...['annual-report', 'accession', 'lifecycle'].map((kind) => like(auditLog.entityId, `${kind}/${number}/%`))),
    ),
    addresses.length ? and(eq(auditLog.entityType, 'address'), inArray(auditLog.entityId, addresses)) : undefined,
  );
}

/** The addresses of a partner's people as holds file them (lower case). */
const addressesOf = (people: { email: string }[]) => [...new Set(people.map((person) => person.email.toLowerCase()))];
