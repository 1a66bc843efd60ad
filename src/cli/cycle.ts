import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { localDate, wholeNumber } from './options';
import { CliError, printJson, printTable } from './output';
import { cliConfig, withDatabase } from './runtime';

export function registerCycleCommands(program: Command): void {
  const cycle = program.command('cycle').description('the yearly reporting cycle of all partners');

  cycle
    .command('compile')
    .description("compile the year's annual report from the accepted reports; every run stores a new version")
    .requiredOption('--year <year>', 'the reporting year', wholeNumber('--year'))
    .option('--out <dir>', 'also copy the files into this folder')
    .option('--as-of <date>', 'the "Stand" date printed under the overview (default: today)', localDate('--as-of'))
    .option('--texts <file>', 'a JSON file with your own title, preface and introduction')
    .option('--json', 'print JSON')
    .action(async (options: { year: number; out?: string; asOf?: string; texts?: string; json?: boolean }) => {
      // Loaded here, not at start: typesetting, charts and spreadsheets serve this command only.
      const { ApplicationFailure } = await import('@temporalio/common');
      const { createCompilationActivities } = await import('../../activities/compilation');
      const { missingReason } = await import('../documents/model');
      const config = cliConfig();
      // Runs the activity in this process with the real database: no worker needed to compile.
      const compiled = await withDatabase(config, async (db) => {
        try {
          return await createCompilationActivities({ db, config }).compileAnnualReport({
            year: options.year,
            asOf: options.asOf,
            textsFile: options.texts,
          });
        } catch (error) {
          if (error instanceof ApplicationFailure && error.nonRetryable) throw new CliError(error.message.split('\n'));
          throw error;
        }
      });
      let dir = compiled.dir;
      if (options.out !== undefined) {
        dir = resolve(options.out);
        await mkdir(dir, { recursive: true });
        for (const artefact of compiled.artefacts) await copyFile(join(compiled.dir, artefact.fileName), join(dir, artefact.fileName));
      }
      const files = compiled.artefacts.map((a) => ({ ...a, path: join(dir, a.fileName) }));
      if (options.json) {
        printJson({ ...compiled, dir, artefacts: files });
        return;
      }
      process.stdout.write(
        `Compiled annual report ${compiled.year}, version ${compiled.version} (Stand ${compiled.asOf}): ` +
          `${compiled.chapters} of ${compiled.partners} partners' reports included.\n\n`,
      );
      printTable(files, ['format', 'bytes', 'path']);
      if (compiled.missing.length > 0) {
        process.stdout.write(`\nNot included (${compiled.missing.length}):\n`);
        printTable(
          compiled.missing.map((m) => ({ partner: m.number, name: m.organisation, report: missingReason(m) })),
          ['partner', 'name', 'report'],
        );
      }
    });
}
