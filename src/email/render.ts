import type { NoticeTemplate } from '../domain/notice-templates';
import { textToHtml } from './html';
import type { NoticeContext, NoticeLanguage } from './notice-context';
import * as deAccepted from './templates/de/report-accepted';
import * as deEscalationMinistry from './templates/de/report-escalation-ministry';
import * as deEscalationPartner from './templates/de/report-escalation-partner';
import * as deExtensionGranted from './templates/de/report-extension-granted';
import * as deInvitation from './templates/de/report-invitation';
import * as deOverdue from './templates/de/report-overdue';
import * as deReceived from './templates/de/report-received';
import * as deReminder from './templates/de/report-reminder';
import * as deRevisionRequested from './templates/de/report-revision-requested';
import * as deWaived from './templates/de/report-waived';
import * as enAccepted from './templates/en/report-accepted';
import * as enEscalationMinistry from './templates/en/report-escalation-ministry';
import * as enEscalationPartner from './templates/en/report-escalation-partner';
import * as enExtensionGranted from './templates/en/report-extension-granted';
import * as enInvitation from './templates/en/report-invitation';
import * as enOverdue from './templates/en/report-overdue';
import * as enReceived from './templates/en/report-received';
import * as enReminder from './templates/en/report-reminder';
import * as enRevisionRequested from './templates/en/report-revision-requested';
import * as enWaived from './templates/en/report-waived';

export type NoticeTemplateModule = {
  subject(ctx: NoticeContext): string;
  text(ctx: NoticeContext): string;
};

export type RenderedNotice = { subject: string; text: string; html: string };

// A Record over NoticeTemplate: adding a template to the domain list fails the build until both languages exist.
const templates: Record<NoticeLanguage, Record<NoticeTemplate, NoticeTemplateModule>> = {
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
};

/** Renders one notice; throws MissingNoticeFieldError when the template needs a field ctx lacks. */
export function renderNotice(template: NoticeTemplate, language: NoticeLanguage, ctx: NoticeContext): RenderedNotice {
  const module = templates[language][template];
  const text = module.text(ctx);
  // A subject is one header line; names with line breaks must not split it.
  const subject = module.subject(ctx).replace(/\s+/g, ' ').trim();
  return { subject, text, html: textToHtml(text, language) };
}
