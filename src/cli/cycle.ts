import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { localDate, wholeNumber } from './options';
import { CliError, formatMoment, printJson, printTable } from './output';
import { cliConfig, withDatabase, withTemporal } from './runtime';
import { registerCycleStatsCommand } from './cycle-stats';

export function registerCycleCommands(program: Command): void {
  const cycle = program.command('cycle').description('the yearly reporting cycle of all partners');

  cycle
    .command('open')
    .description("open the year's cycle: start every active partner's report once, with a progress bar; --dry-run shows the planned sends")
    .requiredOption('--year <year>', 'the reporting year', wholeNumber('--year'))
    .requiredOption('--due-date <date>', 'due date of the reports (YYYY-MM-DD)', localDate('--due-date'))
    .option('--period-start <date>', 'first day of the reporting period (default: 1 Jan of the year)', localDate('--period-start'))
    .option('--period-end <date>', 'last day of the reporting period (default: 31 Dec of the year)', localDate('--period-end'))
    .option('--policy <file>', 'reminder policy as JSON (default: the built-in policy); refused if it cannot work')
    .option('--dry-run', 'print the planned sends per partner and a forecast from the previous cycle; store and start nothing')
    .option('--compare-policy <file>', 'with --dry-run: a second policy whose forecast is printed beside the first')
    .option('--compile-on <date>', 'compile the report by itself on this day (06:00 local) and email staff', localDate('--compile-on'))
    .option('--join-cutoff-weeks <weeks>', 'partners joining up to this many weeks before the due date report this year (default 6)', wholeNumber('--join-cutoff-weeks'))
    .option('--join-minimum-weeks <weeks>', 'a partner joining during the cycle gets at least this many weeks for its report (default 8)', wholeNumber('--join-minimum-weeks'))
    .option('--json', 'print JSON')
    .action(
      async (options: {
        year: number;
        dueDate: string;
        periodStart?: string;
        periodEnd?: string;
        policy?: string;
        comparePolicy?: string;
        dryRun?: boolean;
        json?: boolean;
        compileOn?: string;
        joinCutoffWeeks?: number;
        joinMinimumWeeks?: number;
      }) => {
        // Loaded here, not at start: planning pulls in the holiday tables, opening the Temporal client.
        const opening = await import('./cycle-opening');
        const config = cliConfig();
        const policy = await opening.cyclePolicy(config, options.policy);
        const settings = opening.cycleSettingsFrom(options);
        const cycleOpening = { year: options.year, dueDate: options.dueDate, periodStart: options.periodStart, periodEnd: options.periodEnd, policy, settings };
        if (options.comparePolicy !== undefined && !options.dryRun) throw new CliError(['--compare-policy: only with --dry-run'], 2);
        if (options.dryRun) {
          await printPlannedSends(config, { ...cycleOpening, policyName: options.policy ?? 'built-in policy', comparePolicyFile: options.comparePolicy }, options.json === true);
          return;
        }
        const partners = await opening.storeCycle(config, cycleOpening, true);
        if (!options.json) {
          process.stdout.write(`Cycle ${options.year} stored: due ${options.dueDate}, ${policy.deadline.steps.length} steps; ${partners.length} active partner(s).\n`);
        }
        // The cycle workflow (cycle/<year>) starts the reports in batches; this command follows its progress.
        const { openCycleWorkflow, waitForOpening } = await import('../temporal/cycle-client');
        const bar = await progressBar(partners.length);
        let sweep;
        try {
          sweep = await withTemporal(config, async (client) => {
            const { handle, requestId } = await openCycleWorkflow(client, config.temporal.taskQueue, options.year);
            return waitForOpening(handle, requestId, (view) => {
              if (view.sweep?.requestIds.includes(requestId)) bar.update(view.sweep.opened, view.sweep.total);
            });
          });
        } finally {
          bar.stop();
        }
        if (options.json) printJson({ year: options.year, dueDate: options.dueDate, partners: sweep.total, ...sweep.starts, workflowId: `cycle/${options.year}` });
        else {
          process.stdout.write(opening.describeStarts(sweep.starts));
          if (sweep.starts.deferred > 0) process.stdout.write(`${sweep.starts.deferred} partner(s) joined after the cut-off and report from ${options.year + 1}.\n`);
        }
      },
    );

  cycle
    .command('status')
    .description("where the year's cycle stands: counts per phase and escalation level, and per partner the last email (from the database)")
    .requiredOption('--year <year>', 'the reporting year', wholeNumber('--year'))
    .option('--json', 'print JSON')
    .option('--csv', 'print one CSV row per partner')
    .option('--xlsx <file>', 'write the partners and the counts to this spreadsheet')
    .action(async (options: { year: number; json?: boolean; csv?: boolean; xlsx?: string }) => {
      const formats = [options.json && '--json', options.csv && '--csv', options.xlsx !== undefined && '--xlsx'].filter(Boolean);
      if (formats.length > 1) throw new CliError([`${formats.join(', ')}: choose one output`], 2);
      const { findCycleStatus } = await import('../db/queries/cycle-status');
      const config = cliConfig();
      const status = await withDatabase(config, (db) => findCycleStatus(db, options.year));
      if (!status) throw new CliError([`--year: no reporting cycle for ${options.year}`]);
      if (options.json) return printJson(status);
      if (options.csv) {
        process.stdout.write((await import('./cycle-status-files')).cycleStatusCsv(status));
        return;
      }
      if (options.xlsx !== undefined) {
        const file = resolve(options.xlsx);
        await (await import('./cycle-status-files')).writeCycleStatusXlsx(status, file);
        process.stdout.write(`Cycle ${status.year}: ${status.partners} partner(s) written to ${file}\n`);
        return;
      }
      printCycleStatus(status, config.timezone);
    });

  registerCycleStatsCommand(cycle);

  cycle
    .command('compile')
    .description("compile the year's annual report from the accepted reports; every run stores a new version")
    .requiredOption('--year <year>', 'the reporting year', wholeNumber('--year'))
    .option('--out <dir>', 'also copy the files into this folder')
    .option('--as-of <date>', 'the "Stand" date printed under the overview (default: today)', localDate('--as-of'))
    .option('--texts <file>', 'a JSON file with your own title, preface and introduction')
    .option('--no-email', 'do not email the result to the caseworkers and the head of unit')
    .option('--json', 'print JSON')
    .action(async (options: { year: number; out?: string; asOf?: string; texts?: string; email: boolean; json?: boolean }) => {
      // Loaded here, not at start: typesetting, charts and spreadsheets serve this command only.
      const { ApplicationFailure } = await import('@temporalio/common');
      const { createCompilationActivities } = await import('../../activities/compilation');
      const { missingReason } = await import('../documents/model');
      const config = cliConfig();
      // Runs the activities in this process with the real database: no worker needed to compile.
      // First the text formats (the version is stored and usable), then the PDF and DOCX volumes.
      const started = performance.now();
      const seconds = () => Math.round((performance.now() - started) / 100) / 10;
      const timing = { textFormatsReadyAfter: 0, archiveFormatsReadyAfter: undefined as number | undefined };
      const compiled = await withDatabase(config, async (db) => {
        const activities = createCompilationActivities({ db, config });
        try {
          const stored = await activities.compileAnnualReport({
            year: options.year,
            asOf: options.asOf,
            textsFile: options.texts,
            archiveFormats: 'follow',
          });
          timing.textFormatsReadyAfter = seconds();
          if (!options.json) {
            process.stdout.write(`Text formats and figures of version ${stored.version} ready after ${timing.textFormatsReadyAfter} s (${stored.dir}); typesetting PDF and DOCX …\n`);
          }
          const typeset = await activities.typesetArchiveFormats({ year: stored.year, version: stored.version });
          timing.archiveFormatsReadyAfter = seconds();
          if (!options.json) process.stdout.write(`PDF and DOCX ready after ${timing.archiveFormatsReadyAfter} s.\n\n`);
          return typeset;
        } catch (error) {
          if (error instanceof ApplicationFailure && error.nonRetryable) throw new CliError(error.message.split('\n'));
          if (timing.textFormatsReadyAfter > 0 && error instanceof Error) {
            throw new CliError([`typesetting: ${error.message}`, `typesetting: the text formats are stored; typeset PDF and DOCX again with \`partnerflow cycle typeset --year ${options.year} --version <version>\``]);
          }
          throw error;
        }
      });
      const mailing = options.email ? await emailStaff(config, compiled.year, compiled.version) : undefined;
      let dir = compiled.dir;
      if (options.out !== undefined) {
        dir = resolve(options.out);
        await mkdir(dir, { recursive: true });
        for (const artefact of compiled.artefacts) await copyFile(join(compiled.dir, artefact.fileName), join(dir, artefact.fileName));
      }
      const files = compiled.artefacts.map((a) => ({ ...a, path: join(dir, a.fileName) }));
      if (options.json) {
        printJson({ ...compiled, dir, artefacts: files, ...timing, ...(mailing && { emailed: mailing.deliveries }) });
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
      if (mailing) process.stdout.write(`\n${describeMailing(mailing)}\n`);
    });

  cycle
    .command('typeset')
    .description("typeset a compiled version's PDF and DOCX again (after they failed), then email staff with them")
    .requiredOption('--year <year>', 'the reporting year', wholeNumber('--year'))
    .requiredOption('--version <number>', 'the compiled version', wholeNumber('--version'))
    .option('--no-email', 'do not email the result to the caseworkers and the head of unit')
    .option('--json', 'print JSON')
    .action(async (options: { year: number; version: number; email: boolean; json?: boolean }) => {
      const { ApplicationFailure } = await import('@temporalio/common');
      const { createCompilationActivities } = await import('../../activities/compilation');
      const config = cliConfig();
      const started = performance.now();
      const typeset = await withDatabase(config, async (db) => {
        try {
          return await createCompilationActivities({ db, config }).typesetArchiveFormats({ year: options.year, version: options.version });
        } catch (error) {
          if (error instanceof ApplicationFailure && error.nonRetryable) throw new CliError(error.message.split('\n'));
          throw error;
        }
      });
      const archiveFormatsReadyAfter = Math.round((performance.now() - started) / 100) / 10;
      const mailing = options.email ? await emailStaff(config, typeset.year, typeset.version) : undefined;
      const files = typeset.artefacts.filter((a) => a.format === 'pdf' || a.format === 'docx').map((a) => ({ ...a, path: join(typeset.dir, a.fileName) }));
      if (options.json) {
        printJson({ year: typeset.year, version: typeset.version, formats: typeset.formats, archiveFormatsReadyAfter, artefacts: files, ...(mailing && { emailed: mailing.deliveries }) });
        return;
      }
      process.stdout.write(`PDF and DOCX of ${typeset.year} version ${typeset.version} ready after ${archiveFormatsReadyAfter} s.\n\n`);
      printTable(files, ['format', 'bytes', 'path']);
      if (mailing) process.stdout.write(`\n${describeMailing(mailing)}\n`);
    });

  cycle
    .command('email')
    .description('email a compiled version to the caseworkers and the head of unit again; each gets it once per version')
    .requiredOption('--year <year>', 'the reporting year', wholeNumber('--year'))
    .requiredOption('--version <number>', 'the compiled version', wholeNumber('--version'))
    .option('--json', 'print JSON')
    .action(async (options: { year: number; version: number; json?: boolean }) => {
      const mailing = await emailStaff(cliConfig(), options.year, options.version);
      if (options.json) printJson(mailing);
      else process.stdout.write(`${describeMailing(mailing)}\n`);
    });
}

type CompiledReportMailing = import('../../activities/compilation-mail').CompiledReportMailing;

/**
 * Emails a stored version to staff, in this process (no worker needed). A failure leaves the
 * version stored; running `cycle email` again sends only what is still missing (the ledger).
 */
async function emailStaff(config: ReturnType<typeof cliConfig>, year: number, version: number): Promise<CompiledReportMailing> {
  const [{ ApplicationFailure }, { createCompilationMailActivities }, { createMailer }, { noFaults }, { createLogger, useLogger }] = await Promise.all([
    import('@temporalio/common'),
    import('../../activities/compilation-mail'),
    import('../email/transport'),
    import('../faults'),
    import('../observability/logger'),
  ]);
  // The ledger logs each email; on stderr, so stdout stays the result.
  useLogger(createLogger({ level: config.logLevel, format: config.logFormat, name: 'cli', destination: 2 }));
  const mailer = createMailer(config.smtp);
  try {
    return await withDatabase(config, (db) => createCompilationMailActivities({ db, mailer, config, faults: noFaults }).emailCompiledReport({ year, version }));
  } catch (error) {
    if (error instanceof ApplicationFailure) {
      throw new CliError([
        ...error.message.split('\n'),
        `email: version ${version} of ${year} is stored; send it with \`partnerflow cycle email --year ${year} --version ${version}\``,
      ]);
    }
    throw error;
  } finally {
    mailer.close();
  }
}

function describeMailing(mailing: CompiledReportMailing): string {
  const sent = mailing.deliveries.filter((d) => d.status === 'sent').length;
  const before = mailing.deliveries.filter((d) => d.status === 'already-sent').length;
  const failed = mailing.deliveries.filter((d) => d.status === 'failed').length;
  if (mailing.deliveries.length === 0) return 'No active caseworker or head of unit to email.';
  return `Emailed version ${mailing.version} to ${sent} staff member(s)` + (before > 0 ? `; ${before} had it already` : '') + (failed > 0 ? `; ${failed} refused (see the ledger)` : '') + '.';
}

type CycleStatus = NonNullable<Awaited<ReturnType<typeof import('../db/queries/cycle-status').findCycleStatus>>>;

/** Moments in the ministry's local time; --json, --csv and --xlsx keep ISO instants in UTC. */
function printCycleStatus(status: CycleStatus, timezone: string): void {
  process.stdout.write(`Cycle ${status.year} (${status.status}), due ${status.dueDate}: ${status.partners} partner(s)\n\n`);
  printTable(
    Object.entries(status.phases).map(([phase, partners]) => ({ phase, partners })),
    ['phase', 'partners'],
  );
  process.stdout.write('\n');
  printTable(
    status.escalationLevels.map(({ level, partners }) => ({ escalation: level, partners })),
    ['escalation', 'partners'],
  );
  process.stdout.write('\n');
  printTable(
    status.rows.map((row) => ({
      partner: row.partner,
      name: row.name,
      phase: row.phase,
      due: row.dueAt ? formatMoment(row.dueAt, timezone) : row.dueDate,
      escalation: row.escalationLevel,
      versions: row.versions,
      lastEmail: row.lastEmail
        ? `${row.lastEmail.template}: ${row.lastEmail.status}${row.lastEmail.possibleDuplicate ? ' (possible duplicate)' : ''}` +
          (row.lastEmail.sentAt ? ` ${formatMoment(row.lastEmail.sentAt, timezone)}` : '')
        : '',
    })),
    ['partner', 'name', 'phase', 'due', 'escalation', 'versions', 'lastEmail'],
  );
}

type CycleOpening = import('./cycle-opening').CycleOpening;

/**
 * Per active partner, the sends its report would plan for the partner's due date (an override
 * already stored for the year wins over --due-date), in the policy's own calendar.
 */
async function printPlannedSends(
  config: ReturnType<typeof cliConfig>,
  opening: CycleOpening & { policyName: string; comparePolicyFile?: string },
  json: boolean,
): Promise<void> {
  const [{ listPartners }, { listOverrides }, { planCycleSends }] = await Promise.all([
    import('../db/queries/partners'),
    import('../db/queries/reporting'),
    import('../domain/cycle-plan'),
  ]);
  const { partners, overrides } = await withDatabase(config, async (db) => ({
    partners: (await listPartners(db)).filter((partner) => partner.status === 'active'),
    overrides: await listOverrides(db, opening.year),
  }));
  const { timezone, warnings, partners: planned } = planCycleSends({ dueDate: opening.dueDate, policy: opening.policy, partners, overrides });
  const forecasting = await import('./cycle-forecast');
  const forecast = await forecasting.forecastOpening(config, opening, planned);
  if (json) {
    printJson({ year: opening.year, dueDate: opening.dueDate, timezone, warnings, partners: planned, forecast });
    return;
  }
  process.stdout.write(
    `Dry run: cycle ${opening.year}, due ${opening.dueDate} (${timezone}), ${opening.policy.deadline.steps.length} steps; ` +
      `${partners.length} active partner(s). Nothing is stored or started.\n`,
  );
  for (const warning of warnings) process.stdout.write(`warning: ${warning}\n`);
  for (const partner of planned) {
    process.stdout.write(`\nPartner ${partner.partner}, ${partner.name}: due ${partner.dueDate}\n`);
    printTable(
      partner.sends.map((row) => ({ ...row, recipients: row.recipients.join(', ') })),
      ['sendAt', 'step', 'occurrence', 'template', 'recipients', 'deferredFrom', 'broughtForwardFrom'],
    );
    for (const dropped of partner.dropped) process.stdout.write(`dropped ${dropped.stepId}#${dropped.occurrence}: ${dropped.reason}\n`);
  }
  forecasting.printForecast(forecast);
}

/** cli-progress on a terminal (stderr, so stdout stays the result); nothing on a pipe. */
async function progressBar(total: number): Promise<{ update: (done: number, total: number) => void; stop: () => void }> {
  if (!process.stderr.isTTY || total === 0) return { update: () => undefined, stop: () => undefined };
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar({ format: 'Starting reports [{bar}] {value}/{total} partners, {eta_formatted} left', stream: process.stderr }, Presets.shades_classic);
  bar.start(total, 0);
  return {
    update: (done, all) => {
      // Partners who became active during the opening are counted in as it reaches them.
      if (all !== bar.getTotal()) bar.setTotal(all);
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}
