import { emailLedger } from '../../db/schema';
import type { Database } from '../../db/client';
import type { IntendedEmail } from './drill-cycle';
import type { SinkReceipt } from './message-id-sink';

/**
 * What happened to every intended email, from the SMTP sink (by Message-ID, the product's ledger
 * not trusted for that) and, for what the ledger admits, from the ledger: a second copy counts as
 * explained when the ledger marks its row possible_duplicate (the accept-to-record window).
 */

export type LedgerState = {
  status: string;
  possibleDuplicate: boolean;
  /** When the ledger recorded the send (the database's clock, which is this machine's). */
  sentAt: number | undefined;
};

export type EmailCount = {
  intended: number;
  delivered: number;
  duplicated: number;
  duplicatesExplained: number;
  lost: number;
  /** Of the lost, those the ledger never even held a row for (the workflow did not get that far). */
  neverAttempted: number;
  /**
   * Not sent by the workflow's own rule, so not lost: after an outage several steps that fell due at
   * once collapse into the latest (counted only where that later mail reached the sink), or a step
   * already past when its workflow started is skipped. Keyed by the outcome the workflow recorded.
   */
  notSentByRule: Record<string, number>;
  /** Messages in the sink that no intended email accounts for. */
  unexpected: number;
};

export async function ledgerStates(db: Database): Promise<Map<string, LedgerState>> {
  const rows = await db
    .select({ key: emailLedger.idempotencyKey, status: emailLedger.status, possibleDuplicate: emailLedger.possibleDuplicate, sentAt: emailLedger.sentAt })
    .from(emailLedger);
  return new Map(rows.map((row) => [row.key, { status: row.status, possibleDuplicate: row.possibleDuplicate, sentAt: row.sentAt?.getTime() }]));
}

/** Copies per Message-ID, and when the first arrived. */
export function sinkCopies(receipts: readonly SinkReceipt[]): Map<string, { copies: number; firstAt: number }> {
  const copies = new Map<string, { copies: number; firstAt: number }>();
  for (const { messageId, receivedAt } of receipts) {
    const seen = copies.get(messageId);
    if (seen) seen.copies += 1;
    else copies.set(messageId, { copies: 1, firstAt: receivedAt });
  }
  return copies;
}

/** What a workflow's timeline says it did with a step it did not send; `supersededBy` names the step ('invitation#0') sent instead. */
export type StepDecision = { outcome: string; supersededBy?: string };

/**
 * `decisions`: for emails missing from the sink, what their workflow's timeline says it did with
 * that step ('superseded', 'skipped-before-start', …; absent when it says nothing).
 */
export function countEmails(
  intended: readonly IntendedEmail[],
  receipts: readonly SinkReceipt[],
  ledger: Map<string, LedgerState>,
  decisions: ReadonlyMap<string, StepDecision> = new Map(),
): EmailCount {
  const copies = sinkCopies(receipts);
  const count: EmailCount = { intended: intended.length, delivered: 0, duplicated: 0, duplicatesExplained: 0, lost: 0, neverAttempted: 0, notSentByRule: {}, unexpected: 0 };
  const delivered = (email: IntendedEmail) => (copies.get(email.messageId)?.copies ?? 0) > 0;
  const known = new Set<string>();
  for (const email of intended) {
    known.add(email.messageId);
    const received = copies.get(email.messageId)?.copies ?? 0;
    if (received === 0) {
      const decision = decisions.get(email.idempotencyKey);
      // Superseded only counts where the mail that replaced it did arrive: the one the timeline
      // names, or (a timeline from before it named one) a later mail of the same workflow.
      const replacement = (other: IntendedEmail) =>
        decision?.supersededBy === undefined ? other.plannedAt > email.plannedAt : other.idempotencyKey.includes(`/${decision.supersededBy}/`);
      const replaced = intended.some((other) => other !== email && other.workflowId === email.workflowId && replacement(other) && delivered(other));
      const outcome = decision?.outcome;
      if ((outcome === 'superseded' && replaced) || outcome === 'skipped-before-start') {
        count.notSentByRule[outcome] = (count.notSentByRule[outcome] ?? 0) + 1;
        continue;
      }
      count.lost += 1;
      if (!ledger.has(email.idempotencyKey)) count.neverAttempted += 1;
      continue;
    }
    count.delivered += 1;
    count.duplicated += received - 1;
    if (received > 1 && ledger.get(email.idempotencyKey)?.possibleDuplicate) count.duplicatesExplained += received - 1;
  }
  for (const [messageId, { copies: n }] of copies) if (!known.has(messageId)) count.unexpected += n;
  return count;
}

/** Every intended email is in the sink and the ledger holds no row without an outcome. */
export function settled(intended: readonly IntendedEmail[], receipts: readonly SinkReceipt[], ledger: Map<string, LedgerState>): boolean {
  const received = new Set(receipts.map((r) => r.messageId));
  return intended.every((email) => received.has(email.messageId)) && ledgerClosed(ledger);
}

/** No ledger row without an outcome (nothing is being sent or waits for a retry). */
export function ledgerClosed(ledger: Map<string, LedgerState>): boolean {
  for (const { status } of ledger.values()) if (status !== 'sent' && status !== 'failed' && status !== 'held') return false;
  return true;
}
