/**
 * What each command of a report's first task costs the Temporal dev server:
 *   npm run bench:commands -- [--workflows 250] [--rounds 6] [--concurrency 20]
 * Starts a dev server of its own and prints, per kind of workflow, the server's CPU per workflow
 * (mean and range over the rounds), this process's (worker and client), and what the first task
 * recorded. See src/dev/bench/commands.ts.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { measureCommandCosts } from '../src/dev/bench/commands';

const { values } = parseArgs({
  options: {
    workflows: { type: 'string', default: '250' },
    rounds: { type: 'string', default: '6' },
    concurrency: { type: 'string', default: '20' },
  },
});
const whole = (name: keyof typeof values) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: must be a whole number of at least 1, not "${values[name]}"`);
  return value;
};
const [workflows, rounds, concurrency] = [whole('workflows'), whole('rounds'), whole('concurrency')];
const figures = await measureCommandCosts({ workflows, rounds, concurrency, config: loadConfig(), log: (line) => process.stderr.write(`${line}\n`) });

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const ms = (value: number) => value.toFixed(1);
console.log(`${workflows} workflows of each kind, ${concurrency} at a time, ${rounds} round${rounds === 1 ? '' : 's'}; CPU per workflow in ms`);
console.table(
  figures.map((kind) => ({
    workflow: kind.label,
    'server (mean)': ms(mean(kind.serverMsPerRound)),
    'server (rounds, min–max)': `${ms(Math.min(...kind.serverMsPerRound))}–${ms(Math.max(...kind.serverMsPerRound))}`,
    'worker and client (mean)': ms(mean(kind.workerMsPerRound)),
    'first task recorded': kind.firstTask.join(', '),
  })),
);
