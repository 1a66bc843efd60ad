import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { isWorkflowWaitOver } from '../../src/http/workflow-wait';

/** A failed query as the client throws it: a ServiceError around the gRPC status. */
const failedQuery = (code: number, details: string) => new ServiceError('Failed to query Workflow', { cause: Object.assign(new Error(`${code} ${details}`), { code, details }) });

describe('whether a request ran out of its wait on Temporal', () => {
  it('counts a deadline exceeded, and a stream the server cancelled at the deadline before the client’s timer fired', () => {
    expect(isWorkflowWaitOver(failedQuery(4, 'DEADLINE_EXCEEDED: Deadline exceeded'))).toBe(true);
    expect(isWorkflowWaitOver(failedQuery(1, 'CANCELLED: Call cancelled'))).toBe(true);
  });

  it('does not count a refusal or a fault: those are answers', () => {
    expect(isWorkflowWaitOver(failedQuery(5, 'NOT_FOUND: workflow not found'))).toBe(false);
    expect(isWorkflowWaitOver(failedQuery(14, 'UNAVAILABLE: Connection dropped'))).toBe(false);
    expect(isWorkflowWaitOver(new Error('report: already accepted'))).toBe(false);
    expect(isWorkflowWaitOver(undefined)).toBe(false);
  });
});
