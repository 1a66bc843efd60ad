/**
 * `npm run chaos [-- --only NAME] [--k K] [--partners N]`: runs the fault scenarios on the
 * production topology (Temporal server on PostgreSQL, worker processes, an SMTP sink), each with
 * its own K and partner count unless given, and prints one table row per scenario. Exits 1 when
 * any scenario lost an email or left a duplicate the ledger does not explain.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { chaosScenarios, findScenario, type ChaosRow } from '../src/dev/chaos';
import { chaosTable } from '../src/dev/chaos/table';
import { formatIssues } from '../src/domain/issues';

const argsSchema = z.object({
  only: z.string().refine((name) => findScenario(name) !== undefined, {
    message: `must be one of ${chaosScenarios.map((s) => s.name).join(', ')}`,
  }).optional(),
  k: z.coerce.number().int().min(1).max(1_000).optional(),
  partners: z.coerce.number().int().min(1).max(10_000).optional(),
});

const usage = `npm run chaos [-- --only NAME] [--k K] [--partners N]

Scenarios (default K, partners):
${chaosScenarios.map((s) => `  ${s.name.padEnd(22)} ${s.defaultK}, ${s.defaultPartners}`).join('\n')}
`;

const args = (() => {
  try {
    return parseArgs({ options: { only: { type: 'string' }, k: { type: 'string' }, partners: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
})();
if (args.values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const { help: _help, ...values } = args.values;
const parsed = argsSchema.safeParse(values);
if (!parsed.success) {
  process.stderr.write(`${formatIssues(parsed.error).map((line) => `--${line}`).join('\n')}\n`);
  process.exit(2);
}
const { only, k, partners } = parsed.data;
const scenarios = only ? [findScenario(only)!] : chaosScenarios;

const rows: ChaosRow[] = [];
for (const scenario of scenarios) {
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[${scenario.name} +${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`);
  log(`K = ${k ?? scenario.defaultK}, ${partners ?? scenario.defaultPartners} partners`);
  try {
    const row = await scenario.run({ k: k ?? scenario.defaultK, partners: partners ?? scenario.defaultPartners, log });
    rows.push(row);
    // Each row as soon as it is known: a long run stopped halfway still tells what it found.
    log(`\n${chaosTable([row])}`);
  } catch (error) {
    log(`did not finish: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
process.stdout.write(`${chaosTable(rows)}\n`);
if (rows.some((row) => row.lost > 0 || row.duplicated > row.duplicatesExplained)) process.exitCode = 1;
