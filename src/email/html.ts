import type { NoticeLanguage } from './notice-context';

const urlPattern = /https?:\/\/[^\s<>"]+/g;

/**
 * Derives the HTML part from the plain text, which stays the primary part: paragraphs at blank
 * lines, line breaks kept, links made clickable, and every character of input escaped.
 */
export function textToHtml(text: string, language: NoticeLanguage): string {
  const body = text
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.split('\n').map(inlineHtml).join('<br>\n')}</p>`)
    .join('\n');
  return `<!DOCTYPE html>\n<html lang="${language}">\n<head><meta charset="utf-8"></head>\n<body style="font-family: sans-serif; line-height: 1.5;">\n${body}\n</body>\n</html>\n`;
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
