import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { processMemory, watchPeakMemory } from '../../src/dev/bench/process-memory';

const MB = 1e6;

/** Polls until `ok` holds for the process's memory, or fails naming what it last saw. */
async function until(pid: number, what: string, ok: (rss: number) => boolean): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    const rss = processMemory(pid)?.rssBytes ?? Number.NaN;
    if (ok(rss)) return;
    await sleep(50);
  }
  throw new Error(`${what}: resident set ${Math.round((processMemory(pid)?.rssBytes ?? Number.NaN) / MB)} MB`);
}

it("gives each phase its own peak of a process's resident set, the overall peak kept", async () => {
  // A child that holds 300 MB of touched memory until told, then frees it (a large Buffer is its own mapping).
  const child = spawn(process.execPath, [
    '--expose-gc',
    '-e',
    "let held = Buffer.alloc(300e6, 1); process.stdin.once('data', () => { held = null; globalThis.gc(); }); setInterval(() => {}, 1000);",
  ]);
  try {
    const pid = child.pid!;
    await until(pid, 'the child never held its 300 MB', (rss) => rss > 300 * MB);
    const watch = watchPeakMemory(() => pid, 50);
    child.stdin.write('free\n');
    await until(pid, 'the child never freed its 300 MB', (rss) => rss < 150 * MB);

    const held = watch.phase();
    await sleep(200);
    const after = watch.phase();
    expect(held).toBeGreaterThan(300 * MB);
    // The kernel's record was reset at the end of the first phase: the second saw only what was left.
    expect(after).toBeLessThan(150 * MB);
    expect(watch.peakBytes()).toBeGreaterThan(300 * MB);
    watch.stop();
  } finally {
    child.kill('SIGKILL');
  }
});
