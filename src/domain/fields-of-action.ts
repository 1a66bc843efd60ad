import { z } from 'zod';

/**
 * Fields of action (Handlungsfelder): the canonical codes a partner's own headings and measures
 * are filed under. The partner's wording is always kept verbatim next to the code.
 */
export const fieldsOfAction = [
  'STRATEGIE',
  'PERSONALGEWINNUNG',
  'FORTBILDUNG',
  'SENSIBILISIERUNG',
  'ZUGANG',
  'OEFFENTLICHKEIT',
  'KOOPERATION',
  'FACHAUFGABE',
  'SONSTIGES',
] as const;

export type FieldOfAction = (typeof fieldsOfAction)[number];

export const fieldOfActionSchema = z.enum(fieldsOfAction, {
  error: (issue) =>
    issue.input === undefined ? 'is required' : `must be one of ${fieldsOfAction.join(', ')}`,
});
