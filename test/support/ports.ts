import { freePortsBelow } from '../../src/dev/ports';

/** `n` distinct ports that were free a moment ago, outside the OS's ephemeral range (src/dev/ports.ts). */
export function freePorts(n: number): Promise<number[]> {
  return freePortsBelow(n);
}
