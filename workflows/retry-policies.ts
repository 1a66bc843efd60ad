/**
 * Retry policies shared by the workflows' activity proxies, so a reader of any workflow sees the
 * same failure behaviour for the same kind of work.
 */
import type { RetryPolicy } from '@temporalio/common';

/**
 * Our own database: quick calls, retried until it answers. The interval stops growing at 5 s, so
 * after an outage of any length the next attempt comes within seconds of PostgreSQL being back
 * (recovery within the 15 s target), not after a backoff that grew as long as the outage; an
 * attempt against a database that is down costs one refused connection.
 */
export const databaseRetry: RetryPolicy = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 seconds' };
