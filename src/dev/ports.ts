import { createServer } from 'node:net';

/**
 * A port free a moment ago, for a process started next to listen on. Picked below the OS's
 * ephemeral range (32768 and up): a port there that was free can become any outgoing connection's
 * local end before the process binds it, which a busy suite (hundreds of database and gRPC
 * connections) made happen to a drill's worker.
 */
export async function freePort(): Promise<number> {
  const [port] = await freePortsBelow(1);
  return port!;
}

/**
 * `n` distinct free ports below `limit`, outside the OS's ephemeral range (see freePort); Temporal
 * also stores membership ports as a smallint, so its services need ports below 32768.
 */
export async function freePortsBelow(n: number, limit = 32_768, floor = 10_000): Promise<number[]> {
  const picked = new Set<number>();
  for (let attempt = 0; picked.size < n; attempt += 1) {
    if (attempt > n * 50) throw new Error(`found only ${picked.size} of ${n} free ports between ${floor} and ${limit}`);
    const port = floor + Math.floor(Math.random() * (limit - floor));
    if (!picked.has(port) && (await canListen(port))) picked.add(port);
  }
  return [...picked];
}

export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
