import { describe, expect, it } from 'vitest';
import { noticeTemplates, type NoticeTemplate } from '../../src/domain/notice-families';
import { formatDate, formatDateTime } from '../../src/email/format';
import { noticeHtml } from '../../src/email/html';
import { noticeContextSchemaOf } from '../../src/email/families';
import { MissingNoticeFieldError, noticeLanguages } from '../../src/email/notice-context';
import { renderNotice } from '../../src/email/render';
import { noticeSamples } from '../../src/email/templates/samples';

const partnerTemplatesWithForm: NoticeTemplate[] = [
  'report-invitation',
  'report-reminder',
  'report-overdue',
  'report-escalation-partner',
  'report-revision-requested',
  'report-extension-granted',
];

describe('renderNotice', () => {
  it.each(noticeLanguages)('renders every template in %s from its sample without gaps', (language) => {
    for (const template of noticeTemplates) {
      const ctx = noticeContextSchemaOf(template).parse(noticeSamples[template]);
      const { subject, text, html } = renderNotice(template, language, ctx);
      expect(subject, template).not.toMatch(/undefined|null|NaN|\[object/);
      expect(text, template).not.toMatch(/undefined|null|NaN|\[object/);
      expect(text, template).toContain(ctx.recipientName);
      expect(html, template).toContain(`<html lang="${language}">`);
    }
  });

  it.each(noticeLanguages)('gives the partner the form link and only staff the status link (%s)', (language) => {
    for (const template of partnerTemplatesWithForm) {
      const { text } = renderNotice(template, language, noticeSamples[template]);
      expect(text, template).toContain(noticeSamples[template].formUrl);
      expect(text, template).not.toContain(noticeSamples[template].statusUrl);
    }
    const ministry = renderNotice('report-escalation-ministry', language, noticeSamples['report-escalation-ministry']);
    expect(ministry.text).toContain(noticeSamples['report-escalation-ministry'].statusUrl);
    // The signed form link would let staff submit as the partner; it stays out of ministry mail.
    expect(ministry.text).not.toContain('token=');
  });

  it('refuses to render a receipt without a reference number', () => {
    const { reference: _reference, ...withoutReference } = noticeSamples['report-received'];
    expect(() => renderNotice('report-received', 'de', withoutReference)).toThrow(MissingNoticeFieldError);
    expect(() => renderNotice('report-received', 'de', withoutReference)).toThrow(
      'reference: required by the report-received template',
    );
  });

  it('refuses to request a revision without the comments', () => {
    const { comments: _comments, ...withoutComments } = noticeSamples['report-revision-requested'];
    expect(() => renderNotice('report-revision-requested', 'en', withoutComments)).toThrow(
      'comments: required by the report-revision-requested template',
    );
  });

  it('keeps the subject on one line when a name contains a line break', () => {
    const ctx = { ...noticeSamples['report-escalation-partner'], partnerName: 'Kreis\nLippe' };
    expect(renderNotice('report-escalation-partner', 'de', ctx).subject).toBe(
      'Dringend: Ausstehender Jahresbericht 2018 – Kreis Lippe',
    );
  });

  it('escapes names and comments in the HTML part', () => {
    const ctx = {
      ...noticeSamples['report-revision-requested'],
      recipientName: '<script>alert("x")</script>',
      comments: 'Tabelle 3 & 4 <fehlen>',
    };
    const { html } = renderNotice('report-revision-requested', 'de', ctx);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Guten Tag &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,');
    expect(html).toContain('Tabelle 3 &amp; 4 &lt;fehlen&gt;');
  });
});

describe('noticeHtml', () => {
  const body = (html: string) => html.replace(/ style="[^"]*"/g, '');

  it('turns paragraphs, line breaks and links into HTML', () => {
    const html = body(noticeHtml({ language: 'de', text: 'Guten Tag,\n\nbitte hier:\nhttps://example.org/a?b=1&c=2\n\nDanke', imprint: 'Ministerium' }));
    expect(html).toContain('<p>Guten Tag,</p>');
    expect(html).toContain(
      '<p>bitte hier:<br>\n<a href="https://example.org/a?b=1&amp;c=2">https://example.org/a?b=1&amp;c=2</a></p>',
    );
    expect(html).toContain('<p>Danke</p>');
  });

  it('does not let a quote end the href of a link', () => {
    const html = body(noticeHtml({ language: 'en', text: 'https://example.org/x"onmouseover="alert(1)', imprint: 'Ministerium' }));
    expect(html).toContain('<a href="https://example.org/x">https://example.org/x</a>&quot;onmouseover=&quot;alert(1)');
  });
});

describe('dates in notices', () => {
  it('shows the local due date, not the UTC one', () => {
    // 31 March 2019, 23:59:59 in Berlin (summer time began that morning) is still 21:59:59 UTC.
    expect(formatDate('2019-03-31T21:59:59Z', 'Europe/Berlin', 'de')).toBe('31.03.2019');
    expect(formatDate('2019-03-31T21:59:59Z', 'Europe/Berlin', 'en')).toBe('31 March 2019');
    expect(formatDate('2019-03-31T22:30:00Z', 'Europe/Berlin', 'de')).toBe('01.04.2019');
  });

  it('shows submission times with the local clock time', () => {
    expect(formatDateTime('2019-03-28T13:05:00Z', 'Europe/Berlin', 'de')).toBe('28.03.2019 um 14:05 Uhr');
    expect(formatDateTime('2019-07-01T07:30:00Z', 'Europe/Berlin', 'en')).toBe('1 July 2019 at 09:30');
  });
});
