/**
 * Opening a cycle (`cycle open` and `report open` share it) on the time-skipping server with a
 * worker and PostgreSQL: a partner with a lifecycle gets its report through it, the others
 * directly; opening again, as after a crash half-way, starts nothing twice.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCycleReports } from '../../src/cli/cycle-opening';
import { contacts, organisations } from '../../src/db/schema';
import { defaultMilestonePolicy } from '../../src/domain/default-policy';
import { startLifecycle } from '../../src/temporal/accession-client';
import { lifecycleStatusQuery } from '../../workflows/contracts/lifecycle';
import { createReportingWorld, partner, type ReportingWorld } from '../support/reporting-world';

const run = promisify(execFile);
let world: ReportingWorld;

/** `partnerflow ARGS` against this world's server, queue and database; on a terminal (through script(1)) if asked. */
async function partnerflow(args: string[], options: { terminal?: boolean } = {}): Promise<{ stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: world.config.database.url,
    TEMPORAL_ADDRESS: world.env.address,
    TEMPORAL_TASK_QUEUE: world.taskQueue,
    LOG_LEVEL: 'warn',
  };
  const command = ['node', 'bin/partnerflow.js', ...args];
  if (!options.terminal) return run(command[0] ?? 'node', command.slice(1), { env, timeout: 60_000 });
  return run('script', ['-qec', command.join(' '), '/dev/null'], { env, timeout: 60_000 });
}

beforeEach(async () => {
  world = await createReportingWorld();
  // Two more active partners, without a lifecycle (as before lifecycles existed).
  for (const number of [3, 4]) {
    const [organisation] = await world.database.db
      .insert(organisations)
      .values({ number, name: `Stadt ${number}`, kind: 'municipality', status: 'active', accessionDate: '2014-01-01' })
      .returning();
    if (!organisation) throw new Error('seeding failed');
    await world.database.db
      .insert(contacts)
      .values({ organisationId: organisation.id, role: 'main_contact', name: `Kontakt ${number}`, email: `ikoe@stadt-${number}.example`, language: 'de' });
  }
});

afterEach(async () => {
  await world.teardown();
});

describe('opening a cycle', () => {
  it('announces it to lifecycles, starts the rest directly, and starts nothing twice when opened again', async () => {
    const config = { ...world.config, temporal: { ...world.config.temporal, taskQueue: world.taskQueue } };
    const client = world.env.client;
    await world.openCycle(2027, '2027-03-31');
    await world.withWorker(async () => {
      const lifecycle = await startLifecycle(client, world.taskQueue, {
        partnerNumber: partner.number,
        accessionDate: '2012-08-15',
        milestonePolicy: defaultMilestonePolicy,
        origin: 'import',
        milestones: [],
      });

      const progress: number[] = [];
      const first = await startCycleReports(client, config, 2027, [partner.number, 3, 4], (done) => progress.push(done));
      expect(first).toEqual({ announced: 1, startedDirectly: 2, alreadyStarted: 0 });
      expect(progress).toEqual([1, 2, 3]);
      const runsOf = async () =>
        Promise.all([3, 4].map(async (number) => (await client.workflow.getHandle(`annual-report/${number}/2027`).describe()).runId));
      const firstRuns = await runsOf();

      // Resuming (or opening twice): the lifecycle ignores a year it started, direct starts are skipped.
      const again = await startCycleReports(client, config, 2027, [partner.number, 3, 4]);
      expect(again).toEqual({ announced: 1, startedDirectly: 0, alreadyStarted: 2 });
      expect(await runsOf()).toEqual(firstRuns);

      let status = await lifecycle.query(lifecycleStatusQuery);
      for (let attempt = 0; attempt < 100 && status.openReports.length === 0; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = await lifecycle.query(lifecycleStatusQuery);
      }
      expect(status).toMatchObject({ reportedYears: [2027], openReports: ['annual-report/2/2027'] });
      const viaLifecycle = await client.workflow.getHandle('annual-report/2/2027').describe();
      expect(viaLifecycle.status.name).toBe('RUNNING');
      expect(viaLifecycle.parentExecution?.workflowId).toBe('lifecycle/2');
      for (const number of [3, 4]) {
        const direct = await client.workflow.getHandle(`annual-report/${number}/2027`).describe();
        expect(direct.status.name).toBe('RUNNING');
        expect(direct.parentExecution).toBeUndefined();
      }
    });
  }, 120_000);

  it('opens through the cycle workflow: a progress bar on a terminal, nothing of it on a pipe, and nothing started twice', async () => {
    const open = ['cycle', 'open', '--year', '2027', '--due-date', '2027-03-31'];
    // The cycle workflow (cycle/2027) starts the reports; the command follows its progress.
    await world.withWorker(async () => {
      const onTerminal = await partnerflow(open, { terminal: true });
      // script(1) merges both streams into its own output.
      expect(onTerminal.stdout).toMatch(/Starting reports \[[█░]+\] 3\/3 partners/);
      expect(onTerminal.stdout).toContain('started 3 workflow(s) directly; 0 had already been started.');

      const onPipe = await partnerflow([...open, '--json']);
      // (The client still logs each skipped start as a warning on stderr.)
      expect(onPipe.stderr).not.toMatch(/Starting reports|\[[█░]+\]/);
      expect(JSON.parse(onPipe.stdout)).toEqual({ year: 2027, dueDate: '2027-03-31', partners: 3, announced: 0, startedDirectly: 0, alreadyStarted: 3, deferred: 0, workflowId: 'cycle/2027' });
    });
    // Both openings went to the one workflow of the year.
    const history = await world.env.client.workflow.getHandle('cycle/2027').fetchHistory();
    expect((history.events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'openCycle')).toHaveLength(2);
  }, 120_000);
});
