/**
 * How every workflow refuses an Update: a typed, non-retryable failure whose message is
 * "field: reason" lines, thrown from the synchronous validator before anything changes.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import { formatIssues } from '../src/domain/issues';

/** The Update does not fit the state the workflow is in. */
export function invalidState(reason: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`state: ${reason}`, 'InvalidState');
}

/** The Update's input is wrong in a way its schema cannot see (e.g. a date not later than the last). */
export function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'InvalidInput');
}

/** Update arguments parsed at the boundary; problems come back as "field: reason" lines. */
export function parseArgs<T>(schema: z.ZodType<T>, args: unknown): T {
  const parsed = schema.safeParse(args);
  if (!parsed.success) {
    const errors = formatIssues(parsed.error);
    throw ApplicationFailure.nonRetryable(errors.join('\n'), 'InvalidInput', { errors });
  }
  return parsed.data;
}

/** The workflow's current time (deterministic: Temporal's clock in workflow code). */
export function now(): Date {
  return new Date(Date.now());
}
