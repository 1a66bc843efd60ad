/**
 * The operations endpoints of a Partnerflow process (the worker today):
 *   GET /metrics  our Prometheus metrics, followed by the Temporal SDK's (fetched from its own
 *                 exporter on loopback), so one scrape target has both;
 *   GET /healthz  liveness: the process answers;
 *   GET /readyz   readiness: every check passes (database reachable, worker polling), else 503
 *                 with the failing checks named.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A readiness check resolves true when ready; false or an error (its message is shown) when not. */
export type ReadinessCheck = () => Promise<boolean>;

export type OpsServerOptions = {
  port: number;
  /** Default: every interface, so a container's probe and a Prometheus server can reach it. */
  host?: string;
  registry: Registry;
  /** The Temporal SDK's Prometheus endpoint (http://127.0.0.1:PORT/metrics), if the runtime serves one. */
  sdkMetricsUrl?: string;
  readiness: Record<string, ReadinessCheck>;
};

export type OpsServer = { port: number; close(): Promise<void> };

/** A check that neither answers nor fails within this time counts as not ready. */
const checkTimeoutMs = 2_000;

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((request, response) => {
    route(options, request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function route(options: OpsServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (request.method !== 'GET') return send(response, 405, 'text/plain; charset=utf-8', 'only GET\n');
  switch (path) {
    case '/healthz':
      return send(response, 200, 'text/plain; charset=utf-8', 'ok\n');
    case '/readyz': {
      const results = await runChecks(options.readiness);
      const ready = Object.values(results).every((result) => result === 'ok');
      return send(response, ready ? 200 : 503, 'application/json', `${JSON.stringify({ ready, checks: results })}\n`);
    }
    case '/metrics': {
      const ours = await options.registry.metrics();
      const sdk = options.sdkMetricsUrl ? await sdkMetrics(options.sdkMetricsUrl) : '';
      return send(response, 200, options.registry.contentType, `${ours}\n${sdk}`);
    }
    default:
      return send(response, 404, 'text/plain; charset=utf-8', 'not found: /metrics, /healthz, /readyz\n');
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType });
  response.end(body);
}

/** 'ok', or the reason a check is not ready. */
async function runChecks(checks: Record<string, ReadinessCheck>): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        const ready = await withTimeout(check());
        return [name, ready ? 'ok' : 'not ready'] as const;
      } catch (error) {
        return [name, error instanceof Error ? error.message : String(error)] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${checkTimeoutMs} ms`)), checkTimeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The SDK exporter's text; a comment instead when it cannot be read, so our own metrics still go out. */
async function sdkMetrics(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(checkTimeoutMs) });
    if (!response.ok) return `# Temporal SDK metrics unavailable: HTTP ${response.status}\n`;
    return await response.text();
  } catch (error) {
    return `# Temporal SDK metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`;
  }
}

/** A port free on loopback a moment ago, for the SDK's exporter, which only we read. */
export async function freeLoopbackPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
