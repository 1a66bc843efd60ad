import { reportingPolicySchema, type ReportingPolicy, type ReportingPolicyInput } from './policy';

/**
 * The ministry's standard reporting policy: invitation six weeks ahead, reminders two weeks and
 * three days ahead, an overdue notice the working day after, then two escalation levels.
 * Parsed at load time, so a broken default fails every test at once.
 */
export const defaultReportingPolicyInput = {
  deadline: {
    sendTime: '09:00',
    sendingWindow: { start: '08:00', end: '17:00' },
    timezone: 'Europe/Berlin',
    steps: [
      {
        id: 'invitation',
        kind: 'invitation',
        template: 'report-invitation',
        offset: { direction: 'before', duration: 'P6W', count: 'calendar' },
        recipients: ['partner_main_contact'],
        escalationLevel: 0,
        // The invitation carries the form link, so a partner tracked late still gets it.
        sendIfLate: true,
      },
      {
        id: 'reminder-2w',
        kind: 'reminder',
        template: 'report-reminder',
        offset: { direction: 'before', duration: 'P2W', count: 'calendar' },
        recipients: ['partner_main_contact'],
        escalationLevel: 0,
      },
      {
        id: 'reminder-3d',
        kind: 'reminder',
        template: 'report-reminder',
        offset: { direction: 'before', duration: 'P3D', count: 'calendar' },
        recipients: ['partner_main_contact'],
        escalationLevel: 0,
      },
      {
        id: 'overdue',
        kind: 'overdue',
        template: 'report-overdue',
        offset: { direction: 'after', duration: 'P1D', count: 'working' },
        recipients: ['partner_main_contact'],
        escalationLevel: 0,
      },
      {
        id: 'escalation-1-partner',
        kind: 'escalation',
        template: 'report-escalation-partner',
        offset: { direction: 'after', duration: 'P2W', count: 'calendar' },
        recipients: ['partner_leadership'],
        escalationLevel: 1,
      },
      {
        id: 'escalation-1-ministry',
        kind: 'escalation',
        template: 'report-escalation-ministry',
        offset: { direction: 'after', duration: 'P2W', count: 'calendar' },
        recipients: ['ministry_caseworker'],
        escalationLevel: 1,
      },
      {
        id: 'escalation-2-ministry',
        kind: 'escalation',
        template: 'report-escalation-ministry',
        offset: { direction: 'after', duration: 'P4W', count: 'calendar' },
        recipients: ['head_of_unit'],
        escalationLevel: 2,
      },
      {
        id: 'escalation-2-partner',
        kind: 'escalation',
        template: 'report-escalation-partner',
        offset: { direction: 'after', duration: 'P4W', count: 'calendar' },
        recipients: ['partner_leadership'],
        escalationLevel: 2,
      },
    ],
  },
  revision: {
    period: { duration: 'P14D', count: 'calendar' },
    deadline: {
      sendTime: '09:00',
      sendingWindow: { start: '08:00', end: '17:00' },
      timezone: 'Europe/Berlin',
      steps: [
        {
          id: 'revision-reminder',
          kind: 'reminder',
          template: 'report-reminder',
          offset: { direction: 'before', duration: 'P3D', count: 'calendar' },
          recipients: ['partner_main_contact'],
          escalationLevel: 0,
        },
        {
          id: 'revision-overdue',
          kind: 'overdue',
          template: 'report-overdue',
          offset: { direction: 'after', duration: 'P1D', count: 'working' },
          recipients: ['partner_main_contact'],
          escalationLevel: 0,
        },
      ],
    },
  },
} satisfies ReportingPolicyInput;

export const defaultReportingPolicy: ReportingPolicy = reportingPolicySchema.parse(defaultReportingPolicyInput);

/** The standard policy in another zone or sending window (the deployment's defaults). */
export function defaultReportingPolicyFor(calendar: { timezone: string; sendingWindow: { start: string; end: string } }): ReportingPolicy {
  const local = <T extends object>(deadline: T) => ({ ...deadline, timezone: calendar.timezone, sendingWindow: calendar.sendingWindow });
  return reportingPolicySchema.parse({
    deadline: local(defaultReportingPolicyInput.deadline),
    revision: { ...defaultReportingPolicyInput.revision, deadline: local(defaultReportingPolicyInput.revision.deadline) },
  });
}
