/**
 * Structured logs: one JSON line per event (pino), or readable lines on a terminal (pino-pretty).
 * Each process (worker, CLI, dev stack, later the HTTP server) installs one logger at start with
 * `useLogger`; everything else, including the Temporal SDK (src/temporal/runtime.ts), writes
 * through `processLogger()`. Events name the workflow, partner and idempotency key where they apply.
 * Email addresses and names stay out of logs: recipients appear by role.
 */
import { createRequire } from 'node:module';
import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import type pinoPretty from 'pino-pretty';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { Config } from '../config';

export type { Logger };

export type LoggerOptions = {
  level: Config['logLevel'];
  /** Unset: pretty on a terminal, JSON otherwise. */
  format: Config['logFormat'];
  /** Which process writes: 'worker', 'cli', 'dev', 'http'. */
  name: string;
  /** A file descriptor (1 stdout, 2 stderr) or a stream (tests); default stdout. */
  destination?: 1 | 2 | DestinationStream;
};

export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? 1;
  const terminal = typeof destination === 'number' && Boolean(destination === 1 ? process.stdout.isTTY : process.stderr.isTTY);
  const format = options.format ?? (terminal ? 'pretty' : 'json');
  const settings = {
    name: options.name,
    level: options.level,
    // Level names and ISO times read the same in a log viewer and in `grep`.
    formatters: { level: (label: string) => ({ level: label }) },
    timestamp: stdTimeFunctions.isoTime,
  };
  if (format === 'pretty') {
    // Loaded only for readable lines: a worker in a container writes JSON and skips pino-pretty and
    // its formatting packages at start (issue 14). Synchronous, since createLogger is.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof pinoPretty;
    return pino(
      settings,
      pretty({
        destination,
        sync: true,
        colorize: terminal,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,name,part',
        messageFormat: '{if part}[{part}] {end}{msg}',
      }),
    );
  }
  return pino(settings, typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination);
}

let installed: Logger | undefined;

/** Makes `logger` the process's logger (call once at start; tests swap in a capturing one). */
export function useLogger(logger: Logger): void {
  installed = logger;
}

/** The process's logger; JSON at info on stdout until an entry point installs its own. */
export function processLogger(): Logger {
  installed ??= createLogger({ level: 'info', format: 'json', name: 'partnerflow' });
  return installed;
}

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's Logger interface on top of the process logger (read at each call, so a test
 * may swap it). Installed as the SDK runtime's logger (src/temporal/runtime.ts), and used as the
 * activity logger's stand-in outside an activity.
 */
const knownWarnings = [
  // The documents worker registers no workflows on purpose; the SDK warns so at every start.
  { sdkComponent: 'worker', start: 'No workflows registered, not polling for workflow tasks' },
  // The time-skipping test server does not advertise this capability, so core warns at each activity that fails;
  // the servers the product runs on (1.29) do. Where an activity resumes from its heartbeat details (the cycle's
  // starts), older details only mean it checks again what it already did.
  { sdkComponent: 'core', start: 'Temporal Server 1.16.0 or newer is required to guarantee that the latest heartbeat details' },
];

export class TemporalLogAdapter implements TemporalLogger {
  log(level: LogLevel, message: string, meta: LogMetadata = {}): void {
    // The SDK's own INFO lines (bundling, worker state changes) are chatter for operators: debug.
    const sdkChatter =
      (level === 'INFO' && (meta.sdkComponent === 'worker' || meta.sdkComponent === 'core')) ||
      (level === 'WARN' && knownWarnings.some((known) => meta.sdkComponent === known.sdkComponent && message.startsWith(known.start)));
    // An activity's task token is an opaque credential-like blob that says nothing the ids do not.
    const { taskToken: _taskToken, ...fields } = meta;
    processLogger()[sdkChatter ? 'debug' : levels[level]](fields, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
