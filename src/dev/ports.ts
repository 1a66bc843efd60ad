import { createServer } from 'node:net';

/** A port that was free a moment ago on loopback (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `n` distinct free ports below `limit`. The OS hands out ephemeral ports above 32768, but
 * Temporal stores membership ports as a smallint, so its services need ports we pick ourselves.
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
