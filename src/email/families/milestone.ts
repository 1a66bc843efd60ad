import { z } from 'zod';
import { milestoneFamily } from '../../domain/notice-families';
import { partnerStatusUrl } from '../links';
import { noticePartnerLink } from '../partner-links';
import { deadlineContextSchema, personalContextSchema } from '../notice-context';
import * as deOverdueMinistry from '../templates/de/milestone-overdue-ministry';
import * as deRequest from '../templates/de/milestone-request';
import * as deWithdrawn from '../templates/de/partner-withdrawn-ministry';
import * as enOverdueMinistry from '../templates/en/milestone-overdue-ministry';
import * as enRequest from '../templates/en/milestone-request';
import * as enWithdrawn from '../templates/en/partner-withdrawn-ministry';
import { linkExpiry, type FamilyMail } from './family-mail';

const milestoneFields = z.object({
  /** The milestone's key within the partner, e.g. "RSK-1/1" (measure id / position). */
  milestoneId: z.string().min(1).optional(),
  milestoneText: z.string().min(1).optional(),
  measureTitle: z.string().min(1).optional(),
  /** The due date in the partner's words, e.g. "bis Frühjahr 2018". */
  dueText: z.string().min(1).optional(),
  /** For the withdrawal notice to staff. */
  reason: z.string().min(1).optional(),
  closedReports: z.string().min(1).optional(),
});

/** Everything a milestone notice (and the lifecycle's notice of withdrawal) may say. */
export const milestoneNoticeContextSchema = personalContextSchema.extend(deadlineContextSchema.shape).extend(milestoneFields.shape);
export type MilestoneNoticeContext = z.infer<typeof milestoneNoticeContextSchema>;

export const milestoneMail: FamilyMail<'milestone', MilestoneNoticeContext> = {
  family: milestoneFamily,
  context: deadlineContextSchema.extend(milestoneFields.shape),
  templates: {
    de: {
      'milestone-request': deRequest,
      'milestone-overdue-ministry': deOverdueMinistry,
      'partner-withdrawn-ministry': deWithdrawn,
    },
    en: {
      'milestone-request': enRequest,
      'milestone-overdue-ministry': enOverdueMinistry,
      'partner-withdrawn-ministry': enWithdrawn,
    },
  },
  partnerLink: async ({ config, db }, { organisationId, context, occasion }) => {
    const { url } = await noticePartnerLink(db, config, {
      occasion,
      organisationId,
      purpose: 'milestone',
      // The withdrawal notice (to staff) is about no milestone; a partner's link always is.
      subject: context.milestoneId ?? 'partner',
      expiresAt: linkExpiry(context.dueAt),
    });
    return url;
  },
  statusUrl: (config, { partnerNumber }) => partnerStatusUrl(config, { partnerNumber }),
  calendarEntry: ({ partnerNumber, context, dueDay }) => ({
    filename: 'meilenstein.ics',
    uid: `meilenstein-${partnerNumber}-${(context.milestoneId ?? 'partner').replace(/[^A-Za-z0-9-]/g, '-')}-${dueDay}`,
    summary: `Meilenstein: ${context.milestoneText ?? ''}`,
  }),
};
