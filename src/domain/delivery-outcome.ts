/**
 * What staff read about one email from its ledger row: one word for where it stands.
 * Pure: the ledger's states (src/db/schema/email-ledger.ts) mapped to the board's vocabulary.
 */
export const deliveryOutcomes = ['sent', 'pending', 'on-hold', 'address-held', 'failed', 'possible-duplicate'] as const;
export type DeliveryOutcomeLabel = (typeof deliveryOutcomes)[number];

export type LedgerState = {
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'unknown' | 'held';
  possibleDuplicate: boolean;
  lastError: string | null;
};

/**
 * sent: the SMTP server took it, once. possible-duplicate: it took it after an attempt whose outcome
 * was unknown, so the recipient may hold two copies. failed: refused for good, or retries gave up.
 * on-hold: not out yet because the server deferred it (4xx, lost connection): it is retried with
 * backoff. address-held: not sent, because the address is on hold after an earlier refusal; it goes
 * out once staff clear the hold or change the address. pending: queued or being sent right now,
 * nothing went wrong so far.
 */
export function deliveryOutcomeOf(row: LedgerState): DeliveryOutcomeLabel {
  switch (row.status) {
    case 'sent':
      return row.possibleDuplicate ? 'possible-duplicate' : 'sent';
    case 'failed':
      return 'failed';
    case 'held':
      return 'address-held';
    case 'unknown':
      return 'on-hold';
    case 'pending':
    case 'sending':
      return row.lastError === null ? 'pending' : 'on-hold';
  }
}
