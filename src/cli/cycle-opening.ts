/**
 * Opening a reporting cycle, shared by `report open` and `cycle open`: store the cycle, then
 * start every active partner's report once. Opening again, or after a crash half-way, starts
 * nothing twice: a lifecycle starts a year's report only once, and a direct start of a report
 * that runs already is skipped (its workflow id is the partner's year).
 */
import type { Config } from '../config';
import { listPartners } from '../db/queries/partners';
import { upsertCycle } from '../db/queries/reporting';
import { defaultReportingPolicyFor } from '../domain/default-policy';
import { cycleSettingsSchema, type CycleSettings, type CycleSettingsInput } from '../domain/cycle-settings';
import { formatIssues } from '../domain/issues';
import { CliError } from './output';
import type { ReportingPolicy } from '../domain/policy';
import type { CycleStarts } from '../temporal/cycle-starts';
import { readPolicy } from './files';
import { withDatabase } from './runtime';

// Moved to src/temporal (the cycle workflow's opening activity starts reports too); re-exported for `report open`.
export { eachWithConcurrency, startCycleReports, type CycleStarts } from '../temporal/cycle-starts';

export type CycleOpening = { year: number; dueDate: string; periodStart?: string; periodEnd?: string; policy: ReportingPolicy; settings?: CycleSettingsInput };

/** The policy file refused with "field: reason" lines if it cannot work, else the built-in policy. */
export async function cyclePolicy(config: Config, file: string | undefined): Promise<ReportingPolicy> {
  return file ? readPolicy(file) : defaultReportingPolicyFor({ timezone: config.timezone, sendingWindow: config.sendingWindow });
}

/**
 * Stores the cycle (open or as a draft) and returns the partners it is for: those active now.
 * A partner who joins later is admitted by the cycle workflow under the cycle's join rule.
 */
export async function storeCycle(config: Config, opening: CycleOpening, open: boolean): Promise<number[]> {
  return withDatabase(config, async (db) => {
    await upsertCycle(db, {
      year: opening.year,
      periodStart: opening.periodStart ?? `${opening.year}-01-01`,
      periodEnd: opening.periodEnd ?? `${opening.year}-12-31`,
      dueDate: opening.dueDate,
      policy: opening.policy,
      settings: opening.settings,
      open,
    });
    return (await listPartners(db)).filter((partner) => partner.status === 'active').map((partner) => partner.number);
  });
}

/**
 * The cycle's settings from `cycle open`'s flags, or undefined when none was given (a stored
 * cycle then keeps its settings). Refused with "field: reason" lines.
 */
export function cycleSettingsFrom(flags: { compileOn?: string; joinCutoffWeeks?: number; joinMinimumWeeks?: number }): CycleSettings | undefined {
  if (flags.compileOn === undefined && flags.joinCutoffWeeks === undefined && flags.joinMinimumWeeks === undefined) return undefined;
  const parsed = cycleSettingsSchema.safeParse({
    ...(flags.compileOn !== undefined && { compileOn: flags.compileOn }),
    joinRule: {
      ...(flags.joinCutoffWeeks !== undefined && { cutoffWeeksBeforeDue: flags.joinCutoffWeeks }),
      ...(flags.joinMinimumWeeks !== undefined && { minimumWeeks: flags.joinMinimumWeeks }),
    },
  });
  if (!parsed.success) throw new CliError(formatIssues(parsed.error), 2);
  return parsed.data;
}

export function describeStarts(starts: CycleStarts): string {
  return `Announced to ${starts.announced} partner lifecycle(s); started ${starts.startedDirectly} workflow(s) directly; ${starts.alreadyStarted} had already been started.\n`;
}
