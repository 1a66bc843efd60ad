/**
 * The notices a deadline can send, and the roles they go to. Templates are rendered per
 * language by src/email; roles are resolved to people by the activities.
 */
export const noticeTemplates = [
  'report-invitation',
  'report-reminder',
  'report-overdue',
  'report-escalation-partner',
  'report-escalation-ministry',
  'report-received',
  'report-revision-requested',
  'report-extension-granted',
  'report-accepted',
  'report-waived',
] as const;

export type NoticeTemplate = (typeof noticeTemplates)[number];

export const recipientRoles = [
  'partner_main_contact',
  'partner_leadership',
  'ministry_caseworker',
  'head_of_unit',
] as const;

export type RecipientRole = (typeof recipientRoles)[number];
