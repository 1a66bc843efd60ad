import { z } from 'zod';
import { annualReportFamily } from '../../domain/notice-families';
import { reportStatusUrl } from '../links';
import { noticePartnerLink } from '../partner-links';
import { deadlineContextSchema, isoInstant, personalContextSchema } from '../notice-context';
import * as deAccepted from '../templates/de/report-accepted';
import * as deEscalationMinistry from '../templates/de/report-escalation-ministry';
import * as deEscalationPartner from '../templates/de/report-escalation-partner';
import * as deExtensionGranted from '../templates/de/report-extension-granted';
import * as deInvitation from '../templates/de/report-invitation';
import * as deOverdue from '../templates/de/report-overdue';
import * as deReceived from '../templates/de/report-received';
import * as deReminder from '../templates/de/report-reminder';
import * as deRevisionRequested from '../templates/de/report-revision-requested';
import * as deWaived from '../templates/de/report-waived';
import * as enAccepted from '../templates/en/report-accepted';
import * as enEscalationMinistry from '../templates/en/report-escalation-ministry';
import * as enEscalationPartner from '../templates/en/report-escalation-partner';
import * as enExtensionGranted from '../templates/en/report-extension-granted';
import * as enInvitation from '../templates/en/report-invitation';
import * as enOverdue from '../templates/en/report-overdue';
import * as enReceived from '../templates/en/report-received';
import * as enReminder from '../templates/en/report-reminder';
import * as enRevisionRequested from '../templates/en/report-revision-requested';
import * as enWaived from '../templates/en/report-waived';
import { linkExpiry, type FamilyMail } from './family-mail';

const reportFields = z.object({
  /** The reporting cycle's year, as in reporting_cycles.year. */
  year: z.number().int().min(2000).max(2100),
  /** 'revision' once a submitted report was sent back: reminders then ask for the revised version. */
  round: z.enum(['initial', 'revision']),
  reference: z.string().min(1).optional(),
  version: z.number().int().min(1).optional(),
  submittedAt: isoInstant.optional(),
  comments: z.string().min(1).optional(),
  reason: z.string().min(1).optional(),
});

/** Everything an annual report notice may say. */
export const reportNoticeContextSchema = personalContextSchema.extend(deadlineContextSchema.shape).extend(reportFields.shape);
export type ReportNoticeContext = z.infer<typeof reportNoticeContextSchema>;

export const annualReportMail: FamilyMail<'annual-report', ReportNoticeContext> = {
  family: annualReportFamily,
  context: deadlineContextSchema.extend(reportFields.shape),
  // A Record over the family's templates: adding one to the domain list fails the build until both languages exist.
  templates: {
    de: {
      'report-invitation': deInvitation,
      'report-reminder': deReminder,
      'report-overdue': deOverdue,
      'report-escalation-partner': deEscalationPartner,
      'report-escalation-ministry': deEscalationMinistry,
      'report-received': deReceived,
      'report-revision-requested': deRevisionRequested,
      'report-extension-granted': deExtensionGranted,
      'report-accepted': deAccepted,
      'report-waived': deWaived,
    },
    en: {
      'report-invitation': enInvitation,
      'report-reminder': enReminder,
      'report-overdue': enOverdue,
      'report-escalation-partner': enEscalationPartner,
      'report-escalation-ministry': enEscalationMinistry,
      'report-received': enReceived,
      'report-revision-requested': enRevisionRequested,
      'report-extension-granted': enExtensionGranted,
      'report-accepted': enAccepted,
      'report-waived': enWaived,
    },
  },
  partnerLink: async ({ config, db }, { organisationId, context, occasion }) => {
    const { url } = await noticePartnerLink(db, config, {
      occasion,
      organisationId,
      purpose: 'annual-report',
      subject: String(context.year),
      expiresAt: linkExpiry(context.dueAt),
    });
    return url;
  },
  statusUrl: (config, { partnerNumber, context }) => reportStatusUrl(config, { partnerNumber, year: context.year }),
  // One event per report and due date: a resend updates it, a new deadline is a new event.
  calendarEntry: ({ partnerNumber, context, dueDay }) => ({
    filename: `jahresbericht-${context.year}.ics`,
    uid: `jahresbericht-${context.year}-${partnerNumber}-${dueDay}`,
    summary: `Jahresbericht ${context.year}`,
  }),
};
