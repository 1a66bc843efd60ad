/**
 * Whether an error means the database is not there right now (refused, dropped or restarting
 * connection), as opposed to a bug or a refused statement: such an attempt is worth repeating soon.
 */

/** Codes of Node's sockets and of postgres.js for a connection that could not be made or was lost. */
const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/** SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, starting up). */
const outageStates = /^(08|57P)/;

/** Looks along the `cause` chain: drizzle wraps the driver's error. */
export function isDatabaseOutage(error: unknown): boolean {
  for (let current = error, hops = 0; current instanceof Error && hops < 8; current = current.cause, hops++) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && (connectionCodes.has(code) || outageStates.test(code))) return true;
  }
  return false;
}
