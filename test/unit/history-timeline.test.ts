import { defaultPayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { formatTimeline, historyTimeline } from '../../src/temporal/history-timeline';

const { EventType } = proto.temporal.api.enums.v1;
const at = (iso: string) => ({ seconds: Date.parse(iso) / 1000, nanos: 0 });
const payload = (value: unknown) => defaultPayloadConverter.toPayload(value);

describe('a workflow history as a timeline', () => {
  const history = proto.temporal.api.history.v1.History.fromObject({
    events: [
      {
        eventId: 1,
        eventTime: at('2027-02-17T08:00:00Z'),
        eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
        workflowExecutionStartedEventAttributes: {
          workflowType: { name: 'annualReportWorkflow' },
          taskQueue: { name: 'partnerflow' },
          input: { payloads: [payload({ partnerNumber: 2, year: 2027 })] },
        },
      },
      {
        eventId: 2,
        eventTime: at('2027-02-17T08:00:01Z'),
        eventType: EventType.EVENT_TYPE_TIMER_STARTED,
        timerStartedEventAttributes: { timerId: '1', startToFireTimeout: { seconds: 6 * 7 * 86_400 } },
      },
      {
        eventId: 3,
        eventTime: at('2027-02-17T08:00:02Z'),
        eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
        activityTaskFailedEventAttributes: { failure: { message: '450 4.2.1 Mailbox busy' } },
      },
    ],
  });

  it('gives each event its time, name and essentials', () => {
    expect(historyTimeline(history)).toEqual([
      {
        eventId: 1,
        time: '2027-02-17T08:00:00.000Z',
        event: 'WorkflowExecutionStarted',
        details: 'workflow=annualReportWorkflow  queue=partnerflow  input={"partnerNumber":2,"year":2027}',
      },
      { eventId: 2, time: '2027-02-17T08:00:01.000Z', event: 'TimerStarted', details: 'timer=1  fires in 42d' },
      { eventId: 3, time: '2027-02-17T08:00:02.000Z', event: 'ActivityTaskFailed', details: 'failure=450 4.2.1 Mailbox busy' },
    ]);
  });

  it('prints aligned lines a person can scan', () => {
    expect(formatTimeline(historyTimeline(history)).split('\n')[1]).toBe(
      '2027-02-17T08:00:01.000Z     2  TimerStarted              timer=1  fires in 42d',
    );
  });
});
