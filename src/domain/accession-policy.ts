import { z } from 'zod';
import { isoDurationSchema } from './duration';
import { formatIssues } from './issues';
import { declarationFamily, milestoneFamily, signatureFamily } from './notice-families';
import { deadlinePolicySchemaFor, PolicyError } from './policy';

/**
 * The accession's waiting steps as policy data: how long an organisation has for its declaration
 * (and for a revision), how long for signing, and the notices on the way. Each deadline is a
 * policy of its own family, validated by the one schema factory.
 */

/** A span after the moment a step starts (invitation sent, revision requested, agreement sent). */
const periodSchema = z.strictObject({ duration: isoDurationSchema, count: z.enum(['calendar', 'working']).default('calendar') });

export const declarationPolicySchema = deadlinePolicySchemaFor(declarationFamily);
export const signaturePolicySchema = deadlinePolicySchemaFor(signatureFamily);
export const milestonePolicySchema = deadlinePolicySchemaFor(milestoneFamily);

export const accessionPolicySchema = z.strictObject({
  declaration: z.strictObject({ period: periodSchema, deadline: declarationPolicySchema }),
  revision: z.strictObject({ period: periodSchema, deadline: declarationPolicySchema }),
  signature: z.strictObject({
    period: periodSchema,
    deadline: signaturePolicySchema,
    /** Some years the ministry signed only what the partner had signed already. */
    partnerSignsFirst: z.boolean().default(false),
  }),
  /**
   * How the new partner's lifecycle chases its declared milestones; absent: the standard one
   * (workflow code parses that where it uses it, see default-milestone-policy.ts).
   */
  milestones: milestonePolicySchema.optional(),
});

export type AccessionPolicy = z.output<typeof accessionPolicySchema>;
export type AccessionPolicyInput = z.input<typeof accessionPolicySchema>;
export type MilestonePolicy = z.output<typeof milestonePolicySchema>;
export type MilestonePolicyInput = z.input<typeof milestonePolicySchema>;

export function parseAccessionPolicy(input: unknown, prefix?: string): AccessionPolicy {
  const parsed = accessionPolicySchema.safeParse(input);
  if (!parsed.success) throw new PolicyError(formatIssues(parsed.error, prefix));
  return parsed.data;
}
