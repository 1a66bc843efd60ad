/**
 * An admin's resend of an email the workflow sent, shared by every notice-sending workflow: the
 * workflow remembers what it sent (rebuilt on replay from the same sends, so it costs no history),
 * the `resendNotice` Update's validator refuses keys it never sent, and the handler queues the
 * notice, narrowed to the one role, under `<root>/resend-<attempt>`, a new ledger row with its own
 * Message-ID. A loop beside the workflow's own sends them, so a resend never calls off a reminder
 * in flight, and the Update answers at once.
 *
 * Workflow code: deterministic, no I/O. Sending is the workflow's own `deliver`.
 */
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { SendNoticeInput } from '../activities/notices';
import type { RecipientRole } from '../src/domain/notice-families';
import type { ResendArgs } from '../src/domain/report-decisions';
import type { DeliveryView } from './contracts/annual-report';
import { resendNoticeUpdate, type ResendReceipt } from './contracts/notice-resend';
import { invalidState, parseArgs } from './refusals';
import { reportDecisions } from './report-decisions';

/** A notice as it was sent: `root` is the prefix of the first send, which resends count under. */
type SentNotice = { input: SendNoticeInput; root: string; summary: string };

/** The refusal's type when a key is not this run's: the caller may look in the workflow's earlier runs. */
export const unknownNoticeFailureType = 'UnknownNotice';

export type NoticeResendOptions = {
  /** How the refusal names the workflow: 'this report', 'this accession'. */
  sender: string;
  /** Sends a notice the way the workflow sends all its notices (its failure handling, its timeline). */
  deliver(input: SendNoticeInput, summary: string): Promise<DeliveryView[]>;
  /** Called when a resend is queued, for the workflow's timeline. */
  queued(event: { by: string; template: string; role: RecipientRole; reason: string; keyPrefix: string }): void;
  /** Called once the resend went out (or failed), for the workflow's timeline. */
  sent?(input: SendNoticeInput, deliveries: DeliveryView[]): void;
};

export class NoticeResends {
  private readonly sentNotices = new Map<string, SentNotice>();
  private readonly attempts = new Map<string, number>();
  private readonly queue: { input: SendNoticeInput; summary: string }[] = [];
  private closing = false;

  constructor(private readonly options: NoticeResendOptions) {}

  /** Records a notice the workflow is sending (the first record of a prefix wins). */
  remember(input: SendNoticeInput, summary: string): void {
    if (!this.sentNotices.has(input.keyPrefix)) this.sentNotices.set(input.keyPrefix, { input, root: input.keyPrefix, summary });
  }

  /**
   * The notice a ledger key belongs to (`<keyPrefix>/<role>/<person id>`) and the role it went to;
   * refuses keys this workflow run never sent.
   */
  target(idempotencyKey: string): { notice: SentNotice; role: RecipientRole } {
    // Its sender has stopped: once the run has ended, the email is resent from its history instead.
    if (this.closing) throw invalidState(`${this.options.sender} is ending; try again in a moment`);
    for (const [keyPrefix, notice] of this.sentNotices) {
      if (!idempotencyKey.startsWith(`${keyPrefix}/`)) continue;
      const role = /^([a-z_]+)\/\d+$/.exec(idempotencyKey.slice(keyPrefix.length + 1))?.[1];
      const sentTo = notice.input.recipients.find((r) => r === role);
      if (sentTo) return { notice, role: sentTo };
    }
    throw ApplicationFailure.nonRetryable(`idempotencyKey: ${this.options.sender} sent no email under that key`, unknownNoticeFailureType);
  }

  /** Queues an earlier notice to go again to the same role, as a new ledger row; `run` sends it. */
  resend({ by, idempotencyKey, reason, attempt: lowest }: ResendArgs): ResendReceipt {
    const { notice, role } = this.target(idempotencyKey);
    const attempt = Math.max((this.attempts.get(notice.root) ?? 0) + 1, lowest ?? 1);
    this.attempts.set(notice.root, attempt);
    const keyPrefix = `${notice.root}/resend-${attempt}`;
    const summary = `resend-${attempt} ${notice.summary}`;
    this.sentNotices.set(keyPrefix, { input: notice.input, root: notice.root, summary });
    this.options.queued({ by, template: notice.input.template, role, reason, keyPrefix });
    this.queue.push({ input: { ...notice.input, keyPrefix, recipients: [role] }, summary });
    return { keyPrefix, attempt };
  }

  /** Sends the queued resends one after the other, until `close` and none are left. */
  async run(): Promise<void> {
    for (;;) {
      await condition(() => this.queue.length > 0 || this.closing);
      const next = this.queue.shift();
      if (!next) return;
      const deliveries = await this.options.deliver(next.input, next.summary);
      this.options.sent?.(next.input, deliveries);
    }
  }

  /** No more resends will be asked for: `run` ends once the queue is empty. */
  close(): void {
    this.closing = true;
  }
}

/**
 * The `resendNotice` Update of a workflow whose state is built after it starts: refused until the
 * resends exist (the workflow is still loading), and for keys the run never sent.
 */
export function handleResends(resends: () => NoticeResends | undefined, what: string): void {
  setHandler(
    resendNoticeUpdate,
    (args) => {
      const current = resends();
      if (!current) throw invalidState(`${what} is still starting; try again in a moment`);
      return Promise.resolve(current.resend(parseArgs(reportDecisions().resendArgsSchema, args)));
    },
    {
      validator: (args) => {
        const current = resends();
        if (!current) throw invalidState(`${what} is still starting; try again in a moment`);
        current.target(parseArgs(reportDecisions().resendArgsSchema, args).idempotencyKey);
      },
    },
  );
}
