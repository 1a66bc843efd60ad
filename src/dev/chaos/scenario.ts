/**
 * One fault scenario of `npm run chaos`: it starts what it needs (stack, workers, SMTP), injects
 * its faults K times, waits until everything settled and counts, from the SMTP sink and the
 * ledger, what happened to every intended email. The runner prints one table row per scenario;
 * the suite runs each scenario with a small K.
 */
export interface ChaosOptions {
  /** How many faults to inject (kills, SMTP errors, …). */
  k: number;
  /** Synthetic partners in the compressed cycle the scenario drives. */
  partners: number;
  /** Progress lines for a person watching; the table is the result. */
  log: (line: string) => void;
}

export interface ChaosRow {
  scenario: string;
  faultsInjected: number;
  workflows: number;
  emailsIntended: number;
  emailsDelivered: number;
  /** Second copies received by the sink (same Message-ID). */
  duplicated: number;
  /** Of the duplicates, those the ledger marks as possible_duplicate (the accept-to-record window). */
  duplicatesExplained: number;
  /**
   * Intended emails a workflow decided not to send by its own rule, so neither delivered nor lost:
   * after an outage, steps that fell due together collapse into the latest (catch-up rule).
   */
  notSentByRule: number;
  lost: number;
  /** Seconds from the last fault until the last affected email or workflow settled; null if none was affected. */
  secondsToRecover: number | null;
  /** One line on what else a reader should know (e.g. "3 addresses put on hold"). */
  note?: string;
}

export interface ChaosScenario {
  name: string;
  /** K when `npm run chaos` is run without --k. */
  defaultK: number;
  defaultPartners: number;
  run(options: ChaosOptions): Promise<ChaosRow>;
}
