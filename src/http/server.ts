/** Runs the web app on PUBLIC_BASE_URL's port (loopback only when that URL is local). */
import { serve } from '@hono/node-server';
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { createApp } from './app';

export type WebServer = { url: string; stop(): Promise<void> };

export async function startWebServer(deps: { config: Config; db: Database; temporal: Client; port?: number }): Promise<WebServer> {
  const base = new URL(deps.config.publicBaseUrl);
  const port = deps.port ?? Number(base.port || (base.protocol === 'https:' ? 443 : 80));
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(base.hostname);
  const app = createApp({ db: deps.db, config: deps.config, temporal: deps.temporal });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port, hostname: local ? '127.0.0.1' : '0.0.0.0' }, () => resolve(started));
    started.once('error', reject);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  return {
    url: local ? `http://localhost:${actualPort}` : deps.config.publicBaseUrl,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
