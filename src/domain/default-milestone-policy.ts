import type { MilestonePolicyInput } from './accession-policy';

/**
 * The standard milestone policy as data, apart from the parsed defaults: workflow code (an
 * accession starts the lifecycle with it) imports it, and every workflow the worker caches
 * evaluates the workflow modules anew. Parsing the default policies at that import (their checks
 * plan deadlines) cost each started report about as much CPU as all its own workflow tasks, so
 * workflow code parses this input only where it uses it.
 */

/** The ministry's office hours, shared by the default policies. */
export const office = { sendTime: '09:00', sendingWindow: { start: '08:00', end: '17:00' }, timezone: 'Europe/Berlin' } as const;

/**
 * Milestones: four weeks before a milestone is due the partner is asked whether it is reached;
 * two weeks after it, unanswered, the caseworker is told.
 */
export const defaultMilestonePolicyInput = {
  ...office,
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
