/**
 * A notice as a workflow sent it, read back from the workflow's history: the `sendNotice` activity's
 * input is recorded there (encrypted) and holds everything needed to send it again. Used to resend
 * an email of a workflow that has ended, or of an earlier run of one that continued as new.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, defaultPayloadConverter, type PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { sendNoticeInputSchema, type SendNoticeInput } from '../../activities/notices';

/** How far back through continue-as-new runs to look: a lifecycle's runs are years. */
const MAX_RUNS = 20;

export type RecordedNotice =
  | { found: true; notice: SendNoticeInput }
  | { found: false; reason: 'not-in-history' | 'no-history' };

/**
 * The notice sent under `keyPrefix`, searched in the runs of `workflowId` from the newest back
 * (`skipLatest` when the latest run is still running and has said it did not send it). A payload
 * whose partner key was erased throws PartnerDataErasedError from the codec.
 */
export async function findRecordedNotice(
  client: Client,
  codec: PayloadCodec,
  workflowId: string,
  keyPrefix: string,
  { skipLatest = false }: { skipLatest?: boolean } = {},
): Promise<RecordedNotice> {
  let runId: string | undefined;
  for (let run = 0; run < MAX_RUNS; run += 1) {
    let history: temporal.api.history.v1.IHistory;
    try {
      history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    } catch (error) {
      if (run === 0 && isNotFound(error)) return { found: false, reason: 'no-history' };
      // An earlier run past the retention period: nothing further back either.
      if (isNotFound(error)) break;
      throw error;
    }
    const events = history.events ?? [];
    const started = events[0]?.workflowExecutionStartedEventAttributes;
    if (!(run === 0 && skipLatest)) {
      const notice = await noticeIn(events, codec, keyPrefix);
      if (notice) return { found: true, notice };
    }
    runId = started?.continuedExecutionRunId ?? undefined;
    if (!runId) break;
  }
  return { found: false, reason: 'not-in-history' };
}

async function noticeIn(events: temporal.api.history.v1.IHistoryEvent[], codec: PayloadCodec, keyPrefix: string): Promise<SendNoticeInput | undefined> {
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name !== 'sendNotice') continue;
    const [payload] = scheduled.input?.payloads ?? [];
    if (!payload) continue;
    const [decoded] = await codec.decode([payload as Parameters<PayloadCodec['decode']>[0][number]]);
    const parsed = sendNoticeInputSchema.safeParse(defaultPayloadConverter.fromPayload(decoded as never));
    if (parsed.success && parsed.data.keyPrefix === keyPrefix) return parsed.data;
  }
  return undefined;
}

function isNotFound(error: unknown): boolean {
  // fetchHistory of an unknown run fails with a bare gRPC NOT_FOUND (code 5), not WorkflowNotFoundError.
  return error instanceof WorkflowNotFoundError || (error as { code?: unknown } | null)?.code === 5;
}
