import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/support/longest-first';

/** Pure functions: no servers, no global state left behind, so the files share their processes. */
const unitTests = 'test/unit/**/*.test.ts';

export default defineConfig({
  test: {
    setupFiles: ['test/support/quiet-temporal.ts'],
    // Native modules (Temporal's core bridge) are safer in child processes than in worker threads.
    pool: 'forks',
    // Two files at a time on two cores: files also wait on servers, timers and outages (the fault
    // scenarios sit out outages of a minute; about a fifth of the CPU stays idle over a run), but
    // the run is bound by the CPU, so a third file at a time would only queue on it.
    maxWorkers: 2,
    // The slowest files start first (a fresh clone has no vitest cache to order them by).
    sequence: { sequencer: LongestFirstSequencer },
    testTimeout: 60_000,
    // A page that answers a click, a workflow that answers a signal: on a loaded two-core runner
    // that may take seconds, far past expect.poll's default second.
    expect: { poll: { timeout: 20_000, interval: 100 } },
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        // Each unit file in a process of its own cost about a second of CPU to start (node, vitest,
        // the setup's Temporal runtime): 101 CPU-s for the 62 files, 46 CPU-s sharing processes.
        test: { name: 'unit', include: [unitTests], isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['test/**/*.test.ts'],
          exclude: [unitTests],
          // One PostgreSQL server for the whole run; each test file makes its own database on it.
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
