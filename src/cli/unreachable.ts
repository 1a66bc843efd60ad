/**
 * A server the CLI needs that does not answer becomes one line saying what to start, not a driver's
 * stack trace. Light on purpose: main.ts imports it for errors that escape the runtime helpers.
 */
import type { Config } from '../config';
import { CliError } from './output';

/** Codes Node's sockets and postgres.js give a connection that never came up. */
const connectionCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'CONNECT_TIMEOUT']);

/** The socket error that says a connection could not be made, looked for along the `cause` chain (drizzle wraps driver errors). */
export type ConnectionFailure = { port?: number; hostname?: string };

export function connectionFailure(error: unknown): ConnectionFailure | undefined {
  for (let current = error, hops = 0; current instanceof Error && hops < 8; current = current.cause, hops++) {
    // A refused or timed-out connect names the port; a name that does not resolve names the host.
    const { code, port, hostname } = current as NodeJS.ErrnoException & { port?: unknown; hostname?: unknown };
    if (typeof code === 'string' && connectionCodes.has(code)) {
      return {
        ...(typeof port === 'number' ? { port } : {}),
        ...(typeof hostname === 'string' ? { hostname } : {}),
      };
    }
  }
  return undefined;
}

/** host:port of the database URL, without the credentials it carries. */
export function databaseAddress(config: Pick<Config, 'database'>): string {
  try {
    const url = new URL(config.database.url);
    return `${url.hostname}:${url.port || '5432'}`;
  } catch {
    return 'the configured address';
  }
}

export function databaseUnreachable(config: Pick<Config, 'database'>): CliError {
  return new CliError([`PostgreSQL at ${databaseAddress(config)} is not reachable: start the stack with \`npm run dev\`, or set DATABASE_URL`]);
}

export function temporalUnreachable(config: Pick<Config, 'temporal'>): CliError {
  return new CliError([`Temporal at ${config.temporal.address} is not reachable: start the stack with \`npm run dev\`, or set TEMPORAL_ADDRESS`]);
}

/** Whether a connection failure was one to the configured database (and not, say, to the SMTP server). */
export function isDatabaseFailure(failure: ConnectionFailure, config: Pick<Config, 'database'>): boolean {
  const [host, port] = databaseAddress(config).split(':');
  if (failure.port !== undefined) return String(failure.port) === port;
  return failure.hostname === undefined || failure.hostname === host;
}
