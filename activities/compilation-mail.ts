/** Telling staff that a compiled annual report is ready: one email per staff member and version. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { findCompiledReport } from '../src/db/queries/compilation';
import { archiveState } from '../src/documents/format-states';
import { listActiveStaff, type StaffRole } from '../src/db/queries/staff';
import { attachmentsOf, compiledReportEmail } from '../src/email/compiled-report-mail';
import { ClaimedElsewhereError, deliverOnce, type DeliveryOutcome } from '../src/email/ledger';
import { SmtpOutcomeUnknownError, SmtpPermanentError, SmtpTransientError } from '../src/email/transport';
import type { ActivityDeps } from './deps';
import { keepAlive, type KeepAlive } from './keep-alive';

/** Who runs the cycle and is told of its result; admins keep the system, not the reports. */
export const compiledReportRecipients: StaffRole[] = ['caseworker', 'head_of_unit'];

const contentTypes: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export type CompiledReportMailing = { year: number; version: number; deliveries: { staffId: number; status: DeliveryOutcome['status'] }[] };

export function createCompilationMailActivities({ db, mailer, config, faults }: ActivityDeps) {
  const dataDir = resolve(config.dataDir);
  return {
    /**
     * Emails the stored version to every active caseworker and head of unit. Safe to retry and to
     * call again: each email's ledger key is the year, the version and the staff member.
     */
    async emailCompiledReport(input: { year: number; version: number }): Promise<CompiledReportMailing> {
      // Kept alive from the start: its workflow notices a dead worker by a 5 s heartbeat timeout.
      const alive = keepAlive();
      try {
        return await emailOnce(input, alive);
      } finally {
        alive.stop();
      }
    },
  };

  async function emailOnce(input: { year: number; version: number }, alive: KeepAlive): Promise<CompiledReportMailing> {
    const row = await findCompiledReport(db, input.year, input.version);
    if (!row) throw ApplicationFailure.nonRetryable(`version: no compiled report ${input.year} version ${input.version}`, 'CompiledReportNotFound');
    // The email carries the PDF and DOCX: it waits for them (typesetArchiveFormats), never goes without.
    const archive = archiveState(row.formats);
    if (archive.state !== 'ready') {
      const why = archive.state === 'failed' ? `failed: ${archive.reason}` : 'are still being typeset';
      throw ApplicationFailure.nonRetryable(`version: the PDF and DOCX of ${input.year} version ${input.version} ${why}`, 'ArchiveFormatsNotReady');
    }
    const dir = join(dataDir, row.storageDir);
    const { attach, tooLarge } = attachmentsOf(row);
    const files = {
      attach: await Promise.all(
        attach.map(async (a) => ({ fileName: a.fileName, content: await readFile(join(dir, a.fileName)), contentType: contentTypes[a.format] ?? 'application/octet-stream' })),
      ),
      tooLarge: tooLarge.map((a) => ({ fileName: a.fileName, path: join(dir, a.fileName), bytes: a.bytes })),
    };
    const deliveries: CompiledReportMailing['deliveries'] = [];
    const transientFailures: string[] = [];
    // One at a time: a handful of staff, and each email may carry megabytes.
    for (const person of await listActiveStaff(db, compiledReportRecipients)) {
      alive.working(person.id);
      try {
        const outcome = await deliverOnce({ db, mailer, faults }, compiledReportEmail(row, person, files));
        deliveries.push({ staffId: person.id, status: outcome.status });
      } catch (error) {
        // A refused address is an answer (the ledger row says 'failed'); the others still get theirs.
        if (error instanceof SmtpPermanentError) deliveries.push({ staffId: person.id, status: 'failed' });
        else if (error instanceof SmtpTransientError || error instanceof SmtpOutcomeUnknownError || error instanceof ClaimedElsewhereError) {
          transientFailures.push(`${person.email}: ${error.message}`);
        } else throw error;
      }
    }
    if (transientFailures.length > 0) {
      // Retryable: the next attempt's ledger skips whoever already has the email.
      throw ApplicationFailure.retryable(`SMTP failed temporarily for ${transientFailures.length} recipient(s):\n${transientFailures.join('\n')}`, 'SmtpTransient');
    }
    return { year: row.year, version: row.version, deliveries };
  }
}
