import { readdirSync, readFileSync } from 'node:fs';

/**
 * Memory of the processes the benchmark runs, from Linux's /proc. `VmHWM` is the kernel's own
 * record of a process's peak resident set, so no sample between two polls can be missed.
 */
export type ProcessMemory = { rssBytes: number; peakRssBytes: number };

export function processMemory(pid: number): ProcessMemory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // Exited, or not Linux.
    return undefined;
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
}

/** The pid of the process whose command line contains `marker` (e.g. a unique data file), if any. */
export function findProcessByCommandLine(marker: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) return Number(entry);
    } catch {
      // Gone between the listing and the read.
    }
  }
  return undefined;
}

/**
 * Follows a process's peak resident set until stopped. VmHWM survives while the process runs; the
 * last reading is kept for a process that exits before the end.
 */
export function watchPeakMemory(pid: () => number | undefined, intervalMs = 500): { peakBytes(): number; stop(): void } {
  let peak = 0;
  const read = () => {
    const id = pid();
    const memory = id === undefined ? undefined : processMemory(id);
    if (memory && Number.isFinite(memory.peakRssBytes)) peak = Math.max(peak, memory.peakRssBytes);
  };
  read();
  const timer = setInterval(read, intervalMs);
  timer.unref();
  return {
    peakBytes: () => (read(), peak),
    stop: () => clearInterval(timer),
  };
}
