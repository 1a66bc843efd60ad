/**
 * The dry run's forecast: replays the previous cycle's behaviour of each partner under the proposed
 * policy (and, with --compare-policy, a second one) and prints per ISO week what each would send
 * and what staff would have to review, side by side.
 */
import type { Config } from '../config';
import type { CycleForecast, ForecastCounts } from '../domain/forecast';
import type { ReportingPolicy } from '../domain/policy';
import { readPolicy } from './files';
import { printTable } from './output';
import { withDatabase } from './runtime';

export type PolicyForecast = { policy: string; forecast: CycleForecast };

export type OpeningForecast = {
  /** The cycle whose behaviour is replayed: the most recent one before the year; null when there is none. */
  previousYear: number | null;
  policies: PolicyForecast[];
};

/**
 * Forecasts for `partners` (with the due date each would get) under the proposed policy and, when
 * a file is named, the one to compare with (refused with "field: reason" lines if it cannot work).
 */
export async function forecastOpening(
  config: Config,
  opening: { year: number; policy: ReportingPolicy; policyName: string; comparePolicyFile?: string },
  partners: { partner: number; dueDate: string }[],
): Promise<OpeningForecast> {
  const [{ findPreviousCycleHistory }, { behavioursFrom, forecastCycle }, { dueAtEndOfDay }] = await Promise.all([
    import('../db/queries/cycle-history'),
    import('../domain/forecast'),
    import('../domain/due-date'),
  ]);
  const policies = [{ policy: opening.policyName, value: opening.policy }];
  if (opening.comparePolicyFile !== undefined) policies.push({ policy: opening.comparePolicyFile, value: await readPolicy(opening.comparePolicyFile) });
  const previous = await withDatabase(config, (db) => findPreviousCycleHistory(db, opening.year));
  return {
    previousYear: previous?.year ?? null,
    policies: policies.map(({ policy, value }) => {
      const dueAts = partners.map(({ partner, dueDate }) => ({ partner, dueAt: dueAtEndOfDay(dueDate, value.deadline.timezone) }));
      return { policy, forecast: forecastCycle(value, behavioursFrom(previous, dueAts)) };
    }),
  };
}

const countColumns = ['invitations', 'reminders', 'overdue', 'reviews', 'revisionReviews'] as const;

/** One row per week; with two policies each cell reads "first / second". */
export function forecastRows(policies: PolicyForecast[]): Record<string, string>[] {
  const levels = [...new Set(policies.flatMap((p) => p.forecast.totals.escalations.map((e) => e.level)))].sort((a, b) => a - b);
  const weeks = [...new Set(policies.flatMap((p) => p.forecast.weeks.map((w) => `${w.week} ${w.monday}`)))].sort();
  const cells = (counts: (p: PolicyForecast) => ForecastCounts | undefined) => {
    const row: Record<string, string> = {};
    const values = policies.map(counts);
    const joined = (value: (c: ForecastCounts) => number) => values.map((c) => (c ? value(c) : 0)).join(' / ');
    row.invitations = joined((c) => c.invitations);
    row.reminders = joined((c) => c.reminders);
    row.overdue = joined((c) => c.overdueNotices);
    for (const level of levels) row[`escalation${level}`] = joined((c) => c.escalations.find((e) => e.level === level)?.notices ?? 0);
    row.reviews = joined((c) => c.reviews);
    row.revisionReviews = joined((c) => c.revisionReviews);
    return row;
  };
  return [
    ...weeks.map((key) => {
      const [week = '', monday = ''] = key.split(' ');
      return { week, monday, ...cells((p) => p.forecast.weeks.find((w) => w.week === week)) };
    }),
    { week: 'total', monday: '', ...cells((p) => p.forecast.totals) },
  ];
}

export function forecastColumns(policies: PolicyForecast[]): string[] {
  const levels = [...new Set(policies.flatMap((p) => p.forecast.totals.escalations.map((e) => e.level)))].sort((a, b) => a - b);
  return ['week', 'monday', ...countColumns.slice(0, 3), ...levels.map((level) => `escalation${level}`), ...countColumns.slice(3)];
}

export function printForecast(result: OpeningForecast): void {
  const [first] = result.policies;
  if (!first) return;
  if (result.previousYear === null) {
    process.stdout.write('\nForecast: no earlier cycle in the database, so there is no behaviour to replay.\n');
    return;
  }
  const names = result.policies.map((p) => p.policy).join(' / ');
  process.stdout.write(
    `\nForecast from the behaviour in cycle ${result.previousYear} (each partner submits as late or early, relative to its due date, as it did then)` +
      `${result.policies.length > 1 ? `; cells read ${names}` : ` under ${names}`}:\n`,
  );
  printTable(forecastRows(result.policies), forecastColumns(result.policies));
  const { partners } = first.forecast;
  process.stdout.write(
    `Replayed ${partners.forecast} partner(s): ${partners.submitted} submitted, ${partners.notSubmitted} did not submit, ${partners.stopped} waived or closed.\n`,
  );
  if (partners.withoutPreviousReport.length > 0) {
    process.stdout.write(
      `Not forecast (no report in cycle ${result.previousYear}; nothing is assumed about them): ${partners.withoutPreviousReport.length} partner(s): ${partners.withoutPreviousReport.join(', ')}\n`,
    );
  }
}
