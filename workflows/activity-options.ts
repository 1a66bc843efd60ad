/**
 * Activity options shared by the workflows' proxies, so a reader of any workflow sees the same
 * failure behaviour for the same kind of work.
 */
import type { ActivityOptions, RetryPolicy } from '@temporalio/common';

/**
 * Our own database: quick calls, retried until it answers. The interval stops growing at 5 s, so
 * after an outage of any length the next attempt comes within seconds of PostgreSQL being back
 * (recovery within the 15 s target), not after a backoff that grew as long as the outage; an
 * attempt against a database that is down costs one refused connection.
 */
export const databaseRetry: RetryPolicy = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 seconds' };

/**
 * Reading and writing our own database (and what goes with it, such as typesetting an agreement).
 * An attempt whose worker died is retried elsewhere within about 6 s: 5 s without a heartbeat, then
 * the 1 s retry. The worker keeps the activity alive every 2 s while it runs (`keptAlive` in
 * activities/keep-alive.ts), so a slow attempt on a busy machine runs on, up to the minute.
 */
export const databaseActivity: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '5 seconds',
  retry: databaseRetry,
};
