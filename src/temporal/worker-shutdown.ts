/**
 * On SIGTERM the worker stops polling at once and lets running activities finish for this long;
 * what still runs then is cancelled (a send stops between recipients; its attempt is retried
 * elsewhere after its retry interval instead of after a timeout). Within Docker's default 10 s stop grace period and the
 * dev stack's (src/dev/worker-processes.ts), which kill only after it. Its own module: the CLI
 * names it without loading the worker.
 */
export const WORKER_SHUTDOWN_GRACE_MS = 7_000;
/** After the grace time, cancelled activities get this long to confirm before the worker gives up on them. */
export const WORKER_SHUTDOWN_FORCE_MS = 9_000;
