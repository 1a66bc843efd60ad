import type { NoticeFamilyId, NoticeTemplate } from '../../domain/notice-families';
import { familyOfTemplate } from '../../domain/notice-families';
import { z } from 'zod';
import { personalContextSchema, type DeadlineContext, type NoticeLanguage, type PersonalContext } from '../notice-context';
import { annualReportMail } from './annual-report';
import { declarationMail } from './declaration';
import type { FamilyMail, NoticeTemplateModule } from './family-mail';

/**
 * The mail side of every family. Typed loosely here on purpose: callers hold a family id as data
 * (from an activity's input), and each family's context schema checks the context before use.
 */
export type AnyFamilyMail = FamilyMail<NoticeFamilyId, PersonalContext & DeadlineContext>;

export const familyMails: Record<NoticeFamilyId, AnyFamilyMail> = {
  'annual-report': annualReportMail as unknown as AnyFamilyMail,
  declaration: declarationMail as unknown as AnyFamilyMail,
};

/** The template module of one notice in one language. */
export function templateModule(
  template: NoticeTemplate,
  language: NoticeLanguage,
): NoticeTemplateModule<PersonalContext & DeadlineContext> {
  const mail = familyMails[familyOfTemplate(template)];
  return (mail.templates[language] as Record<string, NoticeTemplateModule<PersonalContext & DeadlineContext>>)[
    template
  ] as NoticeTemplateModule<PersonalContext & DeadlineContext>;
}

/** The whole context schema of a template's family, personal fields included. */
export function noticeContextSchemaOf(template: NoticeTemplate) {
  return z.intersection(personalContextSchema, familyMails[familyOfTemplate(template)].context);
}
