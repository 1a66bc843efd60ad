import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Config } from '../config';

/**
 * Installs the SDK runtime once per process, with its logger at our LOG_LEVEL. The SDK's own
 * INFO lines (bundling, worker state changes) are chatter for operators, so they show only at debug.
 */
export function installTemporalRuntime(
  logLevel: Config['logLevel'],
  options: { shutdownSignals?: NodeJS.Signals[] } = {},
): void {
  const level: Record<Config['logLevel'], LogLevel> = { debug: 'DEBUG', info: 'WARN', warn: 'WARN', error: 'ERROR' };
  Runtime.install({ logger: new DefaultLogger(level[logLevel]), ...options });
}
