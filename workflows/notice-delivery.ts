/**
 * Sending a notice, the same for every workflow that sends one (annual report, accession, a
 * partner's lifecycle, an admin's resend): the activity's timeouts and retries, and what is left
 * behind when it finally gives up. One place, so no workflow keeps a slower recovery or forgets to
 * tell staff.
 */
import { ActivityFailure, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { DeliveryView } from './contracts/annual-report';
import { databaseActivity } from './activity-options';

type Activities = ReturnType<typeof createActivities>;

export type NoticeInput = Parameters<Activities['sendNotice']>[0];

// SMTP: 4xx, network errors and lost connections are retried with backoff for up to a day (a
// reminder later than that is stale); 5xx come back as results, not errors. The activity
// heartbeats while a send runs longer than 2 s, so the attempt of a worker that died is retried
// within seconds, and the retry interval starts at a second for the same reason.
const { sendNotice } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '5 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

// Our own database, as every workflow's other writes. Marks the open ledger rows under a key
// prefix failed and audits it; the cycle's staff email gives up through it too.
export const { recordNoticeGivenUp } = proxyActivities<Activities>(databaseActivity);

export type GiveUpHandling = {
  /** Told first, for the workflow's own timeline. */
  failed(input: NoticeInput, reason: string): void;
  /**
   * Whether the ledger and the audit log are told too: a workflow asks `patched` here, as
   * workflows begun before it recorded give-ups have no such command in their histories.
   */
  recordsGiveUp(): boolean;
};

/**
 * Sends `input` and returns how each recipient fared. A notice that cannot be sent at all (its
 * retries exhausted, or refused for good) does not fail the workflow: its ledger rows are marked
 * failed and an audit entry says why, so staff see it where they see every email.
 */
export async function deliverNotice(input: NoticeInput, summary: string, giveUp: GiveUpHandling): Promise<DeliveryView[]> {
  try {
    // The summary names the step in the Temporal Web UI; metadata only, the command is the same.
    return (await sendNotice.executeWithOptions({ summary }, [input])).deliveries;
  } catch (error) {
    const reason = gaveUpReason(error);
    if (reason === undefined) throw error;
    giveUp.failed(input, reason);
    if (giveUp.recordsGiveUp()) {
      await recordNoticeGivenUp({ keyPrefix: input.keyPrefix, workflowId: input.workflowId, template: input.template, reason });
    }
    return input.recipients.map((role) => ({ role, recipient: '', status: 'failed', error: reason }));
  }
}

/**
 * Why an activity gave up, or undefined when `error` is no give-up: called off (the awaited thing
 * arrived meanwhile, the caller's business) or not an activity's failure at all.
 */
export function gaveUpReason(error: unknown): string | undefined {
  if (isCancellation(error) || !(error instanceof ActivityFailure)) return undefined;
  return error.cause?.message ?? error.message;
}
