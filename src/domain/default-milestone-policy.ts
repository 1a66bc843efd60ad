import type { MilestonePolicyInput } from './accession-policy';

/**
 * Milestones: four weeks before a milestone is due the partner is asked whether it is reached;
 * two weeks after it, unanswered, the caseworker is told.
 *
 * Apart from default-policy.ts, which parses every default policy when loaded: workflow code imports
 * this one and parses it where it is used, so a workflow's first task does not pay for the rest.
 */
export const defaultMilestonePolicyInput = {
  sendTime: '09:00',
  sendingWindow: { start: '08:00', end: '17:00' },
  timezone: 'Europe/Berlin',
  steps: [
    {
      id: 'request',
      kind: 'invitation',
      template: 'milestone-request',
      offset: { direction: 'before', duration: 'P4W', count: 'calendar' },
      recipients: ['partner_main_contact'],
    },
    {
      id: 'escalation-caseworker',
      kind: 'escalation',
      template: 'milestone-overdue-ministry',
      offset: { direction: 'after', duration: 'P2W', count: 'calendar' },
      recipients: ['ministry_caseworker'],
      escalationLevel: 1,
    },
  ],
} satisfies MilestonePolicyInput;

