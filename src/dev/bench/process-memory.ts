import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

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
 * Sets the kernel's record of a process's peak resident set (VmHWM) back to its current size
 * (`5` to /proc/PID/clear_refs, Linux 4.0 on), so the next reading is the peak since now. False
 * where the process is gone or the write is not allowed.
 */
export function resetPeakMemory(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Follows a process's peak resident set until stopped. VmHWM survives while the process runs; the
 * last reading is kept for a process that exits before the end. `phase()` ends a phase: it returns
 * the peak since the phase before began (or since the start) and resets the kernel's record, so
 * each phase's peak is its own (NaN where it cannot be reset: then only the overall peak holds).
 */
export function watchPeakMemory(pid: () => number | undefined, intervalMs = 500): { peakBytes(): number; phase(): number; stop(): void } {
  let peak = 0;
  let phasePeak = 0;
  let resettable = true;
  const read = () => {
    const id = pid();
    const memory = id === undefined ? undefined : processMemory(id);
    if (memory && Number.isFinite(memory.peakRssBytes)) {
      peak = Math.max(peak, memory.peakRssBytes);
      phasePeak = Math.max(phasePeak, memory.peakRssBytes);
    }
  };
  read();
  const timer = setInterval(read, intervalMs);
  timer.unref();
  return {
    peakBytes: () => (read(), peak),
    phase: () => {
      read();
      const id = pid();
      const ended = resettable ? phasePeak : Number.NaN;
      resettable = resettable && id !== undefined && resetPeakMemory(id);
      phasePeak = 0;
      read();
      return ended;
    },
    stop: () => clearInterval(timer),
  };
}
