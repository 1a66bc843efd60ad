/**
 * The page frame every page shares: KERN's header strip ("Kopfzeile"), the service name, the
 * navigation for whoever is logged in, the language switch, and the ministry's imprint.
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { AppEnv } from '../http/context';
import { permissions, accountWith } from '../http/auth';
import { t, type Lang } from './i18n';
import type { FieldError } from './report-form';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export function page(c: Context<AppEnv>, title: string, body: Html, status: 200 | 202 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 503 = 200) {
  const lang = c.get('lang');
  const principal = c.get('principal');
  const switchTo: Lang = lang === 'de' ? 'en' : 'de';
  const here = new URL(c.req.url);
  here.searchParams.set('lang', switchTo);
  const nav: [string, string][] = [];
  if (principal?.kind === 'partner') nav.push(['/portal', t(lang, 'overview')]);
  if (accountWith(principal, permissions.viewBoard)) nav.push([`/staff/reports`, t(lang, 'board', { year: '' }).trim()]);
  if (accountWith(principal, permissions.viewBoard)) nav.push(['/staff/accessions', lang === 'de' ? 'Beitritte' : 'Accessions']);
  if (accountWith(principal, permissions.viewBoard)) nav.push(['/staff/cycles', lang === 'de' ? 'Berichtszyklen' : 'Reporting cycles']);
  if (accountWith(principal, permissions.admin)) nav.push(['/admin/workflows', t(lang, 'workflows')]);
  return c.html(
    html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – ${t(lang, 'serviceName')}</title>
<link rel="stylesheet" href="/assets/kern/fonts/fira-sans.css">
<link rel="stylesheet" href="/assets/kern/kern.min.css">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<a class="kern-link skip-link" href="#inhalt">${t(lang, 'skipToContent')}</a>
<div class="kern-kopfzeile"><div class="kern-container"><span class="kern-kopfzeile__flagge" aria-hidden="true"></span><span class="kern-kopfzeile__label">${t(lang, 'officialSite')}</span></div></div>
<header class="site-header">
<div class="kern-container site-header__inner">
<a class="site-name" href="/">${t(lang, 'serviceName')}</a>
<nav aria-label="${lang === 'de' ? 'Hauptnavigation' : 'Main navigation'}"><ul class="kern-list kern-list--horizontal">
${nav.map(([href, label]) => html`<li><a class="kern-link" href="${href}">${label}</a></li>`)}
<li><a class="kern-link" href="${here.pathname + here.search}" lang="${switchTo}" aria-label="${t(lang, 'switchLanguageLabel')}">${t(lang, 'switchLanguage')}</a></li>
${principal ? html`<li><form method="post" action="/logout" class="inline-form"><button class="kern-btn kern-btn--tertiary kern-btn--x-small" type="submit"><span class="kern-label">${t(lang, 'logout')}</span></button></form></li>` : ''}
</ul></nav>
</div>
</header>
<main id="inhalt" class="kern-container page-main">
${body}
</main>
<footer class="site-footer"><div class="kern-container"><p class="kern-body kern-body--small">${t(lang, 'imprint')}</p></div></footer>
</body>
</html>`,
    status,
  );
}

export function heading(text: string) {
  return html`<h1 class="kern-heading-large">${text}</h1>`;
}

export function alert(kind: 'info' | 'success' | 'warning' | 'danger', title: string, body?: Html) {
  return html`<div class="kern-alert kern-alert--${kind}" role="${kind === 'danger' ? 'alert' : 'status'}"><div class="kern-alert__header"><span class="kern-icon kern-icon--${kind === 'danger' ? 'danger' : kind}" aria-hidden="true"></span><span class="kern-title">${title}</span></div>${body ? html`<div class="kern-alert__body">${body}</div>` : ''}</div>`;
}

/** The error summary at the top of a form: each entry links to its field, focus lands here. */
export function errorSummary(lang: Lang, errors: FieldError[], labelOf: (field: string) => string) {
  if (errors.length === 0) return '';
  return html`<div class="kern-alert kern-alert--danger error-summary" role="alert" tabindex="-1" id="fehler">
<div class="kern-alert__header"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><h2 class="kern-title">${t(lang, 'errorSummary')}</h2></div>
<div class="kern-alert__body"><p class="kern-body">${t(lang, 'errorSummaryIntro')}</p><ul class="kern-list">
${errors.map((e) => html`<li><a class="kern-link" href="#${fieldId(e.field)}">${labelOf(e.field)}: ${e.message}</a></li>`)}
</ul></div></div>`;
}

/** An id for a field name such as `sections[0].blocks[1].title`. */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '')}`;
}
