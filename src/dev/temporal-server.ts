import { Connection } from '@temporalio/client';
import { searchAttributeCliArgs } from '../../workflows/contracts/search-attributes';
import { spawnServer, untilReady } from './server-process';

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
  const server = spawnServer(cliPath, args, {
    name: 'temporal server start-dev',
    recentLines: 20,
    stopGraceMs: 5_000,
    // stdout is the start-up banner (we print our own); both streams stay in the last lines that explain a failed start.
    onLine: (line, stream) => {
      if (stream === 'stderr') onLog(line);
    },
  });
  const address = `${host}:${port}`;
  const uiUrl = `http://localhost:${uiPort}`;
  await untilReady(server, `Temporal dev server at ${address}`, { timeoutMs: readyTimeoutMs, intervalMs: 250 }, async () => {
    const connection = await Connection.connect({ address, connectTimeout: 2_000 });
    await connection.close();
    const ui = await fetch(`http://${host}:${uiPort}/`, { signal: AbortSignal.timeout(2_000) });
    if (ui.status !== 200) throw new Error(`Web UI answered HTTP ${ui.status}`);
  });
  return { address, uiUrl, stop: server.stop };
}
