import { Runtime } from '@temporalio/worker';
import { TemporalLogAdapter } from '../observability/logger';

export type TemporalRuntimeOptions = {
  /** Where the SDK serves its Prometheus metrics (host:port); our /metrics adds them to its own. */
  prometheusBindAddress?: string;
  shutdownSignals?: NodeJS.Signals[];
};

/**
 * Installs the SDK runtime once per process, logging through our logger: the SDK's lines, the
 * activity context logger (with workflowId, activityType, attempt …), workflow code's `log` (with
 * workflowId, runId, workflowType) and the Rust core's warnings all become our JSON lines.
 */
export function installTemporalRuntime(options: TemporalRuntimeOptions = {}): void {
  const { prometheusBindAddress, shutdownSignals } = options;
  Runtime.install({
    logger: new TemporalLogAdapter(),
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN', other: 'WARN' } },
      ...(prometheusBindAddress && { metrics: { prometheus: { bindAddress: prometheusBindAddress, countersTotalSuffix: true } } }),
    },
    ...(shutdownSignals && { shutdownSignals }),
  });
}
