import type { ChaosRow } from './scenario';

/** The result table of `npm run chaos`, as Markdown, so a run can be pasted into the README as it is. */
export function chaosTable(rows: readonly ChaosRow[]): string {
  const header = ['scenario', 'faults injected', 'workflows', 'emails intended', 'delivered', 'duplicated (explained)', 'not sent by rule', 'lost', 'seconds to recover', 'note'];
  const lines = rows.map((row) => [
    row.scenario,
    String(row.faultsInjected),
    String(row.workflows),
    String(row.emailsIntended),
    String(row.emailsDelivered),
    `${row.duplicated} (${row.duplicatesExplained})`,
    String(row.notSentByRule),
    String(row.lost),
    row.secondsToRecover === null ? '–' : row.secondsToRecover.toFixed(1),
    row.note ?? '',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [format(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(format)].join('\n');
}
