/**
 * The staff email about a compiled annual report: one per staff member and version, through the
 * ledger (key compiled-report/<year>/v<version>/staff/<id>), with the PDF and DOCX attached
 * unless they are too large for mail servers, in which case it names where they lie.
 */
import { compiledReportMailKeyPrefix, compiledReportTemplate } from '../domain/compiled-report-mail';
import type { MissingReport } from '../documents/model';
import type { Artefact } from '../documents/render/index';
import { compiledReportMailContextSchema, type CompiledReportMailContext } from './compiled-report-context';
import { noticeHtml } from './html';
import type { LedgerEmail } from './ledger';
import type { NoticeLanguage } from './notice-context';
import * as de from './templates/de/compiled-report-ready';
import * as en from './templates/en/compiled-report-ready';
import type { EmailAttachment } from './transport';
import * as deCommon from './templates/de/common';
import * as enCommon from './templates/en/common';

/** The formats staff read and edit; the others (HTML, CSV, …) stay on the server with them. */
export const attachedFormats = ['pdf', 'docx'] as const;

/**
 * Base64 makes attachments a third larger and many mail servers refuse messages over 20–25 MB:
 * above this total the files are named, not attached.
 */
export const attachmentLimitBytes = 10_000_000;

const templates = { de, en } satisfies Record<NoticeLanguage, unknown>;
const imprints = { de: deCommon.imprint, en: enCommon.imprint } satisfies Record<NoticeLanguage, string>;

/** What the email tells of a stored compiled version. */
export type CompiledVersionFacts = {
  year: number;
  version: number;
  asOf: string;
  partners: number;
  chapters: number;
  missing: MissingReport[];
  artefacts: Artefact[];
};

export type StaffRecipient = { id: number; name: string; email: string; language: NoticeLanguage; role: string };

/** The files of a version to attach: PDF and DOCX, if together they stay under the limit; else none. */
export function attachmentsOf(version: Pick<CompiledVersionFacts, 'artefacts'>, limit = attachmentLimitBytes) {
  const wanted = version.artefacts.filter((a) => (attachedFormats as readonly string[]).includes(a.format));
  const total = wanted.reduce((sum, a) => sum + a.bytes, 0);
  return total <= limit ? { attach: wanted, tooLarge: [] } : { attach: [], tooLarge: wanted };
}

/** The ledger email for one staff member; `files` holds the attached artefacts' contents. */
export function compiledReportEmail(
  version: CompiledVersionFacts,
  recipient: StaffRecipient,
  files: { attach: { fileName: string; content: Buffer; contentType: string }[]; tooLarge: { fileName: string; path: string; bytes: number }[] },
): LedgerEmail {
  const ctx: CompiledReportMailContext = compiledReportMailContextSchema.parse({
    recipientName: recipient.name,
    year: version.year,
    version: version.version,
    asOf: version.asOf,
    partners: version.partners,
    chapters: version.chapters,
    missing: version.missing,
    attached: files.attach.map((f) => f.fileName),
    onServer: files.tooLarge,
  });
  const template = templates[recipient.language];
  const text = template.text(ctx);
  const attachments: EmailAttachment[] = files.attach.map((f) => ({ filename: f.fileName, content: f.content, contentType: f.contentType }));
  return {
    idempotencyKey: `${compiledReportMailKeyPrefix(version.year, version.version)}/staff/${recipient.id}`,
    template: compiledReportTemplate,
    language: recipient.language,
    recipientRole: recipient.role,
    staffId: recipient.id,
    to: { name: recipient.name, address: recipient.email },
    subject: template.subject(ctx),
    text,
    html: noticeHtml({ language: recipient.language, text, imprint: imprints[recipient.language] }),
    headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': recipient.language },
    attachments: attachments.length > 0 ? attachments : undefined,
  };
}
