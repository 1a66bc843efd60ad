/**
 * Accession as data: who starts it (the organisation file staff hand in), what moves it on
 * (Update arguments), and where it stands. Pure and synchronous: Update validators run these.
 */
import { z } from 'zod';
import { emailSchema } from './email-schema';
import { isLocalDate } from './local-date';
import { earliestDay, latestDay, type FuzzyDate } from './fuzzy-date';
import type { Declaration } from './declaration';
import { languages, partnerKinds } from './partner';

export const accessionPhases = [
  'invited',
  'declaration_submitted',
  'changes_requested',
  'awaiting_signatures',
  'completed',
  'withdrawn',
  'rejected',
] as const;
export type AccessionPhase = (typeof accessionPhases)[number];
export const finalAccessionPhases: readonly AccessionPhase[] = ['completed', 'withdrawn', 'rejected'];

/** Who signs: the organisation's leadership or the ministry (stored as party 'state'). */
export const signatureParties = ['partner', 'ministry'] as const;
export type SignatureParty = (typeof signatureParties)[number];

const staffName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const day = z.string().refine(isLocalDate, 'must be a calendar date as YYYY-MM-DD');
const person = z.strictObject({
  name: text(200),
  email: emailSchema('must be an email address'),
  language: z.enum(languages, { error: `must be one of ${languages.join(', ')}` }).default('de'),
});

/**
 * The names on an agreement change over the years (a minister signed in 2013, a state secretary
 * later; the ministry and the initiative were renamed): each agreement records those of its day.
 */
export const agreementPartiesSchema = z.strictObject({
  ministry: text(300),
  initiative: text(300),
  ministrySignatory: z.strictObject({ name: text(200), role: text(300) }),
});
export type AgreementParties = z.infer<typeof agreementPartiesSchema>;

/** The file staff hand to `partnerflow accession start --file org.json`. */
export const accessionStartSchema = z.strictObject({
  number: z.int('must be a positive whole number').positive('must be a positive whole number'),
  name: text(300),
  kind: z.enum(partnerKinds, { error: `must be one of ${partnerKinds.join(', ')}` }),
  mainContact: person,
  /** Who signs for the organisation. */
  leadership: person.extend({ role: text(300) }),
  /** The caseworker's email (a staff member); left out, every caseworker is told. */
  caseworker: emailSchema('must be an email address').optional(),
  agreement: agreementPartiesSchema,
});
export type AccessionStart = z.infer<typeof accessionStartSchema>;

export const saveDraftArgsSchema = z.strictObject({ draft: z.record(z.string(), z.unknown()), by: staffName.optional() });
export const submitDeclarationArgsSchema = z.strictObject({ declaration: z.unknown(), submittedBy: staffName.optional() });
export const acceptDeclarationArgsSchema = z.strictObject({ by: staffName, comment: text(2_000).optional() });
export const requestChangesArgsSchema = z.strictObject({ by: staffName, comments: text(10_000) });
export const signArgsSchema = z.strictObject({
  party: z.enum(signatureParties, { error: `must be one of ${signatureParties.join(', ')}` }),
  signer: text(200),
  role: text(300),
  /** The date beside the signature; left out, the day it is recorded. */
  date: day.optional(),
  by: staffName.optional(),
});
export const setAccessionDateArgsSchema = z.strictObject({ by: staffName, date: day, reason: text(2_000).optional() });
export const endAccessionArgsSchema = z.strictObject({
  outcome: z.enum(['withdrawn', 'rejected']),
  by: staffName,
  reason: text(2_000),
});

export type SaveDraftArgs = z.infer<typeof saveDraftArgsSchema>;
export type SubmitDeclarationArgs = z.infer<typeof submitDeclarationArgsSchema>;
export type AcceptDeclarationArgs = z.infer<typeof acceptDeclarationArgsSchema>;
export type RequestChangesArgs = z.infer<typeof requestChangesArgsSchema>;
export type SignArgs = z.infer<typeof signArgsSchema>;
export type SetAccessionDateArgs = z.infer<typeof setAccessionDateArgsSchema>;
export type EndAccessionArgs = z.infer<typeof endAccessionArgsSchema>;

/** A declared milestone as the lifecycle follows it. */
export type TrackedMilestone = {
  /** "<measure id>/<position from 1>", e.g. "RSK-3/1". */
  id: string;
  measureTitle: string;
  text: string;
  /** The date in the partner's words. */
  dueText: string;
  /** The last day the declared date can mean (YYYY-MM-DD): the request is planned against it. */
  dueDate: string;
  status: 'open' | 'reached' | 'delayed';
  revisedDueDate?: string;
  reachedOn?: string;
};

/** YYYY-MM-DD of a yyyymmdd number. */
function isoOf(day: number): string {
  const s = String(day);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/**
 * The day a milestone is due. "bis Frühjahr 2018" and "im September 2018" mean their last day;
 * "ab 2018" (from then on) means its first day, when the partner starts doing it.
 */
export function milestoneDueDate(due: FuzzyDate): string {
  return isoOf(due.bound === 'ab' || due.bound === 'seit' ? earliestDay(due) : latestDay(due));
}

/** The milestones of a declaration, in order, as the lifecycle tracks them. */
export function milestonesOf(declaration: Declaration): TrackedMilestone[] {
  return declaration.measures.flatMap((measure) =>
    (measure.milestones ?? []).map((milestone, index) => ({
      id: `${measure.id}/${index + 1}`,
      measureTitle: measure.title,
      text: milestone.text,
      dueText: milestone.due.text ?? milestoneDueDate(milestone.due),
      dueDate: milestoneDueDate(milestone.due),
      status: 'open' as const,
    })),
  );
}
