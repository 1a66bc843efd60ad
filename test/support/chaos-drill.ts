import type { ChaosRow, ChaosScenario } from '../../src/dev/chaos';

/** Runs a fault scenario; a drill that fails shows its own last lines (several run at once). */
export const runScenario = async (scenario: ChaosScenario, k: number, partners: number): Promise<ChaosRow> => {
  const lines: string[] = [];
  try {
    return await scenario.run({ k, partners, log: (line) => lines.push(line) });
  } catch (error) {
    throw new Error(`${scenario.name} did not finish:\n${lines.slice(-30).join('\n')}`, { cause: error });
  }
};

/** A worker crash is over within about 15 s: heartbeat timeout, a 1 s retry, the sticky queue's timeout. */
export const recoveryTargetSeconds = 15;

/**
 * A worker that dies typesetting the compiled report: the 30 s heartbeat timeout compilation gives
 * itself (workflows/cycle.ts), the 10 s retry, then the volumes still to typeset, on a busy machine.
 */
export const typesettingRecoveryTargetSeconds = 60;

/**
 * Every intended mail delivered, or left out by the workflow's own rule: a step that fell due while
 * a part was down collapses into the later one due with it (how many depends on how far the wave
 * had got at the fault, which the machine's load decides), and the one sent instead arrived.
 */
export const everyMailAccountedFor = (row: ChaosRow) => ({ intended: row.emailsIntended, deliveredOrByRule: row.emailsDelivered + row.notSentByRule, lost: row.lost });
