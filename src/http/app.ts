/**
 * The web server: API under /api/v1 (with /openapi.json and docs at /api/docs), the partner
 * portal, staff and admin pages. Security headers on everything, an Origin check on every form
 * post, rate limits on login and link endpoints.
 */
import { readFileSync } from 'node:fs';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { t, parseLang } from '../web/i18n';
import { heading, page } from '../web/layout';
import { mountPartnerPages } from '../web/partner-pages';
import { mountStaffPages, staffPaths } from '../web/staff-pages';
import { mountBoardPages } from '../web/board-pages';
import { mountAccessionPartnerPages } from '../web/accession-pages';
import { mountAccessionStaffPages } from '../web/accession-staff-pages';
import { mountOpsPages } from '../web/ops-pages';
import { mountCyclePages } from '../web/cycle-pages';
import { createApi, withReportSchema } from './api';
import { projectFile } from '../project-files';
import { kernDist, mountAssets, swaggerDist } from './assets';
import { loadPrincipal } from './auth';
import { auditPartnerRefusals } from './partner-audit';
import type { AppDeps, AppEnv } from './context';
import { rateLimit } from './rate-limit';
import { formRequestIds } from './form-requests';
import { boundWorkflowWait, isWorkflowWaitOver, workflowWaitOverLine } from './workflow-wait';


export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const appCss = readFileSync(projectFile('src/web/app.css'), 'utf8');
  const app = new OpenAPIHono<AppEnv>();
  const publicOrigin = new URL(deps.config.publicBaseUrl).origin;

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      // The link token is in the URL of the link page: it must never travel on in a Referer.
      referrerPolicy: 'no-referrer',
    }),
  );
  app.use('*', csrf({ origin: (origin, c) => origin === publicOrigin || origin === new URL(c.req.url).origin }));
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    const chosen = parseLang(c.req.query('lang'));
    if (chosen) setCookie(c, 'lang', chosen, { path: '/', sameSite: 'Lax', httpOnly: true, maxAge: 365 * 86400 });
    c.set('lang', chosen ?? parseLang(getCookie(c, 'lang')) ?? 'de');
    await next();
  });
  app.use('*', boundWorkflowWait);
  app.use('*', loadPrincipal);
  app.use('*', formRequestIds);
  app.use('*', auditPartnerRefusals);
  const perMinute = () => deps.rateLimitPerMinute ?? 10;
  app.use('/link/*', rateLimit('link', perMinute));
  app.use(staffPaths.login, rateLimit('login', perMinute));
  app.use(staffPaths.secondFactor, rateLimit('second-factor', perMinute));

  mountAssets(app, '/assets/kern', kernDist());
  mountAssets(app, '/assets/swagger', swaggerDist());
  app.get('/assets/app.css', (c) => c.body(appCss, 200, { 'content-type': 'text/css; charset=utf-8' }));
  app.get('/assets/docs.js', (c) =>
    c.body("window.onload = () => { window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs' }); };", 200, {
      'content-type': 'text/javascript; charset=utf-8',
    }),
  );

  const api = createApi();
  app.route('/api/v1', api);
  app.get('/openapi.json', (c) =>
    c.json(
      withReportSchema(
        app.getOpenAPI31Document({
          openapi: '3.1.0',
          info: { title: 'Partnerflow API', version: '1', description: 'Annual reports, partner links, workflows. Errors are "field: reason" lines.' },
        }),
        '/api/v1',
      ),
    ),
  );
  app.get('/api/docs', (c) =>
    c.html(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partnerflow API</title>
<link rel="stylesheet" href="/assets/swagger/swagger-ui.css"></head><body><main id="docs"></main>
<script src="/assets/swagger/swagger-ui-bundle.js"></script><script src="/assets/docs.js"></script></body></html>`),
  );

  app.get('/', (c) => {
    const lang = c.get('lang');
    return page(
      c,
      t(lang, 'home'),
      html`${heading(t(lang, 'serviceName'))}
<p class="kern-body kern-body--large">${t(lang, 'homeIntro')}</p>
<p><a class="kern-btn kern-btn--primary" href="${staffPaths.login}"><span class="kern-label">${t(lang, 'staffLogin')}</span></a></p>`,
    );
  });
  mountPartnerPages(app);
  mountStaffPages(app);
  mountBoardPages(app);
  mountAccessionPartnerPages(app);
  mountAccessionStaffPages(app);
  mountOpsPages(app);
  mountCyclePages(app);

  app.notFound((c) => (c.req.path.startsWith('/api/') ? c.json({ errors: ['(path): no such route'] }, 404) : notFoundPage(c)));
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      if (c.req.path.startsWith('/api/')) return c.json({ errors: [`(request): ${error.message || 'refused'}`] }, error.status);
      return error.getResponse();
    }
    if (isWorkflowWaitOver(error)) return workflowWaitOver(c, deps.config.web.workflowWaitMs);
    console.error(error);
    return c.req.path.startsWith('/api/') ? c.json({ errors: ['(server): internal error'] }, 500) : c.text('Interner Fehler / internal error', 500);
  });
  return app;
}

/** No worker answered in time (workflow-wait.ts): 503, to be tried again later. */
function workflowWaitOver(c: Context<AppEnv>, waitMs: number) {
  c.header('Retry-After', '30');
  if (c.req.path.startsWith('/api/')) return c.json({ errors: [workflowWaitOverLine(waitMs)] }, 503);
  const lang = c.get('lang') ?? 'de';
  const text = t(lang, 'workflowWaitOverText', { seconds: Math.round(waitMs / 1000) });
  return page(c, t(lang, 'workflowWaitOver'), html`${heading(t(lang, 'workflowWaitOver'))}<p class="kern-body">${text}</p>`, 503);
}

function notFoundPage(c: Context<AppEnv>) {
  const lang = c.get('lang') ?? 'de';
  return page(c, t(lang, 'notFound'), heading(t(lang, 'notFound')), 404);
}
