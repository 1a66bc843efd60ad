import type { NoticeTemplate } from '../domain/notice-families';
import { templateModule } from './families';
import { textToHtml } from './html';
import type { DeadlineContext, NoticeLanguage, PersonalContext } from './notice-context';

export type RenderedNotice = { subject: string; text: string; html: string };

/**
 * Renders one notice of any family; `ctx` must be the template's family context. Throws
 * MissingNoticeFieldError when the template needs a field ctx lacks.
 */
export function renderNotice(template: NoticeTemplate, language: NoticeLanguage, ctx: PersonalContext & DeadlineContext): RenderedNotice {
  const module = templateModule(template, language);
  const text = module.text(ctx);
  // A subject is one header line; names with line breaks must not split it.
  const subject = module.subject(ctx).replace(/\s+/g, ' ').trim();
  return { subject, text, html: textToHtml(text, language) };
}
