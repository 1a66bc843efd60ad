/**
 * A workflow's event history as a timeline a person can read: time, event, the essentials.
 * Pure: takes the history the client fetched and returns rows.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import proto, { type temporal } from '@temporalio/proto';

// A CommonJS module: under Node's ESM loader only its default export is reliable at run time.
const { EventType } = proto.temporal.api.enums.v1;

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payload = temporal.api.common.v1.IPayload;

export type TimelineRow = { eventId: number; time: string; event: string; details: string };

export function historyTimeline(history: temporal.api.history.v1.IHistory): TimelineRow[] {
  return (history.events ?? []).map((event) => ({
    eventId: Number(event.eventId ?? 0),
    time: timestamp(event.eventTime),
    event: eventName(event.eventType),
    details: essentials(event),
  }));
}

/**
 * What a workflow's first task recorded, in order: the events of its commands by name, a marker
 * with its own ("MarkerRecorded core_local_activity"). A task's commands are the events written
 * right after its completion, each naming the task in its attributes.
 */
export function firstTaskCommands(history: temporal.api.history.v1.IHistory): string[] {
  const events = history.events ?? [];
  const completed = events.findIndex((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  if (completed < 0) return [];
  const isCommand = (event: HistoryEvent) =>
    Object.values(event).some((value) => typeof value === 'object' && value !== null && 'workflowTaskCompletedEventId' in value);
  const after = events.slice(completed + 1);
  const end = after.findIndex((event) => !isCommand(event));
  return (end < 0 ? after : after.slice(0, end)).map((event) => {
    const marker = event.markerRecordedEventAttributes?.markerName;
    return marker ? `${eventName(event.eventType)} ${marker}` : eventName(event.eventType);
  });
}

/** A row with the event's payloads in full, decoded (for the admin's history page and API). */
export type DetailedTimelineRow = TimelineRow & { payloads: unknown[] };

/**
 * The timeline with each event's payloads (input, result, Update arguments, signal input) as values:
 * JSON as JSON, an erased partner's data as the codec's `{ erased }` marker, anything else as '<binary>'.
 */
export function detailedHistoryTimeline(history: temporal.api.history.v1.IHistory): DetailedTimelineRow[] {
  const rows = historyTimeline(history);
  return (history.events ?? []).map((event, index) => ({ ...(rows[index] as TimelineRow), payloads: payloadsOf(event).map(safeDecode) }));
}

function payloadsOf(e: HistoryEvent): Payload[] {
  const lists = [
    e.workflowExecutionStartedEventAttributes?.input,
    e.workflowExecutionCompletedEventAttributes?.result,
    e.activityTaskScheduledEventAttributes?.input,
    e.activityTaskCompletedEventAttributes?.result,
    e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args,
    e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success,
    e.workflowExecutionSignaledEventAttributes?.input,
    e.workflowExecutionContinuedAsNewEventAttributes?.input,
  ];
  return lists.flatMap((list) => list?.payloads ?? []);
}

export function formatTimeline(rows: TimelineRow[]): string {
  const width = Math.max(5, ...rows.map((row) => row.event.length));
  return rows
    .map((row) => `${row.time}  ${String(row.eventId).padStart(4)}  ${row.event.padEnd(width)}  ${row.details}`.trimEnd())
    .join('\n');
}

function eventName(type: temporal.api.enums.v1.EventType | null | undefined): string {
  const name = EventType[type ?? 0] ?? `Unknown(${type})`;
  // EVENT_TYPE_ACTIVITY_TASK_SCHEDULED → ActivityTaskScheduled
  return name
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}

function timestamp(time: HistoryEvent['eventTime']): string {
  if (!time) return '';
  const millis = Number(time.seconds ?? 0) * 1000 + Math.floor((time.nanos ?? 0) / 1e6);
  return new Date(millis).toISOString();
}

function seconds(duration: { seconds?: unknown; nanos?: number | null } | null | undefined): string {
  if (!duration) return '';
  const total = Number(duration.seconds ?? 0) + (duration.nanos ?? 0) / 1e9;
  if (total >= 86_400) return `${+(total / 86_400).toFixed(2)}d`;
  if (total >= 3_600) return `${+(total / 3_600).toFixed(2)}h`;
  if (total >= 60) return `${+(total / 60).toFixed(2)}m`;
  return `${+total.toFixed(3)}s`;
}

function decode(payloads: Payload[] | null | undefined): string {
  if (!payloads?.length) return '';
  return payloads.map((payload) => short(safeDecode(payload))).join(', ');
}

function safeDecode(payload: Payload): unknown {
  try {
    return defaultPayloadConverter.fromPayload(payload as Parameters<typeof defaultPayloadConverter.fromPayload>[0]);
  } catch {
    return '<binary>';
  }
}

function short(value: unknown, max = 160): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? '' : text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function searchAttributes(fields: Record<string, Payload> | null | undefined): string {
  if (!fields) return '';
  return Object.entries(fields)
    .map(([name, payload]) => `${name}=${short(safeDecode(payload))}`)
    .join(' ');
}

function essentials(e: HistoryEvent): string {
  const parts: (string | undefined | false)[] = [];
  if (e.workflowExecutionStartedEventAttributes) {
    const a = e.workflowExecutionStartedEventAttributes;
    parts.push(`workflow=${a.workflowType?.name}`, `queue=${a.taskQueue?.name}`, `input=${decode(a.input?.payloads)}`);
  } else if (e.workflowExecutionCompletedEventAttributes) {
    parts.push(`result=${decode(e.workflowExecutionCompletedEventAttributes.result?.payloads)}`);
  } else if (e.workflowExecutionFailedEventAttributes) {
    parts.push(`failure=${e.workflowExecutionFailedEventAttributes.failure?.message}`);
  } else if (e.activityTaskScheduledEventAttributes) {
    const a = e.activityTaskScheduledEventAttributes;
    parts.push(`activity=${a.activityType?.name}`, `input=${decode(a.input?.payloads)}`);
  } else if (e.activityTaskStartedEventAttributes) {
    parts.push(`attempt=${e.activityTaskStartedEventAttributes.attempt}`);
  } else if (e.activityTaskCompletedEventAttributes) {
    parts.push(`result=${decode(e.activityTaskCompletedEventAttributes.result?.payloads)}`);
  } else if (e.activityTaskFailedEventAttributes) {
    parts.push(`failure=${e.activityTaskFailedEventAttributes.failure?.message}`);
  } else if (e.activityTaskTimedOutEventAttributes) {
    parts.push(`failure=${e.activityTaskTimedOutEventAttributes.failure?.message}`);
  } else if (e.timerStartedEventAttributes) {
    const a = e.timerStartedEventAttributes;
    parts.push(`timer=${a.timerId}`, `fires in ${seconds(a.startToFireTimeout)}`);
  } else if (e.timerFiredEventAttributes) {
    parts.push(`timer=${e.timerFiredEventAttributes.timerId}`);
  } else if (e.timerCanceledEventAttributes) {
    parts.push(`timer=${e.timerCanceledEventAttributes.timerId}`);
  } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
    const request = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
    parts.push(`update=${request?.input?.name}`, `args=${decode(request?.input?.args?.payloads)}`);
  } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
    const outcome = e.workflowExecutionUpdateCompletedEventAttributes.outcome;
    parts.push(outcome?.failure ? `failure=${outcome.failure.message}` : `result=${decode(outcome?.success?.payloads)}`);
  } else if (e.workflowExecutionSignaledEventAttributes) {
    const a = e.workflowExecutionSignaledEventAttributes;
    parts.push(`signal=${a.signalName}`, `input=${decode(a.input?.payloads)}`);
  } else if (e.upsertWorkflowSearchAttributesEventAttributes) {
    parts.push(searchAttributes(e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields));
  } else if (e.workflowTaskFailedEventAttributes) {
    parts.push(`failure=${e.workflowTaskFailedEventAttributes.failure?.message}`);
  } else if (e.workflowExecutionTerminatedEventAttributes) {
    parts.push(`reason=${e.workflowExecutionTerminatedEventAttributes.reason}`);
  } else if (e.workflowExecutionCanceledEventAttributes) {
    parts.push('canceled');
  }
  return parts.filter(Boolean).join('  ');
}
