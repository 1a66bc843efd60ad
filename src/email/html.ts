import type { NoticeLanguage } from './notice-context';

const urlPattern = /https?:\/\/[^\s<>"]+/g;

/** What the HTML part shows besides the text: all of it is also in the text, worded the same. */
export type NoticeHtmlParts = {
  language: NoticeLanguage;
  /** The plain text part, which stays the primary part; the HTML part is built from it. */
  text: string;
  /** The one button: the first line of the text that is exactly this URL becomes it. */
  action?: { label: string; url: string };
  /** Shown prominently above the text. */
  due?: { label: string; value: string };
  /** The text's caseworker paragraph ("Label: Name, address"), shown as a box with a mailto link. */
  contact?: { paragraph: string; label: string; name: string; email: string };
  /** The text's imprint paragraph, moved to the footer. */
  imprint: string;
};

// Colours: white on #0b4f8a and #1b1b1b on #ffffff pass WCAG AA with margin; the due box is dark on light.
const font = 'font-family: Arial, Helvetica, sans-serif;';
const bodyText = `${font} font-size: 16px; line-height: 1.5; color: #1b1b1b;`;

/**
 * The HTML part of a notice: table layout and inline styles (what mail clients keep), no external
 * resources, every piece of input escaped. It says what the text says, with the family's link as
 * one button, the due date on top, the caseworker as the person to ask and the imprint as footer.
 */
export function noticeHtml(parts: NoticeHtmlParts): string {
  let buttonPlaced = false;
  const blocks: string[] = [];
  for (const paragraph of parts.text.trim().split(/\n{2,}/)) {
    if (paragraph === parts.imprint) continue;
    if (parts.contact && paragraph === parts.contact.paragraph) {
      blocks.push(contactBox(parts.contact));
      continue;
    }
    const lines: string[] = [];
    let afterButton: string[] | undefined;
    for (const line of paragraph.split('\n')) {
      if (!buttonPlaced && parts.action && line.trim() === parts.action.url) {
        buttonPlaced = true;
        afterButton = [];
        continue;
      }
      (afterButton ?? lines).push(inlineHtml(line));
    }
    if (lines.length > 0) blocks.push(`<p style="margin: 0 0 16px 0; ${bodyText}">${lines.join('<br>\n')}</p>`);
    if (afterButton && parts.action) {
      blocks.push(button(parts.action));
      if (afterButton.length > 0) blocks.push(`<p style="margin: 0 0 16px 0; ${bodyText}">${afterButton.join('<br>\n')}</p>`);
    }
  }
  const due = parts.due
    ? `<tr><td style="padding: 24px 32px 0 32px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td style="padding: 12px 16px; background-color: #eef4fa; border-left: 6px solid #0b4f8a; ${font} color: #1b1b1b;"><span style="font-size: 14px;">${escapeHtml(parts.due.label)}</span><br><strong style="font-size: 22px;">${escapeHtml(parts.due.value)}</strong></td></tr></table></td></tr>\n`
    : '';
  return `<!DOCTYPE html>
<html lang="${parts.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
</head>
<body style="margin: 0; padding: 0; background-color: #f2f2f2;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color: #f2f2f2;">
<tr><td align="center" style="padding: 16px 8px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width: 640px; background-color: #ffffff; border: 1px solid #d0d0d0;">
${due}<tr><td style="padding: 24px 32px 8px 32px;">
${blocks.join('\n')}
</td></tr>
<tr><td style="padding: 16px 32px; border-top: 1px solid #d0d0d0; background-color: #f7f7f7; ${font} font-size: 13px; line-height: 1.5; color: #3d3d3d;">${escapeHtml(parts.imprint)}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

/** A link styled as a button; the table cell carries the colour for clients that drop a link's padding. */
function button(action: { label: string; url: string }): string {
  const href = escapeHtml(action.url);
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin: 0 0 24px 0;"><tr><td bgcolor="#0b4f8a" style="background-color: #0b4f8a; border-radius: 4px;"><a href="${href}" style="display: inline-block; padding: 12px 24px; ${font} font-size: 17px; font-weight: bold; color: #ffffff; text-decoration: none; border-radius: 4px;">${escapeHtml(action.label)}</a></td></tr></table>
<p style="margin: 0 0 16px 0; ${font} font-size: 13px; line-height: 1.5; color: #3d3d3d; word-break: break-all;">${href}</p>`;
}

function contactBox(contact: { label: string; name: string; email: string }): string {
  return `<p style="margin: 0 0 16px 0; padding: 12px 16px; border: 1px solid #d0d0d0; ${bodyText}"><strong>${escapeHtml(contact.label)}</strong><br>\n${escapeHtml(contact.name)}<br>\n<a href="mailto:${escapeHtml(contact.email)}" style="color: #0b4f8a;">${escapeHtml(contact.email)}</a></p>`;
}

function inlineHtml(line: string): string {
  let html = '';
  let last = 0;
  for (const match of line.matchAll(urlPattern)) {
    const url = match[0];
    html += escapeHtml(line.slice(last, match.index)) + `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return html + escapeHtml(line.slice(last));
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
