/** Static files from installed packages (KERN styles and fonts, Swagger UI): nothing from a CDN. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from './context';

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}


const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Serves `root/<rest>` under `prefix`; paths leaving root and unknown file types are 404. */
export function mountAssets(app: Hono<AppEnv>, prefix: string, root: string): void {
  app.get(`${prefix}/*`, async (c) => {
    const rest = decodeURIComponent(c.req.path.slice(prefix.length + 1));
    const file = normalize(join(root, rest));
    const type = contentTypes[extname(file)];
    if (!file.startsWith(root + sep) || type === undefined) return c.notFound();
    try {
      const body = await readFile(file);
      return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
    } catch {
      return c.notFound();
    }
  });
}

export const kernDist = () => join(packageDir('@kern-ux/native'), 'dist');
export const swaggerDist = () => packageDir('swagger-ui-dist');
