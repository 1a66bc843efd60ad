/** Small verbs for workflow stories: move the test server's clock, read what the workflow did. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import proto from '@temporalio/proto';
import { reportStatusQuery, type ReportStatusView, type TimelineEntry } from '../../workflows/contracts/annual-report';
import type { ReportingWorld } from './reporting-world';

export const historiesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'histories');
export const reportsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'reports');

/** Skips the test server's clock forward to `iso` (timers fire on the way, in order). */
export async function sleepUntil(world: ReportingWorld, iso: string): Promise<void> {
  const now = await world.env.currentTimeMs();
  const target = Date.parse(iso);
  if (Number.isNaN(target)) throw new Error(`not an instant: ${iso}`);
  if (target > now) await world.env.sleep(target - now);
}

/** The deadline steps that went out, as (template, planned time, recipients). */
export function sentSteps(timeline: TimelineEntry[]) {
  return timeline.flatMap((entry) =>
    entry.kind === 'deadline' && entry.outcome === 'sent'
      ? [{ template: entry.template, plannedFor: entry.plannedFor, recipients: entry.recipients }]
      : [],
  );
}

/** How late each sent step went out after its planned moment, in milliseconds. */
export function sendDelays(timeline: TimelineEntry[]): number[] {
  return timeline.flatMap((entry) =>
    entry.kind === 'deadline' && entry.outcome === 'sent' ? [Date.parse(entry.at) - Date.parse(entry.plannedFor)] : [],
  );
}

/** The deadline steps that were decided without sending, with the reason. */
export function unsentSteps(timeline: TimelineEntry[]) {
  return timeline.flatMap((entry) =>
    entry.kind === 'deadline' && entry.outcome !== 'sent' ? [{ template: entry.template, outcome: entry.outcome }] : [],
  );
}

export async function readReportFixture(name: string): Promise<unknown> {
  return JSON.parse(await readFile(join(reportsDir, name), 'utf8'));
}

/**
 * Keeps a run's history as a replay fixture when RECORD_HISTORIES is set, so a later change
 * that breaks determinism fails the replay test in CI.
 */
export async function keepHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await handle.fetchHistory();
  await mkdir(historiesDir, { recursive: true });
  await writeFile(join(historiesDir, `${name}.json`), historyToJSON(history));
}

/**
 * The status once the workflow has loaded its context. The query waits until the history shows the
 * context loaded (the local activity's marker, or the activity of reports begun before it ran
 * locally): a query asked while the first workflow task still runs its local activity once failed
 * CI with a nondeterminism error on replay (not reproduced since; see README, Tests). Should a query
 * fail anyway, the error carries the history's events, so the next occurrence can be replayed.
 */
