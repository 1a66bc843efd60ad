/**
 * Temporal's codec server protocol (docs.temporal.io, "Codec Server"): the Web UI and
 * `temporal --codec-endpoint` POST `{"payloads":[...]}` to `<endpoint>/decode` (and `/encode`) and get
 * the payloads back transformed. Decoded histories show partners' data, so only admins may call it.
 *
 * A Hono app, so the web server can mount it (with its own session check as `verifyAdmin`) and
 * `npm run dev` can run it alone (startCodecServer).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { serve } from '@hono/node-server';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { z } from 'zod';
import type { Config } from '../config';
import type { DbOrTx } from '../db/client';
import { formatIssues } from '../domain/issues';
import { adminReadingCodec } from '../temporal/admin-codec';

/** Who is asking: the web server's sessions answer this too; `forbidden` is a signed-in non-admin. */
export type AdminVerifier = (request: Request) => Promise<AdminCheck> | AdminCheck;
export type AdminCheck = 'admin' | 'forbidden' | 'unauthenticated';

/** `Authorization: Bearer <CODEC_ADMIN_TOKEN>`, what `temporal --codec-auth` sends. */
export function bearerTokenVerifier(token: string): AdminVerifier {
  const expected = digest(token);
  return (request) => {
    const match = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '');
    if (!match?.[1]) return 'unauthenticated';
    // Digests have equal length, so the comparison takes the same time whatever was sent.
    return timingSafeEqual(digest(match[1]), expected) ? 'admin' : 'unauthenticated';
  };
}

/** Payloads in the protocol's JSON: metadata values and data in base64 (proto3 JSON of `bytes`). */
const payloadsBody = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), z.base64('must be base64')).optional(),
      data: z.base64('must be base64').optional(),
    }),
  ),
});
type JsonPayload = z.infer<typeof payloadsBody>['payloads'][number];

export function createCodecApp(options: {
  codec: PayloadCodec;
  verifyAdmin: AdminVerifier;
  /** Origins of the Web UIs allowed to call from a browser (with credentials). */
  allowedOrigins: string[];
}): Hono {
  const app = new Hono();
  // The Web UI sends X-Namespace, and Authorization or cookies when set to pass credentials;
  // the preflight is answered here, before the admin check (a browser sends no credentials with it).
  app.use(
    '*',
    cors({
      origin: options.allowedOrigins,
      allowMethods: ['POST', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'X-Namespace', 'Authorization'],
      credentials: true,
      maxAge: 600,
    }),
  );
  app.use('*', async (c, next) => {
    const check = await options.verifyAdmin(c.req.raw);
    if (check === 'unauthenticated') {
      c.header('WWW-Authenticate', 'Bearer realm="partnerflow-codec"');
      return c.json({ error: 'an admin credential is required' }, 401);
    }
    if (check === 'forbidden') return c.json({ error: 'only admins may decode histories' }, 403);
    return next();
  });
  for (const direction of ['encode', 'decode'] as const) {
    app.post(`/${direction}`, async (c) => {
      const parsed = payloadsBody.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) return c.json({ error: formatIssues(parsed.error).join('\n') }, 400);
      const transformed = await options.codec[direction](parsed.data.payloads.map(fromJson));
      return c.json({ payloads: transformed.map(toJson) });
    });
  }
  return app;
}

export type CodecServer = {
  /** For `temporal --codec-endpoint <url> --codec-auth "Bearer <token>"`. */
  url: string;
  /** For a Web UI that has no login to pass a token (the dev server's): the token is in the path. */
  uiEndpoint: string | undefined;
  stop(): Promise<void>;
};

/**
 * Runs the codec endpoint on its own port: `/codec` takes the bearer token; with `tokenInPath`
 * (development only: the dev Web UI cannot send a token) `/codec/<token>` too, the path being the credential.
 */
export async function startCodecServer(options: {
  config: Pick<Config, 'payloadKeys' | 'codecServer'>;
  db: DbOrTx;
  port?: number;
  tokenInPath?: boolean;
}): Promise<CodecServer> {
  const { config, db } = options;
  const codec = adminReadingCodec({ db, config });
  const allowedOrigins = config.codecServer.allowedOrigins;
  const root = new Hono();
  const secretPath = `/codec/${encodeURIComponent(config.codecServer.adminToken)}`;
  // First: `/codec`'s middleware matches the longer path too and would ask for the header.
  if (options.tokenInPath) root.route(secretPath, createCodecApp({ codec, allowedOrigins, verifyAdmin: () => 'admin' }));
  root.route('/codec', createCodecApp({ codec, allowedOrigins, verifyAdmin: bearerTokenVerifier(config.codecServer.adminToken) }));

  const port = options.port ?? config.codecServer.port;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: root.fetch, port, hostname: '127.0.0.1' }, () => resolve(started));
    started.once('error', reject);
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}/codec`,
    uiEndpoint: options.tokenInPath ? `${base}${secretPath}` : undefined,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function fromJson(payload: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: payload.data === undefined ? undefined : Buffer.from(payload.data, 'base64'),
  };
}

function toJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
    ...(payload.data ? { data: Buffer.from(payload.data).toString('base64') } : {}),
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
