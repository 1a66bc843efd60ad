import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { PayloadEncryptionCodec } from '../../src/temporal/codec';
import { decodeHistoryPayloads } from '../../src/temporal/history-decoding';
import { detailedHistoryTimeline } from '../../src/temporal/history-timeline';

const { EventType } = proto.temporal.api.enums.v1;
const current = { id: 'k2', key: randomBytes(32) };
const retired = { id: 'k1', key: randomBytes(32) };

async function sealed(value: unknown, keys = [current]) {
  const [payload] = await new PayloadEncryptionCodec(keys).encode([defaultPayloadConverter.toPayload(value)]);
  return payload!;
}

describe('decoding a history for an admin', () => {
  it('decodes what a key opens and marks, without failing, what none does', async () => {
    const history = proto.temporal.api.history.v1.History.fromObject({
      events: [
        {
          eventId: 1,
          eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
          workflowExecutionStartedEventAttributes: { workflowType: { name: 'accessionWorkflow' }, input: { payloads: [await sealed({ partnerNumber: 41 })] } },
        },
        {
          eventId: 2,
          eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
          // Sealed with a key since retired from PAYLOAD_KEYS.
          activityTaskScheduledEventAttributes: { activityType: { name: 'sendNotice' }, input: { payloads: [await sealed({ keyPrefix: 'x' }, [retired])] } },
        },
      ],
    });
    const decoded = await decodeHistoryPayloads(history, new PayloadEncryptionCodec([current]));
    const rows = detailedHistoryTimeline(decoded);
    expect(rows.map((row) => row.payloads)).toEqual([[{ partnerNumber: 41 }], [{ undecodable: 'payload key k1 is not in PAYLOAD_KEYS (retired too early?)' }]]);
    expect(rows[0]?.details).toContain('input={"partnerNumber":41}');
  });
});
