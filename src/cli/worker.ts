import type { Command } from 'commander';
import type { Worker } from '@temporalio/worker';
import { WORKER_SHUTDOWN_FORCE_MS } from '../temporal/worker-shutdown';
import { CliError } from './output';
import { cliConfig } from './runtime';
import { temporalUnreachable } from './unreachable';

/** METRICS_PORT taken (another worker on this host, say): one line, not Node's listen trace. */
function metricsPortRefused(port: number, error: unknown): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'EADDRINUSE') return new CliError([`METRICS_PORT: ${port} is in use on this host; give each worker process a port of its own`]);
  if (code === 'EACCES') return new CliError([`METRICS_PORT: ${port} may not be opened by this user; choose one above 1023`]);
  return error;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run the Temporal worker (by WORKER_ROLE: all workflows and activities, all but typesetting, or typesetting alone) until Ctrl-C, with /metrics, /healthz, /readyz')
    .action(async () => {
      const config = cliConfig();
      const [{ createDb }, { createMailer }, logging, { collectProcessMetrics, metricsRegistry }, ops, { installTemporalRuntime }, { runWorker, workerReadiness }] =
        await Promise.all([
          import('../db/client'),
          import('../email/transport'),
          import('../observability/logger'),
          import('../observability/metrics'),
          import('../observability/ops-server'),
          import('../temporal/runtime'),
          import('../temporal/worker'),
        ]);
      logging.useLogger(logging.createLogger({ level: config.logLevel, format: config.logFormat, name: 'worker' }));
      const log = logging.processLogger();
      // The SDK's exporter listens on loopback only; /metrics on METRICS_PORT serves its lines with ours.
      const sdkMetricsAddress = `127.0.0.1:${await ops.freeLoopbackPort()}`;
      const { db, close } = createDb(config.database.url);
      const mailer = createMailer(config.smtp);
      let workers: Worker[] = [];
      let server: Awaited<ReturnType<typeof ops.startOpsServer>> | undefined;
      try {
        // Before the SDK's runtime, which takes over SIGTERM: a port that is taken ends the process at once.
        const started = await ops
          .startOpsServer({
            port: config.metricsPort,
            registry: metricsRegistry,
            sdkMetricsUrl: `http://${sdkMetricsAddress}/metrics`,
            readiness: workerReadiness(db, () => workers),
          })
          .catch((error: unknown) => Promise.reject(metricsPortRefused(config.metricsPort, error)));
        server = started;
        installTemporalRuntime({ prometheusBindAddress: sdkMetricsAddress });
        collectProcessMetrics();
        const { address, namespace, taskQueue } = config.temporal;
        log.info({ temporalAddress: address, namespace, taskQueue, role: config.worker.role, metricsPort: started.port }, 'worker starting');
        await runWorker({ config, db, mailer, onCreated: (created) => (workers = created) });
        log.info('worker stopped');
      } catch (error) {
        // The native connection's error when the frontend does not answer: say what to start, not tonic's trace.
        if (error instanceof Error && error.name === 'TransportError' && workers.length === 0) throw temporalUnreachable(config);
        // SIGTERM, and an activity ignored its cancellation past the grace time (a hung SMTP server, say).
        if (error instanceof Error && error.name === 'GracefulShutdownPeriodExpiredError') {
          throw new CliError([`worker: activities still ran ${WORKER_SHUTDOWN_FORCE_MS / 1000} s after SIGTERM; they are retried on another worker once their heartbeat times out`]);
        }
        throw error;
      } finally {
        await server?.close();
        mailer.close();
        await close();
      }
    });
}
