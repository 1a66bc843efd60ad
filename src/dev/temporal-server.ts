import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { searchAttributeCliArgs } from '../../workflows/contracts/search-attributes';

export type TemporalDevServer = {
  /** gRPC frontend, host:port, for clients and workers. */
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
};

export type TemporalDevServerOptions = {
  cliPath: string;
  /** SQLite file; the server's state survives restarts in it. */
  dbFile: string;
  port: number;
  uiPort: number;
  namespace: string;
  onLog?: (line: string) => void;
  /** Where the Web UI decodes payloads (our codec endpoint); without it the UI shows them encrypted. */
  codecEndpoint?: string;
  /** How long to wait for the frontend and the UI to answer. */
  readyTimeoutMs?: number;
};

const host = '127.0.0.1';
const stopGraceMs = 5_000;

/** `temporal server start-dev` with our search attributes, resolved once both gRPC and the Web UI answer. */
export async function startTemporalDevServer(opts: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const { cliPath, dbFile, port, uiPort, namespace, onLog = () => {}, readyTimeoutMs = 60_000, codecEndpoint } = opts;
  const args = [
    'server', 'start-dev',
    '--db-filename', dbFile,
    '--ip', host,
    '--port', String(port),
    '--ui-port', String(uiPort),
    '--namespace', namespace,
    '--log-level', 'warn',
    // WAL roughly doubles workflow throughput on SQLite (measured: 23-28 -> 41 empty workflows/s).
    '--sqlite-pragma', 'journal_mode=WAL',
    '--sqlite-pragma', 'synchronous=NORMAL',
    ...searchAttributeCliArgs(),
    ...(codecEndpoint ? ['--ui-codec-endpoint', codecEndpoint] : []),
  ];
  // Its own process group: Ctrl-C in a terminal reaches only us, and we stop the server after the worker.
  const child = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const recent: string[] = [];
  let stopping = false;
  for (const [stream, forward] of [[child.stdout, false], [child.stderr, true]] as const) {
    createInterface({ input: stream }).on('line', (line) => {
      recent.push(line);
      recent.splice(0, Math.max(0, recent.length - 20));
      // stdout is the start-up banner (we print our own); shutting down, the server warns about every
      // connection it closes: noise, not news. Both stay in `recent` to explain a failed start.
      if (forward && !stopping) onLog(line);
    });
  }
  // A dev stack that dies without stop() must not leave the server running on its ports.
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

  const stop = async () => {
    stopping = true;
    process.off('exit', killOnExit);
    await terminate(child, exited);
  };

  const address = `${host}:${port}`;
  const uiUrl = `http://localhost:${uiPort}`;
  try {
    await waitUntilReady(address, `http://${host}:${uiPort}/`, readyTimeoutMs, () => {
      if (exitReason !== undefined) {
        throw new Error(`temporal server start-dev stopped before it was ready (${exitReason}):\n${recent.join('\n')}`);
      }
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, uiUrl, stop };
}

async function waitUntilReady(address: string, uiUrl: string, timeoutMs: number, assertRunning: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    assertRunning();
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.close();
      const ui = await fetch(uiUrl, { signal: AbortSignal.timeout(2_000) });
      if (ui.status === 200) return;
      lastError = `Web UI answered HTTP ${ui.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(`Temporal dev server at ${address} not ready after ${timeoutMs} ms: ${lastError}`);
}

/** SIGTERM, then SIGKILL if the server has not exited within the grace period. */
async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  // An unref'd timer: a quick exit must not keep the process waiting out the grace period.
  const graceful = await Promise.race([exited.then(() => true), sleep(stopGraceMs, false, { ref: false })]);
  if (!graceful) {
    child.kill('SIGKILL');
    await exited;
  }
}