export async function loadedStatus(handle: WorkflowHandle, ms = 60_000): Promise<ReportStatusView> {
  const giveUpAt = Date.now() + ms;
  while (!contextLoaded((await handle.fetchHistory()).events ?? [])) {
    if (Date.now() > giveUpAt) throw new Error(`${handle.workflowId} did not load its context within ${ms / 1000} s\n${await explainStall(handle)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    return await handle.query(reportStatusQuery);
  } catch (error) {
    const events = (await handle.fetchHistory()).events ?? [];
    const listed = events.map((event) => `  ${String(event.eventId)} ${EventType[event.eventType ?? 0]}${event.markerRecordedEventAttributes ? ` ${event.markerRecordedEventAttributes.markerName ?? ''}` : ''}`);
    throw new Error(`${handle.workflowId}: the status query failed: ${String(error)}\nhistory:\n${listed.join('\n')}`, { cause: error });
  }
}

function contextLoaded(events: HistoryEvent[]): boolean {
  return events.some(
    (event) =>
      event.markerRecordedEventAttributes?.markerName === 'core_local_activity' ||
      event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
  );
}

/** The workflow's handle once it has loaded its context. */
export async function loadedHandle(started: Promise<WorkflowHandle> | WorkflowHandle): Promise<WorkflowHandle> {
  const handle = await started;
  await loadedStatus(handle);
  return handle;
}

const { EventType } = proto.temporal.api.enums.v1;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const workflowTaskEvents = new Set([
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
]);

function lastWorkflowTaskEvent(events: HistoryEvent[]): HistoryEvent | undefined {
  return [...events].reverse().find((event) => workflowTaskEvents.has(event.eventType ?? EventType.EVENT_TYPE_UNSPECIFIED));
}

/** The scheduled event ids of the activities that have neither completed, failed, timed out nor been cancelled. */
function openActivities(events: HistoryEvent[]): Set<number> {
  const open = new Set<number>();
  for (const event of events) {
    if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) open.add(Number(event.eventId));
    const closed =
      event.activityTaskCompletedEventAttributes ??
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes;
    if (closed) open.delete(Number(closed.scheduledEventId));
  }
  return open;
}

/**
 * Whether the workflow has nothing in flight, read from one snapshot of its history: no activity
 * open, and its last workflow task completed (none scheduled or running). "No pending activities"
 * alone is not enough: between an activity's completion and the workflow task that answers it
 * (and may schedule the next activity, say the invitation's mail after its step is recorded) none
 * is pending, yet the workflow is about to act. (The test server's DescribeWorkflowExecution does
 * not report a pending workflow task, so the history is asked.)
 */
export async function isIdle(handle: WorkflowHandle): Promise<boolean> {
  const events = (await handle.fetchHistory()).events ?? [];
  const lastTask = lastWorkflowTaskEvent(events);
  return lastTask?.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && openActivities(events).size === 0;
}

/**
 * Waits until the workflow has nothing in flight (isIdle), so that a decision made next cannot meet
 * a mail still being sent: calling that mail off (cancelling its activity) while it completes makes
 * the time-skipping test server refuse the workflow task and never schedule another, and the
 * decision's Update is then never answered (README, Tests). People decide after the mail arrived.
 */
export async function untilIdle(handle: WorkflowHandle, ms = 60_000): Promise<void> {
  const giveUpAt = Date.now() + ms;
  while (!(await isIdle(handle))) {
    if (Date.now() > giveUpAt) throw new Error(`${handle.workflowId} was still busy after ${ms / 1000} s\n${await explainStall(handle)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits until the workflow has closed and gives how (COMPLETED, FAILED, …), without
 * `handle.result()`: the test server skips time while a client waits on a result, so any other
 * workflow of the story that sleeps on a timer (a lifecycle the accession started) would run ahead.
 */
export async function untilClosed(handle: WorkflowHandle, ms = 60_000): Promise<string> {
  const giveUpAt = Date.now() + ms;
  for (;;) {
    const status = (await handle.describe()).status.name;
    if (status !== 'RUNNING') return status;
    if (Date.now() > giveUpAt) throw new Error(`${handle.workflowId} was still running after ${ms / 1000} s\n${await explainStall(handle)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * An Update that has not answered within `ms` fails the story with what the workflow was doing
 * (its pending activities and workflow task, its last events) instead of hanging until the test's
 * timeout with nothing to go on.
 */
export async function answeredWithin<T>(handle: WorkflowHandle, what: string, update: Promise<T>, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      explainStall(handle).then(
        (explanation) => {
          const message = `${what} did not answer within ${ms / 1000} s\n${explanation}`;
          // Printed as well: a story that passes when retried would otherwise hide it.
          console.error(message);
          reject(new Error(message));
        },
        (error: unknown) => reject(new Error(`${what} did not answer within ${ms / 1000} s (and describing the workflow failed: ${String(error)})`)),
      );
    }, ms);
  });
  try {
    return await Promise.race([update, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function explainStall(handle: WorkflowHandle): Promise<string> {
  const { raw } = await handle.describe();
  const history = await handle.fetchHistory();
  const last = (history.events ?? []).slice(-15).map((event) => {
    const failure = event.workflowTaskFailedEventAttributes;
    return `  ${String(event.eventId)} ${EventType[event.eventType ?? 0]}${failure ? ` ${String(failure.cause)}: ${failure.failure?.message ?? ''}` : ''}`;
  });
  const activities = (raw.pendingActivities ?? []).map((a) => `  ${a.activityType?.name ?? '?'} ${String(a.state)} attempt ${String(a.attempt)}`);
  // The test server does not describe a pending workflow task: the history's last one says where it stands
  // (a task left 'started' for good is the test server refusing its completion, e.g. a cancel of an activity
  // that completed meanwhile).
  const lastTask = lastWorkflowTaskEvent(history.events ?? []);
  return [
    `pending workflow task: ${raw.pendingWorkflowTask ? `${String(raw.pendingWorkflowTask.state)} attempt ${String(raw.pendingWorkflowTask.attempt)}` : 'none described'}; last in the history: ${lastTask ? `${String(lastTask.eventId)} ${EventType[lastTask.eventType ?? 0]}` : 'none'}`,
    `pending activities:${activities.length ? `\n${activities.join('\n')}` : ' none'}`,
    `last events:\n${last.join('\n')}`,
  ].join('\n');
}
