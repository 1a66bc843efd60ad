import { z } from 'zod';

export const noticeLanguages = ['de', 'en'] as const;
export type NoticeLanguage = (typeof noticeLanguages)[number];

const isoInstant = z.iso.datetime({ offset: true });

/** Everything a notice template may say; recipient, partner and links are filled in per recipient. */
export const noticeContextSchema = z.object({
  recipientName: z.string().min(1),
  partnerName: z.string().min(1),
  /** The reporting cycle's year, as in reporting_cycles.year. */
  year: z.number().int().min(2000).max(2100),
  /** The instant the report is due; templates show its local date, so it should lie inside the due day. */
  dueAt: isoInstant,
  timezone: z.string().min(1),
  formUrl: z.url(),
  statusUrl: z.url(),
  /** 'revision' once a submitted report was sent back: reminders then ask for the revised version. */
  round: z.enum(['initial', 'revision']),
  escalationLevel: z.number().int().min(0).optional(),
  reference: z.string().min(1).optional(),
  version: z.number().int().min(1).optional(),
  submittedAt: isoInstant.optional(),
  comments: z.string().min(1).optional(),
  reason: z.string().min(1).optional(),
});

export type NoticeContext = z.infer<typeof noticeContextSchema>;

/** Thrown when a template needs a field the caller left out: a bug in the caller, not worth retrying. */
export class MissingNoticeFieldError extends Error {
  override readonly name = 'MissingNoticeFieldError';
  readonly code = 'MISSING_NOTICE_FIELD';
  constructor(
    readonly field: keyof NoticeContext,
    readonly template: string,
  ) {
    super(`${field}: required by the ${template} template`);
  }
}

/** Returns ctx[field] or throws MissingNoticeFieldError naming the template. */
export function required<K extends keyof NoticeContext>(
  ctx: NoticeContext,
  field: K,
  template: string,
): NonNullable<NoticeContext[K]> {
  const value = ctx[field];
  if (value === undefined || value === null) throw new MissingNoticeFieldError(field, template);
  return value as NonNullable<NoticeContext[K]>;
}
