import type { NoticeTemplate } from '../domain/notice-families';
import { templateModule } from './families';
import { noticeHtml, type NoticeHtmlParts } from './html';
import type { DeadlineContext, NoticeLanguage, PersonalContext } from './notice-context';
import * as deCommon from './templates/de/common';
import * as enCommon from './templates/en/common';

export type RenderedNotice = { subject: string; text: string; html: string };

const common = { de: deCommon, en: enCommon } satisfies Record<NoticeLanguage, unknown>;

/**
 * Renders one notice of any family; `ctx` must be the template's family context. Throws
 * MissingNoticeFieldError when the template needs a field ctx lacks.
 */
export function renderNotice(template: NoticeTemplate, language: NoticeLanguage, ctx: PersonalContext & DeadlineContext): RenderedNotice {
  const module = templateModule(template, language);
  const text = module.text(ctx);
  // A subject is one header line; names with line breaks must not split it.
  const subject = module.subject(ctx).replace(/\s+/g, ' ').trim();
  return { subject, text, html: noticeHtml(htmlParts(language, ctx, text, module.actionLabel)) };
}

/**
 * What the HTML part puts forward, read off the text so both always agree: the button is the link
 * the text carries on a line of its own (the partner's form, or for staff the status page), the
 * due date is shown when there is something to do, and the caseworker paragraph the closing wrote.
 */
function htmlParts(language: NoticeLanguage, ctx: PersonalContext & DeadlineContext, text: string, formLabel?: string): NoticeHtmlParts {
  const { htmlLabels, imprint, contactLine, dueDate } = common[language];
  const formAction = formLabel ?? htmlLabels.formAction;
  const lines = new Set(text.split('\n').map((line) => line.trim()));
  // Staff mail carries ctx.formUrl = statusUrl (see activities/notices.ts), so the form check comes first only when it differs.
  const action =
    ctx.formUrl !== ctx.statusUrl && lines.has(ctx.formUrl)
      ? { label: formAction, url: ctx.formUrl }
      : lines.has(ctx.statusUrl)
        ? { label: htmlLabels.statusAction, url: ctx.statusUrl }
        : lines.has(ctx.formUrl)
          ? { label: formAction, url: ctx.formUrl }
          : undefined;
  const paragraphs = new Set(text.split(/\n{2,}/).map((paragraph) => paragraph.trim()));
  const contact = (['partner', 'staff'] as const)
    .map((audience) => ({ audience, paragraph: contactLine(ctx, audience) }))
    .find(({ paragraph }) => paragraph !== undefined && paragraphs.has(paragraph));
  return {
    language,
    text,
    action,
    due: action ? { label: htmlLabels.due, value: dueDate(ctx) } : undefined,
    contact:
      contact?.paragraph && ctx.contactPersonName && ctx.contactPersonEmail
        ? {
            paragraph: contact.paragraph,
            label: contact.audience === 'partner' ? htmlLabels.partnerContact : htmlLabels.staffContact,
            name: ctx.contactPersonName,
            email: ctx.contactPersonEmail,
          }
        : undefined,
    imprint,
  };
}
