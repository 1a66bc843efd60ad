/**
 * What staff send with a decision on a report (Update arguments), parsed once at the boundary.
 * Synchronous and pure: the workflow's Update validators run these.
 */
import { z } from 'zod';
import { localDateSchema } from './local-date';

const staffName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const acceptArgsSchema = z.strictObject({ by: staffName, comment: text(2_000).optional() });
export const revisionArgsSchema = z.strictObject({ by: staffName, comments: text(10_000) });
export const extensionArgsSchema = z.strictObject({
  by: staffName,
  dueDate: localDateSchema,
  reason: text(2_000),
});
export const waiverArgsSchema = z.strictObject({ by: staffName, reason: text(2_000) });
export const closeArgsSchema = z.strictObject({ by: staffName, reason: text(2_000).optional() });

export type AcceptArgs = z.infer<typeof acceptArgsSchema>;
export type RevisionArgs = z.infer<typeof revisionArgsSchema>;
export type ExtensionArgs = z.infer<typeof extensionArgsSchema>;
export type WaiverArgs = z.infer<typeof waiverArgsSchema>;
export type CloseArgs = z.infer<typeof closeArgsSchema>;


/**
 * An admin's resend of one email the workflow sent (or failed to send): the ledger row's
 * idempotency key names it; the resend gets its own key, derived from the original's and the
 * attempt, so it is a new ledger row and never folds into the first.
 */
export const resendArgsSchema = z.strictObject({
  by: staffName,
  idempotencyKey: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
  reason: text(2_000),
  /**
   * The lowest attempt number the resend may take: the ledger's count of earlier resends plus one,
   * from the caller. A workflow run knows only its own resends; ones sent after an earlier run ended
   * (a lifecycle's previous year) are in the ledger alone, and a number must never be reused.
   */
  attempt: z.number().int().positive().max(1000).optional(),
});
export type ResendArgs = z.infer<typeof resendArgsSchema>;
