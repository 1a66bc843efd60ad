/** Pure rules behind the admin's operations: delivery outcome words, reset points, summaries. */
import { describe, expect, it } from 'vitest';
import { deliveryOutcomeOf } from '../../src/domain/delivery-outcome';
import { resetPointOf } from '../../src/http/workflow-admin';
import { noticeSummary, stepSummary } from '../../workflows/deadline-tracker';

describe('the delivery outcome of a ledger row', () => {
  it.each([
    [{ status: 'sent', possibleDuplicate: false, lastError: null }, 'sent'],
    [{ status: 'sent', possibleDuplicate: true, lastError: 'attempt 1 ended without recording' }, 'possible-duplicate'],
    [{ status: 'failed', possibleDuplicate: false, lastError: '550 no such user' }, 'failed'],
    [{ status: 'pending', possibleDuplicate: false, lastError: null }, 'pending'],
    [{ status: 'sending', possibleDuplicate: false, lastError: null }, 'pending'],
    [{ status: 'pending', possibleDuplicate: false, lastError: '421 try later' }, 'on-hold'],
    [{ status: 'unknown', possibleDuplicate: false, lastError: 'connection lost after DATA' }, 'on-hold'],
    [{ status: 'held', possibleDuplicate: false, lastError: 'address on hold since 2027-03-01T08:00:00.000Z: 550 no such user' }, 'address-held'],
  ] as const)('%o reads as %s', (row, outcome) => {
    expect(deliveryOutcomeOf(row)).toBe(outcome);
  });
});

describe('the point a failed run is reset to', () => {
  const task = (eventId: number) => ({ eventId, workflowTaskCompletedEventAttributes: {} });
  it('is the workflow task that scheduled the activity that failed, so the activity runs again', () => {
    const events = [
      task(4),
      { eventId: 5, activityTaskScheduledEventAttributes: { workflowTaskCompletedEventId: 4 } },
      { eventId: 7, activityTaskFailedEventAttributes: { scheduledEventId: 5 } },
      task(10),
      { eventId: 11, workflowExecutionFailedEventAttributes: {} },
    ];
    expect(resetPointOf(events as never)).toBe(4);
  });

  it('is the last completed workflow task when no activity failed', () => {
    expect(resetPointOf([task(4), task(9), { eventId: 10, workflowExecutionTimedOutEventAttributes: {} }] as never)).toBe(9);
    expect(resetPointOf([])).toBeUndefined();
  });
});

describe('summaries for the Temporal Web UI', () => {
  it('name a step by its id, a revision round and a repeat', () => {
    expect(stepSummary('initial', 'reminder-2w', 0)).toBe('reminder-2w');
    expect(stepSummary('revision-1', 'revision-reminder', 0)).toBe('revision-1 revision-reminder');
    expect(stepSummary('initial', 'escalation-1-partner', 2)).toBe('escalation-1-partner #3');
  });

  it('read a send’s step back from its key prefix', () => {
    expect(noticeSummary('accession/7/initial/reminder-3w#0', 'accession/7')).toBe('reminder-3w');
    expect(noticeSummary('lifecycle/7/milestone-2/request#1', 'lifecycle/7')).toBe('milestone-2 request #2');
    expect(noticeSummary('accession/7/notice/welcome', 'accession/7')).toBe('welcome');
  });
});
