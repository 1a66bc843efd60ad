/**
 * Worker memory and CPU per cached annual report, on the SDK's own sandbox (no server needed):
 *   npm run bench:workflow-memory -- [--workflows 300] [--submitted]
 * Loads the workflow bundle as the worker does (from the cache, see `npm run provision`), creates N
 * annual reports from a recorded history's first two tasks and prints heap and CPU per workflow
 * and the modules each one evaluates for itself. See src/dev/bench/workflow-memory.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { measureWorkflowMemory } from '../src/dev/bench/workflow-memory';
import { loadWorkflowBundle } from '../src/temporal/workflow-bundle';

const { values } = parseArgs({ options: { workflows: { type: 'string', default: '300' }, submitted: { type: 'boolean', default: false } } });
const workflows = Number(values.workflows);
if (!Number.isInteger(workflows) || workflows < 1) throw new Error('--workflows: must be a whole number of at least 1');
const historyFile = fileURLToPath(new URL('../test/fixtures/histories/annual-report-never-submitted.json', import.meta.url));
const { bundle } = await loadWorkflowBundle(loadConfig().binaries.cacheDir);
// --submitted: each report also receives a submission (the seed's Kreis Lippe report), as reports awaiting review are cached.
const submission = values.submitted
  ? { report: JSON.parse(readFileSync(fileURLToPath(new URL('../test/fixtures/reports/02-kreis-lippe.json', import.meta.url)), 'utf8')), submittedBy: 'Petra Schmidt' }
  : undefined;
const figures = await measureWorkflowMemory({ bundleCode: bundle.code, historyFile, workflows, submission });
console.log(`annual reports cached:               ${figures.workflows}${submission ? ', each submitted and awaiting review' : ''}`);
console.log(`heap per cached workflow:            ${(figures.heapBytesPerWorkflow / 1e6).toFixed(3)} MB`);
const tasks = submission ? 'first three tasks' : 'first two tasks';
console.log(`${`first workflow's ${tasks}:`.padEnd(38)}${figures.firstTaskCpuMs.toFixed(1)} ms CPU`);
console.log(`${`mean per workflow (${tasks}):`.padEnd(38)}${figures.meanTaskCpuMs.toFixed(1)} ms CPU`);
console.log(`modules each workflow evaluates:     ${figures.ownModules.length} (the last workflow's)`);
for (const module of figures.ownModules) console.log(`  ${module.replace(/^(\.\.\/)+(main\/)?/, '')}`);
