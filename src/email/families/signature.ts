import { z } from 'zod';
import { agreementPdfOf } from '../../db/queries/accession';
import { signatureFamily } from '../../domain/notice-families';
import { accessionStatusUrl } from '../links';
import { noticePartnerLink } from '../partner-links';
import { deadlineContextSchema, personalContextSchema } from '../notice-context';
import * as deClosed from '../templates/de/accession-closed';
import * as deWelcome from '../templates/de/accession-welcome';
import * as deForSignature from '../templates/de/agreement-for-signature';
import * as deOverdueMinistry from '../templates/de/agreement-overdue-ministry';
import * as deReminder from '../templates/de/agreement-reminder';
import * as enClosed from '../templates/en/accession-closed';
import * as enWelcome from '../templates/en/accession-welcome';
import * as enForSignature from '../templates/en/agreement-for-signature';
import * as enOverdueMinistry from '../templates/en/agreement-overdue-ministry';
import * as enReminder from '../templates/en/agreement-reminder';
import { linkExpiry, type FamilyMail } from './family-mail';

const signatureFields = z.object({
  /** The accession date (YYYY-MM-DD), for the welcome. */
  accessionDate: z.iso.date().optional(),
  /** How an accession ended early, for accession-closed. */
  outcome: z.enum(['withdrawn', 'rejected']).optional(),
  reason: z.string().min(1).optional(),
});

/** Everything a notice about the agreement (and the accession's end) may say. */
export const signatureNoticeContextSchema = personalContextSchema.extend(deadlineContextSchema.shape).extend(signatureFields.shape);
export type SignatureNoticeContext = z.infer<typeof signatureNoticeContextSchema>;

export const signatureMail: FamilyMail<'signature', SignatureNoticeContext> = {
  family: signatureFamily,
  context: deadlineContextSchema.extend(signatureFields.shape),
  templates: {
    de: {
      'agreement-for-signature': deForSignature,
      'agreement-reminder': deReminder,
      'agreement-overdue-ministry': deOverdueMinistry,
      'accession-welcome': deWelcome,
      'accession-closed': deClosed,
    },
    en: {
      'agreement-for-signature': enForSignature,
      'agreement-reminder': enReminder,
      'agreement-overdue-ministry': enOverdueMinistry,
      'accession-welcome': enWelcome,
      'accession-closed': enClosed,
    },
  },
  partnerLink: async ({ config, db }, { organisationId, context, occasion }) => {
    const { url } = await noticePartnerLink(db, config, { occasion, organisationId, purpose: 'agreement', subject: 'accession', expiresAt: linkExpiry(context.dueAt) });
    return url;
  },
  statusUrl: (config, { partnerNumber }) => accessionStatusUrl(config, { partnerNumber }),
  calendarEntry: ({ partnerNumber, dueDay }) => ({
    filename: 'partnervereinbarung.ics',
    uid: `partnervereinbarung-${partnerNumber}-${dueDay}`,
    summary: 'Partnervereinbarung unterzeichnen',
  }),
  // The agreement itself goes with the mail that asks for its signature.
  documents: async (db, { organisationId, template }) => {
    if (template !== 'agreement-for-signature') return [];
    const pdf = await agreementPdfOf(db, organisationId);
    return pdf ? [{ filename: 'Partnervereinbarung.pdf', contentType: 'application/pdf', content: pdf }] : [];
  },
};
