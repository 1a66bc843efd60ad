import type { z } from 'zod';
import type { Config } from '../../config';
import type { DbOrTx } from '../../db/client';
import type { EmailAttachment } from '../transport';
import type { FamilyTemplate, NoticeFamilyId, noticeFamilies } from '../../domain/notice-families';
import type { DeadlineContext, NoticeLanguage, PersonalContext } from '../notice-context';

export type NoticeTemplateModule<C> = {
  subject(ctx: C): string;
  text(ctx: C): string;
  /** The HTML part's button label for the partner's link, when the language's default ("Zum Formular") does not fit. */
  actionLabel?: string;
};

/** The part of a family's context the workflow sends; the activity adds the personal fields. */
export type WorkflowContext<C> = Omit<C, keyof PersonalContext>;

/** What issuing a link needs: the public address, and the database its token is kept in. */
export type LinkDeps = { config: Pick<Config, 'publicBaseUrl' | 'payloadKeys'>; db: DbOrTx };

/** What a notice is about, for its links and calendar entry. */
export type NoticeSubject<C> = { partnerNumber: number; organisationId: number; context: WorkflowContext<C> };

/**
 * Everything the mail side of a family brings: its context, its templates in every language,
 * the links its notices carry and the calendar entry its invitation attaches.
 */
export type FamilyMail<F extends NoticeFamilyId, C extends PersonalContext & DeadlineContext> = {
  family: (typeof noticeFamilies)[F];
  context: z.ZodType<WorkflowContext<C>>;
  templates: Record<NoticeLanguage, Record<FamilyTemplate<F>, NoticeTemplateModule<C>>>;
  /**
   * The partner's personal link for the notice `occasion` (its key): the same on every attempt of
   * that notice (noticePartnerLink in src/email/partner-links.ts).
   */
  partnerLink(deps: LinkDeps, subject: NoticeSubject<C> & { occasion: string }): Promise<string>;
  /** The staff page of the same matter. */
  statusUrl(config: LinkDeps['config'], subject: NoticeSubject<C>): string;
  /**
   * The calendar entry of the due date. `uid` must stay the same for one matter and due day, so a
   * resend updates the event instead of duplicating it.
   */
  calendarEntry(subject: NoticeSubject<C> & { dueDay: string }): { filename: string; uid: string; summary: string };
  /**
   * Documents a template's notice carries (the agreement to sign), loaded from the database when
   * the mail is built, so they never travel through workflow history.
   */
  documents?(db: DbOrTx, subject: { organisationId: number; template: FamilyTemplate<F> }): Promise<EmailAttachment[]>;
};

/** How long a personal link stays valid after the due date: through the escalation ladder and a revision; staff can issue a new one. */
const LINK_VALID_AFTER_DUE_DAYS = 120;

export function linkExpiry(dueAt: string): Date {
  return new Date(Date.parse(dueAt) + LINK_VALID_AFTER_DUE_DAYS * 86_400_000);
}
