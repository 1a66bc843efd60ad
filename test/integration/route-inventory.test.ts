/**
 * Every route has a happy-path test: the app's routes (API and pages, as Hono registered them)
 * and the operations of /openapi.json, checked against test/support/route-tests.ts, whose every
 * entry must name a test that exists. Nothing runs but the app's construction: no database, no
 * Temporal, since this is the suite's table of contents, not a test of behaviour.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/http/app';
import type { AppDeps } from '../../src/http/context';
import { openApiKey, routeKey, routeTests } from '../support/route-tests';

// The app reads its dependencies per request; building it, listing its routes and serving the
// document touch none of them.
const app = createApp({ config: loadConfig({}), db: undefined, temporal: undefined } as unknown as AppDeps);
const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** The routes that answer requests; `app.use` middleware registers as method ALL. */
const appRoutes = [...new Set(app.routes.filter((route) => route.method !== 'ALL').map((route) => routeKey(route.method, route.path)))].sort();

async function documentedOperations(): Promise<string[]> {
  const document = (await (await app.request('http://localhost/openapi.json')).json()) as { paths: Record<string, Partial<Record<(typeof methods)[number], unknown>>> };
  return Object.entries(document.paths)
    .flatMap(([path, operations]) => methods.filter((method) => operations[method] !== undefined).map((method) => openApiKey(method, path)))
    .sort();
}

describe('the route inventory', () => {
  it('finds the routes of the API and of the pages', async () => {
    // Guards the guard: a change in how Hono lists routes must not leave an empty inventory.
    expect(appRoutes.length).toBeGreaterThan(80);
    expect(appRoutes).toEqual(expect.arrayContaining(['POST /api/v1/partner/reports/:year/submission', 'GET /portal/reports/:year/receipts/:reference', 'POST /staff/accessions/:number/end/:outcome']));
    expect(routeKey('GET', '/staff/cycles/:year{[0-9]{4}}/versions/:version{[0-9]+}/:file')).toBe('GET /staff/cycles/:year/versions/:version/:file');
  });

  it('documents every API route in /openapi.json, and nothing that does not answer', async () => {
    const api = appRoutes.filter((key) => key.split(' ')[1]!.startsWith('/api/v1/'));
    expect(await documentedOperations()).toEqual(api);
  });

  it('has a happy-path test for every route, and no entry for a route that is gone', () => {
    const missing = appRoutes.filter((key) => !(key in routeTests));
    const stale = Object.keys(routeTests).filter((key) => !appRoutes.includes(key));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it('names tests that exist', () => {
    const sources = new Map<string, string>();
    const absent = Object.entries(routeTests).flatMap(([route, test]) => {
      const [file, title] = test.split(' › ') as [string, string];
      const path = join(process.cwd(), file);
      if (!sources.has(file)) sources.set(file, existsSync(path) ? readFileSync(path, 'utf8') : '');
      const source = sources.get(file)!;
      const declared = [`it('${title}'`, `it("${title}"`, `it(\`${title}\``].some((opening) => source.includes(opening));
      return declared ? [] : [`${route}: no test "${title}" in ${file}`];
    });
    expect(absent).toEqual([]);
  });
});
