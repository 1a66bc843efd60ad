import { accessionPolicySchema, milestonePolicySchema, type AccessionPolicy, type AccessionPolicyInput, type MilestonePolicy } from './accession-policy';
import { defaultMilestonePolicyInput, office } from './default-milestone-policy';
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

/**
 * The ministry's standard accession policy. The declaration is due eight weeks after the
 * invitation: a reminder after four weeks, the caseworker told after eight (the working day
 * after the due date), the head of unit two weeks later. A revision gets four weeks. The
 * agreement is due six weeks after it is sent: the signatory is reminded after three.
 */
export const defaultAccessionPolicyInput = {
  declaration: {
    period: { duration: 'P8W', count: 'calendar' },
    deadline: {
      ...office,
      steps: [
        {
          id: 'invitation',
          kind: 'invitation',
          template: 'declaration-invitation',
          offset: { direction: 'before', duration: 'P8W', count: 'calendar' },
          recipients: ['partner_main_contact'],
          // Sent at once when the accession starts after 09:00: it carries the form link.
          sendIfLate: true,
        },
        {
          id: 'reminder-4w',
          kind: 'reminder',
          template: 'declaration-reminder',
          offset: { direction: 'before', duration: 'P4W', count: 'calendar' },
          recipients: ['partner_main_contact'],
        },
        {
          id: 'overdue-caseworker',
          kind: 'overdue',
          template: 'declaration-overdue-ministry',
          offset: { direction: 'after', duration: 'P1D', count: 'working' },
          recipients: ['ministry_caseworker'],
        },
        {
          id: 'escalation-head-of-unit',
          kind: 'escalation',
          template: 'declaration-overdue-ministry',
          offset: { direction: 'after', duration: 'P2W', count: 'calendar' },
          recipients: ['head_of_unit'],
          escalationLevel: 1,
        },
      ],
    },
  },
  revision: {
    period: { duration: 'P4W', count: 'calendar' },
    deadline: {
      ...office,
      steps: [
        {
          id: 'revision-reminder',
          kind: 'reminder',
          template: 'declaration-reminder',
          offset: { direction: 'before', duration: 'P1W', count: 'calendar' },
          recipients: ['partner_main_contact'],
        },
        {
          id: 'revision-overdue-caseworker',
          kind: 'overdue',
          template: 'declaration-overdue-ministry',
          offset: { direction: 'after', duration: 'P1D', count: 'working' },
          recipients: ['ministry_caseworker'],
        },
      ],
    },
  },
  signature: {
    period: { duration: 'P6W', count: 'calendar' },
    partnerSignsFirst: false,
    deadline: {
      ...office,
      steps: [
        {
          id: 'agreement-sent',
          kind: 'invitation',
          template: 'agreement-for-signature',
          offset: { direction: 'before', duration: 'P6W', count: 'calendar' },
          recipients: ['partner_main_contact', 'partner_leadership'],
          sendIfLate: true,
        },
        {
          id: 'reminder-3w',
          kind: 'reminder',
          template: 'agreement-reminder',
          offset: { direction: 'before', duration: 'P3W', count: 'calendar' },
          recipients: ['partner_leadership'],
        },
        {
          id: 'overdue-caseworker',
          kind: 'overdue',
          template: 'agreement-overdue-ministry',
          offset: { direction: 'after', duration: 'P1D', count: 'working' },
          recipients: ['ministry_caseworker'],
        },
      ],
    },
  },
} satisfies AccessionPolicyInput;

export const defaultAccessionPolicy: AccessionPolicy = accessionPolicySchema.parse(defaultAccessionPolicyInput);

export { defaultMilestonePolicyInput };
export const defaultMilestonePolicy: MilestonePolicy = milestonePolicySchema.parse(defaultMilestonePolicyInput);
