import { z } from 'zod';

export const noticeLanguages = ['de', 'en'] as const;
export type NoticeLanguage = (typeof noticeLanguages)[number];

export const isoInstant = z.iso.datetime({ offset: true });

/** Who receives the notice and where its links lead: filled in per recipient by the delivery activity. */
export const personalContextSchema = z.object({
  recipientName: z.string().min(1),
  partnerName: z.string().min(1),
  timezone: z.string().min(1),
  /** The link the family's notices carry for the partner (report form, declaration form, …). */
  formUrl: z.url(),
  /** The staff page of the same matter. */
  statusUrl: z.url(),
  /** The organisation's caseworker, the person to ask; absent when none is assigned (never made up). */
  contactPersonName: z.string().min(1).optional(),
  contactPersonEmail: z.email().optional(),
});

/** What every notice knows about the deadline it serves. */
export const deadlineContextSchema = z.object({
  /** The instant the thing is due; templates show its local date, so it should lie inside the due day. */
  dueAt: isoInstant,
  escalationLevel: z.number().int().min(0).optional(),
});

export type PersonalContext = z.infer<typeof personalContextSchema>;
export type DeadlineContext = z.infer<typeof deadlineContextSchema>;
export const personalContextFields = Object.keys(personalContextSchema.shape) as (keyof PersonalContext)[];

/** Thrown when a template needs a field the caller left out: a bug in the caller, not worth retrying. */
export class MissingNoticeFieldError extends Error {
  override readonly name = 'MissingNoticeFieldError';
  readonly code = 'MISSING_NOTICE_FIELD';
  constructor(
    readonly field: string,
    readonly template: string,
  ) {
    super(`${field}: required by the ${template} template`);
  }
}

/** Returns ctx[field] or throws MissingNoticeFieldError naming the template. */
export function required<C extends object, K extends keyof C & string>(ctx: C, field: K, template: string): NonNullable<C[K]> {
  const value = ctx[field];
  if (value === undefined || value === null) throw new MissingNoticeFieldError(field, template);
  return value as NonNullable<C[K]>;
}
