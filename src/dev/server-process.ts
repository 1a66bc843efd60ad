import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

/** A Temporal server binary the stack started and owns, until stop(). */
export type ServerProcess = {
  child: ChildProcess;
  /** Throws, with the server's last lines, once it has exited: a start that failed says why. */
  assertRunning: () => void;
  /** SIGTERM, then SIGKILL if the server has not exited within the grace period. */
  stop: () => Promise<void>;
};

export type ServerProcessOptions = {
  /** How the server is named in errors, e.g. 'temporal server start-dev'. */
  name: string;
  /** How many of its last lines explain a failed start. */
  recentLines: number;
  stopGraceMs: number;
  /** Each line it prints until stop(); shutting down, a server warns about every connection it closes. */
  onLine(line: string, stream: 'stdout' | 'stderr'): void;
};

/**
 * Spawns a server in its own process group (Ctrl-C in a terminal reaches only the stack, which stops
 * the workers before the server), killed should this process exit without stopping it.
 */
export function spawnServer(command: string, args: string[], options: ServerProcessOptions): ServerProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const recent: string[] = [];
  let stopping = false;
  for (const [stream, input] of [['stdout', child.stdout], ['stderr', child.stderr]] as const) {
    createInterface({ input }).on('line', (line) => {
      recent.push(line);
      recent.splice(0, Math.max(0, recent.length - options.recentLines));
      if (!stopping) options.onLine(line, stream);
    });
  }
  // A stack that dies without stop() must not leave the server running on its ports.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exitReason = error.message;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitReason = signal ? `killed by ${signal}` : `exit code ${code}`;
      resolve();
    });
  });
  return {
    child,
    assertRunning: () => {
      if (exitReason !== undefined) throw new Error(`${options.name} stopped before it was ready (${exitReason}):\n${recent.join('\n')}`);
    },
    stop: async () => {
      stopping = true;
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // An unref'd timer: a quick exit must not keep the process waiting out the grace period.
      const graceful = await Promise.race([exited.then(() => true), sleep(options.stopGraceMs, false, { ref: false })]);
      if (!graceful) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/**
 * Tries `probe` every `intervalMs` until it resolves; fails at once should the server exit, and after
 * `timeoutMs` with the probe's last failure. On failure the server is stopped.
 */
export async function untilReady(
  server: ServerProcess,
  what: string,
  { timeoutMs, intervalMs }: { timeoutMs: number; intervalMs: number },
  probe: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  try {
    while (Date.now() < deadline) {
      server.assertRunning();
      try {
        await probe();
        return;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
      await sleep(intervalMs);
    }
    throw new Error(`${what} not ready after ${timeoutMs} ms: ${lastError}`);
  } catch (error) {
    await server.stop();
    throw error;
  }
}
