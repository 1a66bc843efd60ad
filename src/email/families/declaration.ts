import { z } from 'zod';
import { declarationFamily } from '../../domain/notice-families';
import { accessionStatusUrl } from '../links';
import { noticePartnerLink } from '../partner-links';
import { linkExpiry } from './family-mail';
import { deadlineContextSchema, personalContextSchema } from '../notice-context';
import * as deInvitation from '../templates/de/declaration-invitation';
import * as deOverdueMinistry from '../templates/de/declaration-overdue-ministry';
import * as deReceived from '../templates/de/declaration-received';
import * as deReminder from '../templates/de/declaration-reminder';
import * as deRevisionRequested from '../templates/de/declaration-revision-requested';
import * as enInvitation from '../templates/en/declaration-invitation';
import * as enOverdueMinistry from '../templates/en/declaration-overdue-ministry';
import * as enReceived from '../templates/en/declaration-received';
import * as enReminder from '../templates/en/declaration-reminder';
import * as enRevisionRequested from '../templates/en/declaration-revision-requested';
import type { FamilyMail } from './family-mail';

const declarationFields = z.object({
  /** Staff comments of a revision request, when the deadline is for a revised declaration. */
  comments: z.string().min(1).optional(),
  /** The version a receipt confirms. */
  version: z.number().int().min(1).optional(),
});

/** Everything a declaration notice may say. */
export const declarationNoticeContextSchema = personalContextSchema
  .extend(deadlineContextSchema.shape)
  .extend(declarationFields.shape);
export type DeclarationNoticeContext = z.infer<typeof declarationNoticeContextSchema>;

export const declarationMail: FamilyMail<'declaration', DeclarationNoticeContext> = {
  family: declarationFamily,
  context: deadlineContextSchema.extend(declarationFields.shape),
  templates: {
    de: {
      'declaration-invitation': deInvitation,
      'declaration-reminder': deReminder,
      'declaration-overdue-ministry': deOverdueMinistry,
      'declaration-received': deReceived,
      'declaration-revision-requested': deRevisionRequested,
    },
    en: {
      'declaration-invitation': enInvitation,
      'declaration-reminder': enReminder,
      'declaration-overdue-ministry': enOverdueMinistry,
      'declaration-received': enReceived,
      'declaration-revision-requested': enRevisionRequested,
    },
  },
  partnerLink: async ({ config, db }, { organisationId, context, occasion }) => {
    const { url } = await noticePartnerLink(db, config, {
      occasion,
      organisationId,
      purpose: 'declaration',
      subject: 'accession',
      expiresAt: linkExpiry(context.dueAt),
    });
    return url;
  },
  statusUrl: (config, { partnerNumber }) => accessionStatusUrl(config, { partnerNumber }),
  calendarEntry: ({ partnerNumber, dueDay }) => ({
    filename: 'absichtserklaerung.ics',
    uid: `absichtserklaerung-${partnerNumber}-${dueDay}`,
    summary: 'Absichtserklärung zum Beitritt einreichen',
  }),
};
