import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { cpuMeter, processTreeCpuSeconds } from '../../src/dev/bench/process-cpu';

/** Spins until this process has used `ms` of CPU (not wall time: a loaded machine must not shorten it). */
const burnSource = (ms: number) =>
  `{ const start = process.cpuUsage(); while ((process.cpuUsage(start).user + process.cpuUsage(start).system) / 1000 < ${ms}) Math.sqrt(Math.random()); }`;
const burn = (ms: number) => new Function(burnSource(ms))() as void;

it("counts a process's own CPU and that of the children it waited for", () => {
  const meter = cpuMeter({ self: () => process.pid, gone: () => undefined });
  burn(400);
  const afterOwn = meter.read();
  // A child that burns CPU and exits: counted through our cutime/cstime once waited for.
  spawnSync(process.execPath, ['-e', burnSource(400)]);
  const afterChild = meter.read();

  // Clock ticks are 10 ms; a little is left for the rounding.
  expect(afterOwn.self).toBeGreaterThanOrEqual(0.3);
  expect(afterChild.self - afterOwn.self).toBeGreaterThanOrEqual(0.3);
  expect(afterOwn.gone).toBeNaN();
  expect(processTreeCpuSeconds(2 ** 22 + 1)).toBeUndefined();
});
