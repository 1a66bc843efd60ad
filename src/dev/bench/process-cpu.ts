import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of the processes the benchmark runs, from Linux's /proc, so a run's figures say what
 * each part cost and not only how long it took (wall times on a shared machine vary by a third).
 */

// /proc reports times in clock ticks of USER_HZ, which Linux fixes at 100 for user space.
const ticksPerSecond = 100;

type StatTimes = { ppid: number; ownTicks: number; waitedChildrenTicks: number };

function statTimes(pid: number): StatTimes | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited, or not Linux
  }
  // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  // From `state` on: ppid is the 2nd field, utime/stime the 12th/13th, cutime/cstime the 14th/15th (proc(5)).
  const [ppid = 0, utime = 0, stime = 0, cutime = 0, cstime = 0] = [fields[1], fields[11], fields[12], fields[13], fields[14]];
  return { ppid, ownTicks: utime + stime, waitedChildrenTicks: cutime + cstime };
}

/**
 * CPU seconds used so far by `pid`, its live children, and the children it has already waited for
 * (PostgreSQL's postmaster: a backend that ended is counted there). Undefined once it has exited.
 */
export function processTreeCpuSeconds(pid: number): number | undefined {
  const root = statTimes(pid);
  if (!root) return undefined;
  let ticks = root.ownTicks + root.waitedChildrenTicks;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === pid) continue;
    const child = statTimes(Number(entry));
    if (child?.ppid === pid) ticks += child.ownTicks;
  }
  return ticks / ticksPerSecond;
}

/** CPU seconds of each named process from this call until each `read()`; NaN for a process not found. */
export function cpuMeter<Name extends string>(pids: Record<Name, () => number | undefined>): { read(): Record<Name, number> } {
  const now = () =>
    Object.fromEntries(Object.entries<() => number | undefined>(pids).map(([name, pid]) => {
      const id = pid();
      return [name, id === undefined ? Number.NaN : (processTreeCpuSeconds(id) ?? Number.NaN)];
    })) as Record<Name, number>;
  const start = now();
  return {
    read: () => {
      const current = now();
      return Object.fromEntries(Object.keys(start).map((name) => [name, current[name as Name] - start[name as Name]])) as Record<Name, number>;
    },
  };
}
