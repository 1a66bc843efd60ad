import type { Command } from 'commander';
import { parseReportSubmission } from '../../domain/report';
import { submitReportUpdate } from '../../../workflows/contracts/annual-report';
import { readJson } from '../files';
import { CliError, formatMoment } from '../output';
import { cliConfig } from '../runtime';
import { forPartnerAndYear, updateReport, type PartnerYear } from './shared';

export function registerSubmit(report: Command): void {
  forPartnerAndYear(report.command('submit'))
    .description("submit a partner's annual report from a JSON file")
    .requiredOption('--file <file>', 'the report as JSON')
    .option('--by <name>', 'who submits', 'partner')
    .action(async (options: PartnerYear & { file: string; by: string }) => {
      const report = await readJson(options.file);
      const parsed = parseReportSubmission(report);
      if (!parsed.ok) throw new CliError([`${options.file} is not a valid report:`, ...parsed.errors.map((e) => `  ${e}`)], 1);
      const receipt = await updateReport(options, (handle) =>
        handle.executeUpdate(submitReportUpdate, { args: [{ report: parsed.report, submittedBy: options.by }] }),
      );
      const { timezone } = cliConfig();
      process.stdout.write(`Received: reference ${receipt.reference}, version ${receipt.version}, at ${formatMoment(receipt.submittedAt, timezone)}\n`);
    });
}
