/**
 * A cycle's own settings beside its reminder policy: when the report is compiled by itself, and
 * which partners joining during the cycle still report for it (the join rule). Stored with the
 * cycle (reporting_cycles.settings), parsed here; pure, so the cycle workflow may use it too.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { localDateSchema } from './local-date';

/**
 * Who joins in time to report this year. A partner whose accession date is on or before the
 * cut-off (`cutoffWeeksBeforeDue` weeks before the cycle's due date) reports for this cycle, and
 * gets at least `minimumWeeks` from its accession to write the report: its due date is the
 * cycle's, or later if that leaves it less time. A partner joining after the cut-off reports from
 * the next cycle on: half a report written in a few weeks helps nobody, and the next cycle
 * covers its first year in full.
 */
export const joinRuleSchema = z.strictObject({
  cutoffWeeksBeforeDue: z.int().min(0).max(52).default(6),
  minimumWeeks: z.int().min(1).max(26).default(8),
});
export type JoinRule = z.output<typeof joinRuleSchema>;

export const cycleSettingsSchema = z.strictObject({
  /** The day the cycle's report is compiled and emailed to staff by itself (early morning, local time); none when absent. */
  compileOn: localDateSchema.optional(),
  joinRule: joinRuleSchema.default({ cutoffWeeksBeforeDue: 6, minimumWeeks: 8 }),
});
export type CycleSettings = z.output<typeof cycleSettingsSchema>;
export type CycleSettingsInput = z.input<typeof cycleSettingsSchema>;

/** The hour (local) at which a configured compile date compiles: before staff start their day. */
export const COMPILE_HOUR = 6;

/** The moment a compile date stands for, in the cycle's time zone. */
export function compileMoment(compileOn: string, zone: string): Date {
  return DateTime.fromISO(compileOn, { zone }).set({ hour: COMPILE_HOUR }).toJSDate();
}

export type JoinDecision =
  | { reports: true; cutoff: string; dueDate: string; extended: boolean }
  | { reports: false; cutoff: string; fromYear: number };

/**
 * Whether a partner that joined on `accessionDate` reports in the cycle of `year` due on `dueDate`,
 * and by when. A partner without an accession date joined before Partnerflow and reports.
 */
export function joinDecision(input: { year: number; dueDate: string; accessionDate: string | null; rule: JoinRule }): JoinDecision {
  const due = DateTime.fromISO(input.dueDate, { zone: 'utc' });
  const cutoff = due.minus({ weeks: input.rule.cutoffWeeksBeforeDue }).toISODate() as string;
  if (input.accessionDate === null) return { reports: true, cutoff, dueDate: input.dueDate, extended: false };
  if (input.accessionDate > cutoff) return { reports: false, cutoff, fromYear: input.year + 1 };
  const earliest = DateTime.fromISO(input.accessionDate, { zone: 'utc' }).plus({ weeks: input.rule.minimumWeeks }).toISODate() as string;
  return earliest > input.dueDate ? { reports: true, cutoff, dueDate: earliest, extended: true } : { reports: true, cutoff, dueDate: input.dueDate, extended: false };
}
