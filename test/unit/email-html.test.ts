import { describe, expect, it } from 'vitest';
import { noticeTemplates, type NoticeTemplate } from '../../src/domain/notice-families';
import { noticeLanguages, type DeadlineContext, type NoticeLanguage, type PersonalContext } from '../../src/email/notice-context';
import { renderNotice } from '../../src/email/render';
import { noticeSamples } from '../../src/email/templates/samples';

const ministry = 'Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen';

/** The links styled as buttons: a link whose table cell carries the button colour. */
function buttons(html: string) {
  return [...html.matchAll(/<td bgcolor="[^"]*"[^>]*><a href="([^"]*)"[^>]*>([^<]*)<\/a><\/td>/g)].map(([, href, label]) => ({
    label: unescape(label ?? ''),
    href: unescape(href ?? ''),
  }));
}

/** The due date box's value, set large and bold. */
function dueBox(html: string) {
  return /<strong style="font-size: 22px;">([^<]*)<\/strong>/.exec(html)?.[1];
}

/** The visible text, tags dropped and entities read. */
function visible(html: string) {
  return unescape(html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
}

function unescape(value: string) {
  return value
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
}

function render(template: NoticeTemplate, language: NoticeLanguage, ctx?: PersonalContext & DeadlineContext) {
  return renderNotice(template, language, ctx ?? noticeSamples[template]);
}

describe('the HTML part of a notice', () => {
  const cases: [NoticeTemplate, 'formUrl' | 'statusUrl', Record<NoticeLanguage, string>, Record<NoticeLanguage, string>][] = [
    ['report-invitation', 'formUrl', { de: 'Zum Formular', en: 'Open the form' }, { de: 'Ihre Ansprechperson im Ministerium', en: 'Your contact at the ministry' }],
    ['report-reminder', 'formUrl', { de: 'Zum Formular', en: 'Open the form' }, { de: 'Ihre Ansprechperson im Ministerium', en: 'Your contact at the ministry' }],
    ['report-escalation-ministry', 'statusUrl', { de: 'Vorgang ansehen', en: 'View the case' }, { de: 'Zuständige Sachbearbeitung', en: 'Caseworker in charge' }],
  ];
  for (const language of noticeLanguages) {
    it.each(cases)(`%s (${language}) has one button to the %s, the due date, the contact person, the imprint and its language`, (template, link, label, contactLabel) => {
      const ctx = noticeSamples[template];
      const { html, text } = render(template, language);
      expect(buttons(html)).toEqual([{ label: label[language], href: ctx[link] }]);
      expect(html).toContain(`<html lang="${language}">`);
      const due = language === 'de' ? '31.03.2019' : '31 March 2019';
      // Prominent: in the box above the text, set large and bold.
      expect(dueBox(html)).toBe(due);
      expect(visible(html)).toContain(contactLabel[language]);
      expect(visible(html)).toContain('Martin Vogel');
      expect(html).toMatch(/<a href="mailto:martin\.vogel@ministerium\.example\.org"[^>]*>martin\.vogel@ministerium\.example\.org<\/a>/);
      expect(visible(html)).toContain(ministry);
      // The text part says the same.
      expect(text).toContain(`${contactLabel[language]}: Martin Vogel, martin.vogel@ministerium.example.org`);
      expect(text).toContain(ministry);
      expect(text).toContain(ctx[link]);
      // No image, stylesheet or script from elsewhere.
      expect(html).not.toMatch(/<(img|link|script|style)\b/i);
      expect(html).not.toMatch(/src=/i);
    });
  }

  it.each(noticeLanguages)('every family: at most one button, to the one link the text carries (%s)', (language) => {
    const withButton = new Set<string>();
    for (const template of noticeTemplates) {
      const ctx = noticeSamples[template];
      const { html, text } = render(template, language);
      const carried = text.split('\n').filter((line) => line === ctx.formUrl || line === ctx.statusUrl);
      expect(buttons(html).map((b) => b.href), template).toEqual(carried.slice(0, 1));
      // Staff mail leads to the staff page, partner mail to the partner's link.
      if (template.endsWith('-ministry')) expect(carried, template).toEqual([ctx.statusUrl]);
      if (carried.length > 0) withButton.add(template);
    }
    for (const family of ['report-invitation', 'declaration-invitation', 'agreement-for-signature', 'milestone-request', 'milestone-overdue-ministry']) {
      expect(withButton.has(family), family).toBe(true);
    }
  });

  it('names the button after what it opens where "form" would not fit', () => {
    expect(buttons(render('agreement-for-signature', 'de').html)).toEqual([
      { label: 'Zur Vereinbarung', href: noticeSamples['agreement-for-signature'].formUrl },
    ]);
    expect(buttons(render('milestone-request', 'en').html).map((b) => b.label)).toEqual(['Give your update']);
    expect(buttons(render('declaration-invitation', 'de').html).map((b) => b.label)).toEqual(['Zum Formular']);
  });

  it('the staff escalation never offers the partner link', () => {
    const { html } = render('report-escalation-ministry', 'de');
    expect(html).not.toContain('token=');
  });

  it('a notice with nothing to do has no button and no due box, but the imprint', () => {
    const { html } = render('report-accepted', 'de');
    expect(buttons(html)).toEqual([]);
    expect(dueBox(html)).toBeUndefined();
    expect(visible(html)).toContain(ministry);
  });

  it('leaves the contact person out of both parts when none is assigned', () => {
    const { contactPersonName: _name, contactPersonEmail: _email, ...ctx } = noticeSamples['report-invitation'];
    const { html, text } = render('report-invitation', 'de', ctx);
    expect(text).not.toContain('Ansprechperson');
    expect(html).not.toContain('Ansprechperson');
    expect(buttons(html)).toHaveLength(1);
  });

  it('escapes HTML special characters in names and addresses', () => {
    const ctx = {
      ...noticeSamples['report-invitation'],
      recipientName: '<b>Ö & "Co"</b>',
      partnerName: "Kreis <Lippe> & 'Söhne'",
      contactPersonName: '<img src=x onerror=alert(1)>',
      formUrl: 'https://partnerflow.example.org/reports/2018/7?token=a&b="c"',
    };
    const { html } = render('report-invitation', 'de', ctx);
    expect(html).not.toMatch(/<(b|img)\b/);
    expect(html).toContain('Guten Tag &lt;b&gt;Ö &amp; &quot;Co&quot;&lt;/b&gt;,');
    expect(html).toContain('Kreis &lt;Lippe&gt; &amp; &#39;Söhne&#39;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(buttons(html)).toEqual([{ label: 'Zum Formular', href: 'https://partnerflow.example.org/reports/2018/7?token=a&b="c"' }]);
  });
});
